import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { randomBytes } from 'node:crypto';
import type { PresenceStatus, ServerFrame } from '../../shared/protocol';
import { CLOSE, CLOSE_REASONS } from '../../shared/protocol';
import { TokenBucket } from '../token-bucket';

export type ConnectionState = 'authenticating' | 'ready' | 'syncing' | 'live' | 'closed';

/** Events held while a catch-up runs; past this the client is told to reconnect. */
export const MAX_HELD_DURING_SYNC = 5000;
/** A catch-up pauses while more than this is unsent to the client (less on a server with a small send buffer). */
export const CATCH_UP_PAUSE_BYTES = 256 * 1024;
/** Typing and presence notices: their own small per-connection budget. */
export const NOTICES_PER_SEC = 2;
export const NOTICE_BURST = 5;
/** How long a socket the server closed may take to finish the close handshake… */
const CLOSE_HANDSHAKE_MS = 1000;
/** …extended while the peer is still reading its way to our close frame, up to this in all. */
const CLOSE_PATIENCE_MS = 10_000;

export interface ConnectionLimits {
  maxBufferedBytes: number;
  rateFramesPerSec: number;
  rateMessagesPerSec: number;
}

/** The TCP socket under a ws WebSocket: ws exposes neither cork() nor 'drain'. */
function netSocketOf(ws: WebSocket): Socket | undefined {
  return (ws as unknown as { _socket?: Socket })._socket;
}

/** Bytes the kernel has taken from this socket so far (bytesWritten also counts what still waits in Node). */
function bytesTaken(socket: Socket | undefined): number {
  return socket ? socket.bytesWritten - socket.writableLength : 0;
}

/**
 * One authenticated (or authenticating) socket. Kept small on purpose: at 10,000 idle
 * connections every field counts, so there are no timers here (one shared sweep does
 * heartbeats) and no reference to the upgrade request.
 *
 * Outgoing frames are queued and written in one corked burst per event-loop turn. What
 * is queued here and what the socket has not yet handed to the kernel together are the
 * connection's unsent bytes: the catch-up waits on them (`drained`) and the slow-consumer
 * bound is checked against them.
 */
