import { CLOSE, CLOSE_REASONS, shouldReconnect } from '../../shared/protocol';
import type { ConnectionState, ConnectionStatus, UserError } from '../../shared/ipc';
import { CourierSocket } from '../courier-socket';
import { CourierError, SessionEndedError } from '../errors';
import { backoffDelay } from './backoff';
import { watchLiveness } from './liveness';

/** Where the manager gets an access token; it refreshes when needed. */
export interface TokenSource {
  /** A valid access token, refreshed first if it expires soon. Throws CourierError. */
  accessToken(): Promise<string>;
  /** The server rejected the current access token: the next call must refresh. */
  invalidate(): void;
}

export interface ConnectionManagerOptions {
  serverUrl: string;
  tokens: TokenSource;
  /**
   * Runs on every new connection before it counts as online (catch-up, outbox). A throw
   * drops the connection and retries with backoff. `isCurrent` turns false if this
   * connection has since been replaced, so late work can stop.
   */
  onConnected(socket: CourierSocket, isCurrent: () => boolean): Promise<void>;
  onState(state: ConnectionState): void;
  /** Called once per connection when it ends (not when it never opened). */
  onDisconnected?(): void;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Online this long without trouble resets the backoff (default 30 s). */
  healthyAfterMs?: number;
  connectTimeoutMs?: number;
  /** How long a liveness probe (after resume / network change) waits for a pong. */
  probeTimeoutMs?: number;
  random?: () => number;
  /** Server CA for a private certificate authority. */
  ca?: string | Buffer;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

const SIGN_IN_AGAIN: UserError = { code: 'session_ended', message: 'Your session has ended. Sign in again.' };

/**
 * Keeps one authenticated connection alive: offline → connecting → authenticating →
 * catchingUp → online, and back to offline with exponential backoff and full jitter when
 * it fails. It stops (status signedOut) only when the server rejects the credentials,
 * because retrying those cannot succeed.
 */
export class ConnectionManager {
  private state: ConnectionState = { status: 'offline', attempt: 0, nextRetryAt: null, error: null };
  private socket: CourierSocket | null = null;
  private generation = 0;
  private running = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private healthyTimer: NodeJS.Timeout | undefined;
  private liveness: ReturnType<typeof watchLiveness> | null = null;
  /** Whether this attempt already refreshed after an auth_invalid upgrade (once per attempt). */
  private retriedAuth = false;

  constructor(private readonly o: ConnectionManagerOptions) {}

  get current(): ConnectionState {
    return this.state;
  }

  /** The connection while it is catching up or online; null otherwise. */
  get openSocket(): CourierSocket | null {
    return this.socket?.isOpen ? this.socket : null;
  }

