import WebSocket from 'ws';
import {
  PROTOCOL,
  RESULT_SCHEMAS,
  WS_PATH,
  decodeServerFrame,
  type EventFrame,
  type EventType,
  type ReadyFrame,
  type RequestParams,
  type RequestType,
  type ResultData,
  type SyncBatchFrame,
} from '../shared/protocol';
import { uuidv7 } from '../shared/uuid-v7';
import { CourierError } from './errors';

export interface SocketOptions {
  /** http(s) base URL of the server; the socket goes to ws(s)://…/ws. */
  serverUrl: string;
  accessToken: string;
  /** 'header' (default): Authorization at the upgrade. 'frame': an auth frame, as browsers must. */
  auth?: 'header' | 'frame';
  /** Sent as the Origin header, as a browser would. */
  origin?: string;
  requestTimeoutMs?: number;
  /** Largest frame accepted from the server. */
  maxPayload?: number;
  /** Extra trusted CA certificate (PEM) for a server with a private certificate authority. */
  ca?: string | Buffer;
  /**
   * Give up if `ready` has not arrived this long after starting (TCP, TLS, upgrade and
   * auth together). Without it a connect into a silent network would wait forever.
   */
  connectTimeoutMs?: number;
  /** Called when the WebSocket is open and authentication is under way. */
  onOpen?: () => void;
}

/** `before` (a cursor from the previous page) or `beforeSeq` (entries with seq < beforeSeq), not both. */
export interface HistoryPageOptions {
  before?: string;
  beforeSeq?: number;
  limit?: number;
}

type EventOf<T extends EventType> = Extract<EventFrame, { type: T }>;
type Handler<T extends EventType> = (event: EventOf<T>) => void;
interface Pending {
  type: RequestType;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  onBatch?: (batch: SyncBatchFrame) => void;
}

/**
 * One authenticated connection speaking the Courier protocol: typed requests with
 * results, typed events, catch-up. It does not reconnect; the app's connection manager
 * (built on this) owns that policy.
 */
export class CourierSocket {
  ready!: ReadyFrame;
  private readonly ws: WebSocket;
  private readonly pending = new Map<string, Pending>();
  private readonly handlers = new Map<string, Set<(e: EventFrame) => void>>();
  private readonly closeHandlers = new Set<(code: number, reason: string) => void>();
  private readonly errorHandlers = new Set<(error: CourierError) => void>();
  private nextId = 1;
  private closedWith: { code: number; reason: string } | null = null;

  private constructor(private readonly o: SocketOptions) {
    const url = `${o.serverUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}${WS_PATH}`;
    const headers: Record<string, string> = {};
    if ((o.auth ?? 'header') === 'header') headers['authorization'] = `Bearer ${o.accessToken}`;
    this.ws = new WebSocket(url, [PROTOCOL], {
      headers,
      ...(o.origin ? { origin: o.origin } : {}),
      ...(o.ca ? { ca: o.ca } : {}),
      perMessageDeflate: false,
      maxPayload: o.maxPayload ?? 16 * 1024 * 1024,
      ...(o.connectTimeoutMs ? { handshakeTimeout: o.connectTimeoutMs } : {}),
    });
  }

  /** Opens and authenticates; resolves on the server's `ready`. */
  static connect(o: SocketOptions): Promise<CourierSocket> {
    const socket = new CourierSocket(o);
    return socket.open();
  }

  get userId(): string {
    return this.ready.userId;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN && this.closedWith === null;
  }

  /** The raw ws, for tests that need to misbehave on purpose. */
  get raw(): WebSocket {
    return this.ws;
  }