export class Connection {
  readonly id = randomBytes(8).toString('base64url');
  state: ConnectionState = 'authenticating';
  userId = '';
  sessionId = '';
  /** When the access token behind this socket expires (session.renew moves it); 0 before authentication. */
  tokenExpiresAt = 0;
  alive = true;
  presence: Exclude<PresenceStatus, 'offline'> = 'online';
  violations = 0;
  violationWindowStart = 0;
  authTimer: NodeJS.Timeout | null = null;
  /** The remote address while unauthenticated (counted against a per-address cap); null after. */
  pendingIp: string | null = null;
  /** Frames that arrived while the auth frame was being checked (null for a binary one); null otherwise. */
  early: Array<string | null> | null = null;
  /** Why the socket ended, for the closes metric: the code the server sent, or 'heartbeat'; null if the peer or ws ended it. */
  closeLabel: string | null = null;
  readonly frames: TokenBucket;
  private noticeBucket: TokenBucket | null = null;
  private messageBucket: TokenBucket | null = null;
  private out: string[] | null = null;
  /** Size of `out` (UTF-16 units: a close lower bound of its bytes until the write makes it exact). */
  private outBytes = 0;
  /** The catch-up waiting for unsent bytes to fall (there is one at most). */
  private wake: (() => void) | null = null;
  /** Whether a 'drain' listener is on the socket (it had bytes waiting for the kernel). */
  private watchingDrain = false;
  private held: Array<{ frame: string; message?: { conversationId: string; seq: number } }> | null = null;
  private releasing = false;
  private synced: Map<string, number> | null = null;
  /** What the kernel had taken, and whether bytes were waiting, at the last heartbeat sweep. */
  private takenAtSweep = 0;
  private backloggedAtSweep = false;

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
    this.noticeBucket ??= new TokenBucket(NOTICES_PER_SEC, NOTICE_BURST, now);
    return this.noticeBucket;
  }

  /**
   * This socket's own share of the message rate (the real budget is per user, shared by
   * every device). Only when this socket alone has gone over it is a rate_limited send
   * held against it: running dry because the user's other devices sent is not abuse.
   */
  ownMessages(now: number): TokenBucket {
    this.messageBucket ??= new TokenBucket(this.limits.rateMessagesPerSec, this.limits.rateMessagesPerSec * 2, now);
    return this.messageBucket;
  }

  get maxBufferedBytes(): number {
    return this.limits.maxBufferedBytes;
  }

  /** A catch-up pauses while more than this is unsent: well under the slow-consumer bound, so catching up never trips it. */
  get pauseBytes(): number {
    return Math.min(CATCH_UP_PAUSE_BYTES, Math.floor(this.limits.maxBufferedBytes / 4));
  }

  /** Queued here plus not yet taken by the kernel. */
  get unsentBytes(): number {
    return this.outBytes + this.ws.bufferedAmount;
  }

  send(frame: ServerFrame | string): void {
    if (this.state === 'closed') return;
    const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
    this.outBytes += data.length;
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
    this.outBytes = 0;
    if (!out || this.state === 'closed') return;
    // Batching the writes of one turn into one syscall is most of the fan-out cost.
    const socket = netSocketOf(this.ws);
    socket?.cork();
    for (const data of out) this.ws.send(data);
    socket?.uncork();
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) return this.close(CLOSE.slowConsumer, CLOSE_REASONS.slowConsumer);
    if (socket?.writableNeedDrain && !this.watchingDrain) this.watchDrain(socket);
    this.wake?.();
  }

  /**
   * Bytes are waiting because the kernel's buffer is full. Its 'drain' means the kernel
   * took them all, which it can only do once the peer acknowledged what it had: the peer
   * is alive and reading, whether or not its pong (queued behind that data) is back yet.
   */
  private watchDrain(socket: Socket): void {
    this.watchingDrain = true;
    socket.once('drain', () => {
      this.watchingDrain = false;
      this.alive = true;
      this.wake?.();
    });
  }

  /** A live event from the bus: sent now, held during catch-up, or skipped before it. */
  deliver(frame: string, message?: { conversationId: string; seq: number }): void {
    if (this.state === 'live') return this.send(frame);
    if (this.state !== 'syncing' || !this.held) return; // the coming sync will include it
    if (this.held.length >= MAX_HELD_DURING_SYNC) return this.close(CLOSE.syncOverflow, CLOSE_REASONS.syncOverflow);
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

  /**
   * Releases the events held during catch-up, minus the messages the sync already sent,
   * paced like the catch-up itself (up to 5000 held events must not trip the slow-consumer
   * bound in one burst). Events arriving meanwhile queue behind them; then the socket is live.
   */
  endSync(): void {
    if (this.state !== 'syncing' || this.releasing) return;
    this.releasing = true;
    void this.release();
  }

  private async release(): Promise<void> {
    const synced = this.synced ?? new Map<string, number>();
    let next = 0;
    while (this.state === 'syncing' && this.held && next < this.held.length) {
      const h = this.held[next++]!;
      if (!h.message || h.message.seq > (synced.get(h.message.conversationId) ?? 0)) this.send(h.frame);
      if (this.unsentBytes <= this.pauseBytes) continue;
      this.held.splice(0, next); // keeps the cap counting only what still waits
      next = 0;
      await this.drained(this.pauseBytes);
    }
    this.releasing = false;
    if (this.state !== 'syncing') return;
    this.held = null;
    this.synced = null;
    this.state = 'live';
  }

  /**
   * Resolves once unsent bytes are at most `bytes` (catch-up flow control), or the socket
   * closed. Event-driven: woken by this connection's flush, by the socket's 'drain', and by
   * the close. Below the socket's own high-water mark there is no 'drain' to wait for, and
   * that little counts as drained.
   */
  async drained(bytes: number): Promise<void> {
    while (this.state !== 'closed' && this.unsentBytes > bytes) {
      if (this.outBytes === 0 && !this.watchingDrain) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  /**
   * At each heartbeat sweep: whether the peer showed life since the last one, and resets
   * the flag for the next. A pong counts. So does the kernel taking bytes that were waiting
   * for it (a 'drain', or progress on a backlog that was there at the last sweep): a ping
   * queues behind the data a slow reader is still working through and its pong comes late,
   * but the kernel only takes more once the peer acknowledged what it had.
   */
  heartbeat(): boolean {
    const socket = netSocketOf(this.ws);
    const taken = bytesTaken(socket);
    const progressed = this.backloggedAtSweep && taken > this.takenAtSweep;
    this.takenAtSweep = taken;
    this.backloggedAtSweep = (socket?.writableLength ?? 0) > 0;
    const alive = this.alive || progressed;
    this.alive = false;
    return alive;
  }

  /** Cuts the socket without a close frame (a peer that missed its heartbeat). */
  terminate(label: string): void {
    this.closeLabel ??= label;
    this.ws.terminate();
  }

  /** No more frames either way: the socket is closing or gone. Wakes a catch-up waiting on it. */
  retire(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.state = 'closed';
    this.out = null;
    this.outBytes = 0;
    this.held = null;
    this.wake?.();
  }

  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.flush();
    if ((this.state as ConnectionState) === 'closed') return; // the flush found a slow consumer and closed it
    this.closeLabel ??= String(code);
    this.retire();
    this.ws.close(code, reason);
    this.cutOffLater();
  }

  /**
   * ws would wait 30 s for the peer's half of the close handshake, holding its buffers; a
   * peer that is gone does not get that long. One that is still reading towards our close
   * frame does (up to CLOSE_PATIENCE_MS): cutting it would throw away the close frame with
   * the unsent data in front of it, and it would see 1006 instead of the code.
   */
  private cutOffLater(): void {
    const socket = netSocketOf(this.ws);
    let taken = bytesTaken(socket);
    let waited = 0;
    const check = () => {
      waited += CLOSE_HANDSHAKE_MS;
      const now = bytesTaken(socket);
      const reading = now > taken && (socket?.writableLength ?? 0) > 0;
      taken = now;
      if (reading && waited < CLOSE_PATIENCE_MS) return void setTimeout(check, CLOSE_HANDSHAKE_MS).unref();
      this.ws.terminate();
    };
    setTimeout(check, CLOSE_HANDSHAKE_MS).unref();
  }
}
