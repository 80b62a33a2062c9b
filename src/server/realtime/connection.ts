import type { WebSocket } from 'ws';
import { randomBytes } from 'node:crypto';
import type { PresenceStatus, ServerFrame } from '../../shared/protocol';
import { CLOSE } from '../../shared/protocol';
import { TokenBucket } from '../token-bucket';

export type ConnectionState = 'authenticating' | 'ready' | 'syncing' | 'live' | 'closed';

/** Events held while a catch-up runs; past this the client is told to reconnect. */
const MAX_HELD_DURING_SYNC = 5000;
/** How long a socket the server closed may take to finish the close handshake. */
const CLOSE_HANDSHAKE_MS = 1000;

export interface ConnectionLimits {
  maxBufferedBytes: number;
  rateFramesPerSec: number;
}

/**
 * One authenticated (or authenticating) socket. Kept small on purpose: at 10,000 idle
 * connections every field counts, so there are no timers here (one shared sweep does
 * heartbeats) and no reference to the upgrade request.
 *
 * Outgoing frames are queued and written in one corked burst per event-loop turn.
 */
export class Connection {
  readonly id = randomBytes(8).toString('base64url');
  state: ConnectionState = 'authenticating';
  userId = '';
  sessionId = '';
  alive = true;
  presence: Exclude<PresenceStatus, 'offline'> = 'online';
  violations = 0;
  violationWindowStart = 0;
  authTimer: NodeJS.Timeout | null = null;
  /** The remote address while unauthenticated (counted against a per-address cap); null after. */
  pendingIp: string | null = null;
  /** Frames that arrived while the auth frame was being checked; null otherwise. */
  early: string[] | null = null;
  readonly frames: TokenBucket;
  private noticeBucket: TokenBucket | null = null;
  private out: string[] | null = null;
  private held: Array<{ frame: string; message?: { conversationId: string; seq: number } }> | null = null;
  private synced: Map<string, number> | null = null;

  constructor(
    readonly ws: WebSocket,
    private readonly limits: ConnectionLimits,
    private readonly flusher: (c: Connection) => void,
    now: number,
  ) {
    this.frames = new TokenBucket(limits.rateFramesPerSec, limits.rateFramesPerSec * 2, now);
  }

  /** Typing and presence notices share their own small budget (created on first use). */
  notices(now: number): TokenBucket {
    this.noticeBucket ??= new TokenBucket(2, 5, now);
    return this.noticeBucket;
  }

  send(frame: ServerFrame | string): void {
    if (this.state === 'closed') return;
    const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
    if (this.out) this.out.push(data);
    else {
      this.out = [data];
      this.flusher(this);
    }
  }

  /** Writes the queued frames in one corked burst. Called by the hub once per turn. */
  flush(): void {
    const out = this.out;
    this.out = null;
    if (!out || this.state === 'closed') return;
    // ws does not expose cork(); the underlying net.Socket does, and batching the
    // writes of one turn into one syscall is most of the fan-out cost.
    const socket = (this.ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    socket?.cork();
    for (const data of out) this.ws.send(data);
    socket?.uncork();
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) this.close(CLOSE.slowConsumer, 'slow consumer: reconnect and resume');
  }

  /** A live event from the bus: sent now, held during catch-up, or skipped before it. */
  deliver(frame: string, message?: { conversationId: string; seq: number }): void {
    if (this.state === 'live') return this.send(frame);
    if (this.state !== 'syncing' || !this.held) return; // the coming sync will include it
    if (this.held.length >= MAX_HELD_DURING_SYNC) return this.close(CLOSE.syncOverflow, 'too much happened during catch-up: reconnect and resume');
    this.held.push(message ? { frame, message } : { frame });
  }

  beginSync(): void {
    this.state = 'syncing';
    this.held = [];
    this.synced = new Map();
  }

  noteSynced(conversationId: string, seq: number): void {
    this.synced?.set(conversationId, seq);
  }

  /** Releases the events held during catch-up, minus the messages the sync already sent. */
  endSync(): void {
    if (this.state !== 'syncing') return;
    const held = this.held ?? [];
    const synced = this.synced ?? new Map<string, number>();
    this.held = null;
    this.synced = null;
    this.state = 'live';
    for (const h of held) {
      if (h.message && h.message.seq <= (synced.get(h.message.conversationId) ?? 0)) continue;
      this.send(h.frame);
    }
  }

  /** Resolves once the socket's unsent bytes are under `bytes` (catch-up flow control). */
  async drained(bytes: number): Promise<void> {
    while (this.state !== 'closed' && this.ws.bufferedAmount + (this.out ? 1 : 0) > bytes) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.flush();
    this.state = 'closed';
    this.out = null;
    this.held = null;
    if (this.authTimer) clearTimeout(this.authTimer);
    this.ws.close(code, reason);
    // ws would wait 30 s for the peer's half of the close handshake, holding its buffers;
    // a peer that is slow or gone does not get that long.
    setTimeout(() => this.ws.terminate(), CLOSE_HANDSHAKE_MS).unref();
  }
}
