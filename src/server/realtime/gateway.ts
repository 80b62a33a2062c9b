import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  AUTH_DEADLINE_MS,
  CLOSE,
  CLOSE_REASONS,
  MAX_BODY_BYTES,
  MAX_FRAME_BYTES,
  MAX_PAGE_SIZE,
  PROTOCOL,
  WS_PATH,
  decodeClientFrame,
  requestIdOf,
  type HttpErrorBody,
  type ReadyFrame,
} from '../../shared/protocol';
import type { AuthService, Principal } from '../auth/auth-service';
import { Connection, NOTICE_BURST, NOTICES_PER_SEC } from './connection';
import type { RealtimeContext } from './context';
import { budgetLimits } from './budgets';
import { ABUSE_LIMIT, ABUSE_WINDOW_MS, type Dispatcher } from './dispatch';

/** The error code in the body of each refused upgrade: the one whose HTTP status it is (a 503 says retry). */
const REFUSAL_CODES = { 400: 'invalid_request', 401: 'auth_invalid', 403: 'not_allowed', 404: 'not_found', 503: 'unavailable' } as const;

/** Requests a client may pipeline behind its auth frame before the verdict. */
const MAX_EARLY_FRAMES = 32;
/** Sockets one address may hold open before authenticating (first-frame auth takes milliseconds). */
const MAX_PENDING_AUTH_PER_IP = 32;
/** Sockets one account may hold at once: many devices and tabs, not a flood. */
export const MAX_SOCKETS_PER_USER = 64;

export interface GatewayOptions {
  auth: AuthService;
  dispatcher: Dispatcher;
  allowedOrigins: readonly string[];
  heartbeatMs: number;
  /** Authenticated sockets at once. */
  maxConnections: number;
  /**
   * Sockets still to authenticate (first-frame auth) at once, counted apart: a few hundred
   * addresses opening sockets they never authenticate cannot lock signed-in users out, and
   * an upgrade that carries a valid Authorization header is never held back by them.
   */
  maxUnauthenticated: number;
  maxBufferedBytes: number;
  rateFramesPerSec: number;
  /** Per user, all devices together (burst: 2x); also each socket's own share. */
  rateMessagesPerSec: number;
  onUserGone: (userId: string) => void;
}

/**
 * The WebSocket edge: vets the HTTP upgrade (path, origin, subprotocol, credentials),
 * owns every socket's lifecycle and the one heartbeat sweep, and hands parsed frames
 * to the dispatcher.
 */
export class Gateway {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<Connection>();
  /** Unauthenticated sockets per remote address, so no one address can fill the server. */
  private readonly pendingByIp = new Map<string, number>();
  /** All of them: the sockets still to authenticate. */
  private pendingTotal = 0;
  private readonly heartbeat: NodeJS.Timeout;
  private accepting = true;
  /** The server's effective limits, as `ready` announces them. */
  private readonly limits: ReadyFrame['limits'];