  get isOnline(): boolean {
    return this.state.status === 'online' && this.openSocket !== null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  /** Closes the connection and stops retrying. */
  async stop(status: ConnectionStatus = 'offline', error: UserError | null = null): Promise<void> {
    this.running = false;
    this.generation++;
    clearTimeout(this.retryTimer);
    clearTimeout(this.healthyTimer);
    this.liveness?.stop();
    this.liveness = null;
    const socket = this.socket;
    this.socket = null;
    this.setState({ status, attempt: 0, nextRetryAt: null, error });
    if (socket) await socket.close(CLOSE.normal, 'client stopping');
  }

  /**
   * Something suggests the network changed (OS resume, screen unlock, back online). Waiting
   * out a backoff would leave the user offline for nothing, so try now; an open connection
   * is probed instead, since it may be a half-open leftover from before the sleep.
   */
  reconnectNow(reason: string): void {
    if (!this.running) return;
    this.o.log?.('reconnect requested', { reason, status: this.state.status });
    if (this.state.status === 'offline') {
      clearTimeout(this.retryTimer);
      void this.connect();
    } else if (this.socket?.isOpen) {
      this.liveness?.probe(this.o.probeTimeoutMs ?? 5000);
    }
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    const generation = ++this.generation;
    const isCurrent = () => generation === this.generation && this.running;
    this.setState({ ...this.state, status: 'connecting', nextRetryAt: null });
    let socket: CourierSocket;
    try {
      const token = await this.o.tokens.accessToken();
      if (!isCurrent()) return;
      socket = await CourierSocket.connect({
        serverUrl: this.o.serverUrl,
        accessToken: token,
        connectTimeoutMs: this.o.connectTimeoutMs ?? 15_000,
        onOpen: () => {
          if (isCurrent()) this.setState({ ...this.state, status: 'authenticating' });
        },
        ...(this.o.ca ? { ca: this.o.ca } : {}),
      });
    } catch (error) {
      if (isCurrent()) this.failed(error);
      return;
    }
    if (!isCurrent()) {
      void socket.close(CLOSE.normal, 'superseded');
      return;
    }
    this.socket = socket;
    this.setState({ ...this.state, status: 'catchingUp' });
    socket.onClose((code, reason) => {
      if (!isCurrent()) return;
      this.o.onDisconnected?.();
      this.closed(code, reason);
    });
    this.liveness = watchLiveness(socket.raw, {
      heartbeatMs: socket.ready.heartbeatMs,
      onDead: (silentMs) => {
        if (!isCurrent()) return;
        this.o.log?.('connection silent, reconnecting', { silentMs: Math.round(silentMs) });
        socket.raw.terminate(); // 'close' (1006) follows and schedules the reconnect
      },
    });
    try {
      await this.o.onConnected(socket, isCurrent);
    } catch (error) {
      if (!isCurrent()) return;
      this.o.log?.('catch-up failed', { error: String(error) });
      socket.raw.terminate();
      return;
    }
    if (!isCurrent() || !socket.isOpen) return;
    this.retriedAuth = false;
    this.setState({ ...this.state, status: 'online', error: null });
    this.healthyTimer = setTimeout(() => {
      if (isCurrent()) this.setState({ ...this.state, attempt: 0 });
    }, this.o.healthyAfterMs ?? 30_000);
    this.healthyTimer.unref();
  }

  private closed(code: number, reason: string): void {
    clearTimeout(this.healthyTimer);
    this.liveness?.stop();
    this.liveness = null;
    this.socket = null;
    this.o.log?.('connection closed', { code, reason });
    if (code === CLOSE.sessionRevoked) {
      void this.stop('signedOut', SIGN_IN_AGAIN);
      return;
    }
    if (code === CLOSE.authInvalid) this.o.tokens.invalidate();
    const error = { code: `closed_${code}`, message: closeMessage(code, reason) };
    // 1007/1009 answer a frame this client sent: retrying at once would repeat it, so wait the longest delay.
    this.scheduleRetry(error, shouldReconnect(code) ? undefined : (this.o.maxDelayMs ?? 30_000));
  }

  private failed(error: unknown): void {
    if (error instanceof SessionEndedError) {
      // The refresh token was refused: the session is gone and retrying cannot help.
      void this.stop('signedOut', SIGN_IN_AGAIN);
      return;
    }
    const e = error instanceof CourierError ? error : new CourierError('network', String(error));
    if (e.code === 'auth_invalid') {
      if (!this.retriedAuth) {
        // The access token was refused at the upgrade (it expired while we slept, or the
        // server's signing key changed): refresh once and retry at once.
        this.retriedAuth = true;
        this.o.tokens.invalidate();
        void this.connect();
        return;
      }
      // A token fresh from the server refused by the same server will not get better.
      void this.stop('signedOut', SIGN_IN_AGAIN);
      return;
    }
    this.scheduleRetry({ code: e.code, message: e.message }, e.retryAfterMs);
  }

  private scheduleRetry(error: UserError, floorMs?: number): void {
    if (!this.running) return;
    this.retriedAuth = false;
    const attempt = this.state.attempt;
    const delay = backoffDelay(attempt, {
      baseMs: this.o.baseDelayMs ?? 500,
      capMs: this.o.maxDelayMs ?? 30_000,
      random: this.o.random ?? Math.random,
      ...(floorMs !== undefined ? { retryAfterMs: floorMs } : {}),
    });
    this.setState({ status: 'offline', attempt: attempt + 1, nextRetryAt: Date.now() + delay, error });
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  private setState(next: ConnectionState): void {
    const prev = this.state;
    this.state = next;
    if (
      prev.status !== next.status ||
      prev.attempt !== next.attempt ||
      prev.nextRetryAt !== next.nextRetryAt ||
      prev.error?.code !== next.error?.code
    ) {
      this.o.onState(next);
    }
  }
}

/** What the user is told when the server closed the connection (1008 by its reason: it has three causes). */
export function closeMessage(code: number, reason: string): string {
  switch (code) {
    case CLOSE.goingAway:
      return 'The server is restarting.';
    case 1006:
      return 'The connection was lost.';
    case CLOSE.slowConsumer:
    case CLOSE.syncOverflow:
      return 'The connection fell behind and will resume.';
    case CLOSE.policyViolation:
      if (reason === CLOSE_REASONS.tooManySockets) return 'This account has too many open connections. Close Courier on another device or window.';
      return 'The server closed the connection because of too many requests.';
    default:
      return reason ? `The connection closed: ${reason}` : `The connection closed (${code}).`;
  }
}
