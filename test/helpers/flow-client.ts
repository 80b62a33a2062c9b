import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { PROTOCOL, WS_PATH } from '../../src/shared/protocol';
import type { RunningServer } from '../../src/server/server';

type Frame = Record<string, unknown>;

/**
 * A raw protocol socket for flow-control tests: it can stop reading (the server's writes
 * then back up through TCP into the server's buffers, as with a slow device), and it keeps
 * no copy of what it reads beyond what a test asks for, so a 20 MB catch-up stays cheap.
 */
export class FlowSocket {
  /** The close code and reason, whoever closed, once the socket is closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The server's `ready` frame. */
  ready: Frame = {};
  private readonly listeners = new Set<(f: Frame) => void>();
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(data.toString()) as Frame;
      for (const l of this.listeners) l(frame);
    });
    ws.on('error', () => {}); // 'close' reports it
  }

  /** Opens a header-authenticated socket; resolves on `ready`. */
  static open(server: { url: string }, token: string): Promise<FlowSocket> {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}${WS_PATH}`, [PROTOCOL], {
      headers: { authorization: `Bearer ${token}` },
      perMessageDeflate: false,
      maxPayload: 64 * 1024 * 1024,
    });
    const socket = new FlowSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
      const off = socket.on((f) => {
        if (f['type'] !== 'ready') return;
        off();
        socket.ready = f;
        resolve(socket);
      });
      void socket.closed.then(({ code }) => reject(new Error(`closed with ${code} before ready`)));
    });
  }

  on(listener: (f: Frame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Stops reading from the TCP socket (what the server sends piles up in buffers). */
  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  /** Sends a request and resolves with its answer (`result` or `error`); rejects if the socket closes first. */
  request(type: string, params: Frame = {}): Promise<Frame> {
    const id = `f${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const off = this.on((f) => {
        if (f['id'] !== id || (f['type'] !== 'result' && f['type'] !== 'error')) return;
        off();
        resolve(f);
      });
      void this.closed.then(({ code, reason }) => {
        off();
        reject(Object.assign(new Error(`closed with ${code} (${reason}) before the answer to ${type}`), { code }));
      });
      this.ws.send(JSON.stringify({ type, id, ...params }));
    });
  }

  /**
   * Catches up from nothing, as a fresh device does. `afterBatch` runs on each batch and
   * may return a promise: reading stops until it settles (a device busy storing the batch).
   */
  async sync(afterBatch: (batch: Frame, index: number) => Promise<unknown> | undefined = () => undefined, params: Frame = { watermarks: [] }) {
    const seqs: number[] = [];
    let batches = 0;
    let reading = Promise.resolve();
    const off = this.on((f) => {
      if (f['type'] !== 'sync.batch') return;
      for (const m of f['messages'] as Array<{ seq: number }>) seqs.push(m.seq);
      const pending = afterBatch(f, batches++);
      if (!pending) return;
      this.pause();
      reading = reading.then(() => pending).then(
        () => this.resume(),
        () => this.resume(),
      );
    });
    try {
      const answer = await this.request('sync', params);
      return { answer, seqs, batches };
    } finally {
      off();
    }
  }
}

/**
 * Stores `count` text entries from `senderId` straight through the store, in big
 * transactions (sending them would take a minute of rate limits and acks).
 */
export async function seedHistory(server: RunningServer, senderId: string, conversationId: string, count: number, bodyChars: number): Promise<void> {
  const body = 'x'.repeat(bodyChars);
  for (let done = 0; done < count; done += 1000) {
    const n = Math.min(1000, count - done);
    await server.store.appendMessages(Array.from({ length: n }, () => ({ senderId, conversationId, clientId: randomUUID(), body, now: Date.now() })));
  }
}

/** Polls `condition` (every 10 ms, at most `ms`): for effects the server applies on its own time, like counting a close. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The value of one series of a counter in the server's Prometheus text, 0 if absent. */
export async function metricValue(server: { url: string; metricsUrl?: string }, series: string): Promise<number> {
  // Wherever this server serves /metrics: a listener of its own, or its main address.
  const text = await (await fetch(server.metricsUrl ?? `${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