  constructor(
    private readonly ctx: RealtimeContext,
    private readonly o: GatewayOptions,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false, // 30-66 KB per connection after traffic: not worth it for chat frames
      clientTracking: false,
      handleProtocols: (offered) => (offered.has(PROTOCOL) ? PROTOCOL : false),
    });
    this.heartbeat = setInterval(() => this.sweep(), o.heartbeatMs);
    this.heartbeat.unref();
    // Every budget the server enforces per socket and per account, so a client can pace
    // itself instead of discovering them by rejection (docs/protocol.md §14).
    this.limits = {
      maxFrameBytes: MAX_FRAME_BYTES,
      maxBodyBytes: MAX_BODY_BYTES,
      maxPageSize: MAX_PAGE_SIZE,
      framesPerSec: o.rateFramesPerSec,
      frameBurst: o.rateFramesPerSec * 2,
      messagesPerSec: o.rateMessagesPerSec,
      messageBurst: o.rateMessagesPerSec * 2,
      noticesPerSec: NOTICES_PER_SEC,
      noticeBurst: NOTICE_BURST,
      maxRejections: ABUSE_LIMIT,
      rejectionWindowMs: ABUSE_WINDOW_MS,
      maxSocketsPerUser: MAX_SOCKETS_PER_USER,
      budgets: budgetLimits(ctx.budgets.policy),
    };
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  private get authenticatedCount(): number {
    return this.sockets.size - this.pendingTotal;
  }

  /** The http server's 'upgrade' listener. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A module-level listener, removed once ws owns the socket: a closure here would share
    // its context with `req` and `head` and keep the whole upgrade request alive (~3 KiB
    // per connection, the access token included) for the socket's lifetime.
    socket.on('error', destroySocket);
    const refuse = (status: keyof typeof REFUSAL_CODES, text: string) => {
      const body = JSON.stringify({ error: { code: REFUSAL_CODES[status], message: text } } satisfies HttpErrorBody);
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) return refuse(404, 'Not Found');
    if (!this.accepting) return refuse(503, 'Service Unavailable');
    const origin = req.headers.origin;
    if (origin !== undefined && !this.o.allowedOrigins.includes(origin)) return refuse(403, 'Forbidden');
    const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!protocols.includes(PROTOCOL)) return refuse(400, 'Bad Request');
    const header = req.headers.authorization;
    if (header === undefined) {
      const ip = req.socket.remoteAddress ?? '';
      if (this.pendingTotal >= this.o.maxUnauthenticated) return refuse(503, 'Service Unavailable');
      if ((this.pendingByIp.get(ip) ?? 0) >= MAX_PENDING_AUTH_PER_IP) return refuse(503, 'Service Unavailable');
      if (this.authenticatedCount >= this.o.maxConnections) return refuse(503, 'Service Unavailable');
      return this.upgrade(req, socket, head, null, ip);
    }
    if (this.authenticatedCount >= this.o.maxConnections) return refuse(503, 'Service Unavailable');
    const token = /^Bearer ([^\s]+)$/.exec(header)?.[1];
    if (!token) return refuse(401, 'Unauthorized');
    this.o.auth.authenticate(token).then(
      (principal) => (principal ? this.upgrade(req, socket, head, principal, null) : refuse(401, 'Unauthorized')),
      (error: unknown) => {
        this.ctx.logger.error({ err: error }, 'authentication failed');
        refuse(503, 'Service Unavailable');
      },
    );
  }

  /** Stops taking new sockets (shutdown, step one). */
  /** Shutdown, step one: no new sockets, and requests on open ones are refused as `unavailable`. */
  stopAccepting(): void {
    this.accepting = false;
  }

  closeAll(code: number, reason: string): void {
    for (const conn of [...this.sockets]) conn.close(code, reason);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const conn of this.sockets) conn.ws.terminate();
    this.wss.close();
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, principal: Principal | null, pendingIp: string | null): void {
    if (socket.destroyed) return;
    socket.removeListener('error', destroySocket);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, principal, pendingIp));
  }

  private accept(ws: WebSocket, principal: Principal | null, pendingIp: string | null): void {
    const conn = new Connection(ws, this.o, this.ctx.hub.scheduleFlush, this.ctx.now());
    this.sockets.add(conn);
    ws.on('pong', () => (conn.alive = true));
    ws.on('error', (err) => {
      // ws closes on its own when a peer breaks the framing rules (1009 too big, 1007 not UTF-8, …).
      conn.closeLabel ??= libraryCloseCode(err);
      this.ctx.logger.debug({ err, userId: conn.userId }, 'socket error');
    });
    ws.on('close', (code) => this.closed(conn, code));
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    if (principal) return this.authenticated(conn, principal);
    if (pendingIp !== null) {
      this.pendingByIp.set(pendingIp, (this.pendingByIp.get(pendingIp) ?? 0) + 1);
      this.pendingTotal++;
      conn.pendingIp = pendingIp;
    }
    conn.authTimer = setTimeout(() => conn.close(CLOSE.authTimeout, CLOSE_REASONS.authTimeout), AUTH_DEADLINE_MS);
  }

  private authenticated(conn: Connection, p: Principal): void {
    if (conn.authTimer) clearTimeout(conn.authTimer);
    conn.authTimer = null;
    const wasPending = conn.pendingIp !== null;
    this.releasePending(conn);
    // First-frame auth: the cap of authenticated sockets applies now that it is one.
    if (wasPending && this.authenticatedCount > this.o.maxConnections) return conn.close(CLOSE.tryAgainLater, CLOSE_REASONS.serverFull);
    if (this.ctx.hub.connectionsOf(p.userId).size >= MAX_SOCKETS_PER_USER) {
      return conn.close(CLOSE.policyViolation, CLOSE_REASONS.tooManySockets);
    }
    conn.userId = p.userId;
    conn.sessionId = p.sessionId;
    conn.tokenExpiresAt = p.expiresAt;
    conn.state = 'ready';
    this.ctx.hub.add(conn);
    conn.send({
      type: 'ready',
      userId: p.userId,
      sessionId: p.sessionId,
      serverTime: this.ctx.now(),
      heartbeatMs: this.o.heartbeatMs,
      tokenExpiresAt: p.expiresAt,
      limits: this.limits,
    });
    this.ctx.presence.connected(conn);
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.state === 'closed') return;
    conn.alive = true; // a frame is as good a sign of life as a pong (which may be queued behind our data)
    if (conn.state === 'authenticating') return this.beforeAuth(conn, data, isBinary);
    this.onFrame(conn, isBinary ? null : data.toString());
  }

  /** One frame on an authenticated socket: its text, or null for a binary frame. */
  private onFrame(conn: Connection, text: string | null): void {
    if (text === null) return this.o.dispatcher.reject(conn, null, 'bad_frame', 'frames must be UTF-8 JSON text');
    const receivedAt = performance.now();
    const decoded = decodeClientFrame(text);
    if (!decoded.ok) return this.o.dispatcher.reject(conn, decoded.id, decoded.code, decoded.message);
    const frame = decoded.frame;
    if (frame.type === 'auth') return this.o.dispatcher.reject(conn, requestIdOf(text), 'invalid_request', 'already authenticated');
    if (!this.accepting) {
      return this.o.dispatcher.reject(conn, frame.id ?? null, 'unavailable', 'the server is shutting down; reconnect shortly', 1000);
    }
    void this.o.dispatcher.handle(conn, frame, receivedAt);
  }

  /**
   * Before authentication only an `auth` frame is acceptable: any other first frame, and
   * an `auth` frame that fails its schema, gets an error frame and closes the socket (4001).
   * Frames pipelined right behind the auth frame wait unread for its verdict (bounded),
   * then are handled as on any authenticated socket: a malformed one gets its error frame
   * and the socket stays open.
   */
  private beforeAuth(conn: Connection, data: RawData, isBinary: boolean): void {
    const text = isBinary ? null : data.toString();
    if (conn.early !== null) {
      if (conn.early.length < MAX_EARLY_FRAMES) return void conn.early.push(text);
      return conn.close(CLOSE.policyViolation, CLOSE_REASONS.tooManyEarlyFrames);
    }
    const decoded = text === null ? null : decodeClientFrame(text);
    if (!decoded?.ok || decoded.frame.type !== 'auth') {
      const id = text === null ? null : requestIdOf(text);
      if (decoded && !decoded.ok && decoded.type === 'auth') this.o.dispatcher.reject(conn, id, decoded.code, decoded.message);
      else this.o.dispatcher.reject(conn, id, 'auth_required', 'send an auth frame first');
      return conn.close(CLOSE.authTimeout, CLOSE_REASONS.authRequired);
    }
    conn.early = [];
    this.o.auth.authenticate(decoded.frame.token).then(
      (p) => {
        if (conn.state !== 'authenticating') return;
        if (!p) return conn.close(CLOSE.authInvalid, CLOSE_REASONS.authInvalid);
        const early = conn.early ?? [];
        conn.early = null;
        this.authenticated(conn, p);
        for (const text of early) this.onFrame(conn, text);
      },
      () => conn.close(CLOSE.internalError, CLOSE_REASONS.authUnavailable),
    );
  }

  private releasePending(conn: Connection): void {
    if (conn.pendingIp === null) return;
    const left = (this.pendingByIp.get(conn.pendingIp) ?? 1) - 1;
    if (left > 0) this.pendingByIp.set(conn.pendingIp, left);
    else this.pendingByIp.delete(conn.pendingIp);
    this.pendingTotal--;
    conn.pendingIp = null;
  }

  private closed(conn: Connection, code: number): void {
    // The one place closes are counted: the code the server closed with ('heartbeat' for a
    // missed ping), else the one ws closed with on its own, else what the peer sent (1006: none).
    this.ctx.metrics.closes.inc({ code: conn.closeLabel ?? String(code) });
    this.releasePending(conn);
    conn.retire();
    this.sockets.delete(conn);
    if (!this.ctx.hub.remove(conn)) return;
    this.ctx.presence.disconnected(conn);
    if (this.ctx.hub.connectionsOf(conn.userId).size === 0) this.o.onUserGone(conn.userId);
  }

  /**
   * Sockets whose access token ran out without a `session.renew` are closed with 4002
   * (refresh, then reconnect): a token stolen or revoked-by-expiry does not live on in an
   * open socket. Called every second by the server's sweep.
   */
  expireTokens(now: number): void {
    for (const conn of this.sockets) {
      if (conn.state !== 'closed' && conn.state !== 'authenticating' && conn.tokenExpiresAt <= now) {
        conn.close(CLOSE.authInvalid, CLOSE_REASONS.tokenExpired);
      }
    }
  }

  /** One timer for every socket: ping the living, cut off whoever showed no life since the last ping. */
  private sweep(): void {
    for (const conn of this.sockets) {
      if (conn.heartbeat()) conn.ws.ping();
      else conn.terminate('heartbeat');
    }
  }
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

/**
 * The close code ws sent when it ended a socket on its own because the peer broke the
 * rules of the framing layer (its 'error' event does not carry the code); null for other
 * errors (a reset connection), which the close event describes well enough.
 */
function libraryCloseCode(err: Error): string | null {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('WS_ERR_')) return null;
  if (code === 'WS_ERR_INVALID_UTF8') return String(CLOSE.invalidPayload);
  if (/^WS_ERR_UNSUPPORTED_.*_LENGTH$/.test(code)) return String(CLOSE.tooBig);
  if (code === 'WS_ERR_TOO_MANY_BUFFERED_PARTS') return String(CLOSE.policyViolation);
  return '1002'; // any other framing error is a protocol error
}