  request<T extends RequestType>(type: T, params: RequestParams<T>, onBatch?: (b: SyncBatchFrame) => void): Promise<ResultData<T>> {
    if (this.closedWith) return Promise.reject(new CourierError('closed', `connection closed (${this.closedWith.code})`));
    const id = String(this.nextId++);
    return new Promise<ResultData<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CourierError('timeout', `${type} got no answer in time`));
      }, this.o.requestTimeoutMs ?? 15_000);
      this.pending.set(id, { type, resolve: resolve as (v: unknown) => void, reject, timer, ...(onBatch ? { onBatch } : {}) });
      this.ws.send(JSON.stringify({ type, id, ...params }));
    });
  }

  /** Fire-and-forget notice (typing, presence, receipts): no result is awaited. */
  notify<T extends 'typing.set' | 'presence.set' | 'receipt.mark'>(type: T, params: RequestParams<T>): void {
    if (this.isOpen) this.ws.send(JSON.stringify({ type, ...params }));
  }

  on<T extends EventType>(type: T, handler: Handler<T>): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler as (e: EventFrame) => void);
    return () => set.delete(handler as (e: EventFrame) => void);
  }

  /** Errors answering notices sent without an id (e.g. a rate-limited typing notice). */
  onServerError(handler: (error: CourierError) => void): () => void {
    this.errorHandlers.add(handler);
    return () => this.errorHandlers.delete(handler);
  }

  onClose(handler: (code: number, reason: string) => void): () => void {
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  /** Catch-up: `onBatch` sees each slice as it lands; resolves on the "caught up" result. */
  sync(watermarks: Array<[string, number]>, onBatch: (batch: SyncBatchFrame) => void, backlog?: number): Promise<ResultData<'sync'>> {
    return this.request('sync', backlog === undefined ? { watermarks } : { watermarks, backlog }, onBatch);
  }

  send(conversationId: string, body: string, clientId: string = uuidv7()): Promise<ResultData<'message.send'>> {
    return this.request('message.send', { conversationId, clientId, body });
  }

  /**
   * One page of history, oldest first. Pass the previous page's `before` cursor, or an
   * options object: `{ beforeSeq }` pages older than a seq the caller already stores.
   */
  history(conversationId: string, before?: string | HistoryPageOptions, limit?: number): Promise<ResultData<'history.fetch'>> {
    const o: HistoryPageOptions = typeof before === 'object' ? before : { ...(before ? { before } : {}), ...(limit ? { limit } : {}) };
    return this.request('history.fetch', {
      conversationId,
      ...(o.before ? { before: o.before } : {}),
      ...(o.beforeSeq !== undefined ? { beforeSeq: o.beforeSeq } : {}),
      ...(o.limit ? { limit: o.limit } : {}),
    });
  }

  close(code = 1000, reason = 'bye'): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close(code, reason);
    });
  }

  private open(): Promise<CourierSocket> {
    return new Promise((resolve, reject) => {
      const deadline = this.o.connectTimeoutMs
        ? setTimeout(() => fail(new CourierError('timeout', `no answer from the server within ${this.o.connectTimeoutMs} ms`)), this.o.connectTimeoutMs)
        : undefined;
      const fail = (error: Error) => {
        clearTimeout(deadline);
        this.ws.terminate();
        reject(error);
      };
      const ready = (socket: CourierSocket) => {
        clearTimeout(deadline);
        resolve(socket);
      };
      this.ws.once('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        const code = status === 401 ? 'auth_invalid' : status === 503 ? 'unavailable' : 'invalid_request';
        fail(new CourierError(code, `server refused the connection (HTTP ${status})`, undefined, status));
      });
      this.ws.once('error', (e) => fail(new CourierError('network', e.message)));
      this.ws.on('message', (data) => this.onFrame(data.toString(), ready));
      this.ws.on('close', (code, reason) => {
        this.closedWith = { code, reason: reason.toString() };
        for (const p of this.pending.values()) {
          clearTimeout(p.timer);
          p.reject(new CourierError('closed', `connection closed (${code} ${reason.toString()})`));
        }
        this.pending.clear();
        clearTimeout(deadline);
        reject(new CourierError('closed', `connection closed before ready (${code} ${reason.toString()})`));
        for (const h of this.closeHandlers) h(code, reason.toString());
      });
      this.ws.once('open', () => {
        this.o.onOpen?.();
        if (this.o.auth === 'frame') this.ws.send(JSON.stringify({ type: 'auth', token: this.o.accessToken }));
      });
    });
  }

  private onFrame(text: string, onReady: (s: CourierSocket) => void): void {
    const decoded = decodeServerFrame(text);
    if (!decoded.ok) return; // a newer server's frame type: ignore rather than fail
    const frame = decoded.frame;
    switch (frame.type) {
      case 'ready':
        this.ready = frame;
        this.ws.removeAllListeners('error');
        this.ws.on('error', () => {}); // 'close' follows and reports it
        return onReady(this);
      case 'result': {
        const p = this.take(frame.id);
        if (!p) return;
        const parsed = RESULT_SCHEMAS[p.type].safeParse(frame.data);
        if (parsed.success) p.resolve(parsed.data);
        else p.reject(new CourierError('bad_frame', `unexpected result for ${p.type}`));
        return;
      }
      case 'error': {
        const p = frame.id ? this.take(frame.id) : undefined;
        const error = new CourierError(frame.code, frame.message, frame.retryAfterMs);
        if (p) p.reject(error);
        else for (const h of this.errorHandlers) h(error);
        return;
      }
      case 'sync.batch': {
        const p = this.pending.get(frame.id);
        try {
          p?.onBatch?.(frame);
        } catch (error) {
          // The caller could not take this batch (e.g. its disk is full): fail the sync and
          // drop the connection; the next connection's sync asks for the same entries again.
          this.take(frame.id)?.reject(error instanceof Error ? error : new Error(String(error)));
          this.ws.terminate();
        }
        return;
      }
      default:
        return this.emit(frame);
    }
  }

  private take(id: string): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    clearTimeout(p.timer);
    return p;
  }

  private emit(frame: EventFrame): void {
    const set = this.handlers.get(frame.type);
    if (!set) return;
    for (const h of set) {
      try {
        h(frame);
      } catch (error) {
        // A handler that cannot take an event must not take the process down with it, nor
        // carry on as if the event had been handled: drop the connection so catch-up
        // delivers the event again on the next one.
        console.error(`courier: handling ${frame.type} failed; reconnecting`, error);
        this.ws.terminate();
        return;
      }
    }
  }
}
