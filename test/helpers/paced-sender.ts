import { randomUUID } from 'node:crypto';
import type { FlowSocket } from './flow-client';

/**
 * The pacing recipe of docs/protocol.md §14, as a third-party client would write it from
 * the text alone: local token buckets mirroring the rates `ready.limits` announces (started
 * half full, a margin for frames that bunch up in transit), a cap on sends in flight, and
 * a full stop until `retryAfterMs` has passed whenever the server says rate_limited.
 */
class LocalBucket {
  private last = performance.now();

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private tokens: number,
  ) {}

  /** ms until a token is available (0: now). */
  wait(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSec);
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  /** After a rate_limited: no burst until the bucket has refilled. */
  empty(now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSec) / 1000);
    this.last = now;
  }
}

export interface PacedResult {
  acks: Array<{ clientId: string; seq: number }>;
  rateLimited: number;
}

/** Sends every body to `conversationId`, at most `maxInFlight` at a time; resolves when all are acked. */
export async function sendPaced(socket: FlowSocket, conversationId: string, bodies: string[], maxInFlight: number): Promise<PacedResult> {
  const limits = socket.ready['limits'] as Record<string, number>;
  const frames = new LocalBucket(limits['framesPerSec']!, limits['frameBurst']!, limits['frameBurst']! / 2);
  const messages = new LocalBucket(limits['messagesPerSec']!, limits['messageBurst']!, limits['messageBurst']! / 2);
  // Each message gets its clientId once, before its first send, and keeps it for every retry.
  const queue = bodies.map((body) => ({ conversationId, clientId: randomUUID(), body }));
  const result: PacedResult = { acks: [], rateLimited: 0 };
  let inFlight = 0;
  let notBefore = 0;
  let failure: Error | null = null;
  let answered: () => void = () => {};
  const nextAnswer = () => new Promise<void>((r) => (answered = r));

  while ((queue.length > 0 || inFlight > 0) && !failure) {
    if (queue.length === 0 || inFlight >= maxInFlight) {
      await nextAnswer();
      continue;
    }
    const now = performance.now();
    const wait = Math.max(notBefore - now, frames.wait(now), messages.wait(now));
    if (wait > 0) {
      await Promise.race([new Promise((r) => setTimeout(r, wait)), nextAnswer()]);
      continue;
    }
    const item = queue.shift()!;
    frames.take(now);
    messages.take(now);
    inFlight++;
    socket.request('message.send', item).then(
      (answer) => {
        inFlight--;
        if (answer['type'] === 'result') {
          result.acks.push(answer['data'] as { clientId: string; seq: number });
        } else if (answer['code'] === 'rate_limited') {
          result.rateLimited++;
          queue.unshift(item); // the same clientId: a retry, never a second message
          const at = performance.now();
          notBefore = Math.max(notBefore, at + Number(answer['retryAfterMs']));
          frames.empty(at);
          messages.empty(at);
        } else {
          failure = new Error(`message.send refused: ${JSON.stringify(answer)}`);
        }
        answered();
      },
      (error: unknown) => {
        inFlight--;
        failure = error instanceof Error ? error : new Error(String(error));
        answered();
      },
    );
  }
  if (failure) throw failure as Error;
  return result;
}
