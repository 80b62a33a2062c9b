import { mkdtempSync, rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CourierHttp, CourierSocket, type SocketOptions } from '../../src/client';
import { PROTOCOL, WS_PATH, type AuthResponse } from '../../src/shared/protocol';
import { loadConfig, type ServerConfig } from '../../src/server/config';
import { createLogger } from '../../src/server/logger';
import type { AbusePolicy } from '../../src/server/realtime/budgets';
import { startServer, type RunningServer, type ServerDeps } from '../../src/server/server';

/** Budgets far above what any test does, unless a test sets its own (deps.policy). */
export const GENEROUS_POLICY: Partial<AbusePolicy> = {
  groupsPerHour: 100_000,
  membersAddedPerHour: 1_000_000,
  directsPerHour: 100_000,
  conversationChangesPerMinute: 100_000,
  readsPerSecond: 100_000,
  readBytesPerSecond: 1 << 30,
  searchesPerMinute: 100_000,
};

/** Cheap scrypt for tests: the cost is a parameter stored with each hash. */
export const TEST_PASSWORD_COST = { N: 1 << 10, r: 8, p: 1 };

export interface TestServer extends RunningServer {
  dataDir: string;
  http: CourierHttp;
  /** Registers a user and returns their tokens. */
  user(name?: string, device?: string): Promise<TestUser>;
  stop(): Promise<void>;
}

export interface TestUser extends AuthResponse {
  name: string;
  password: string;
  /** Opens another authenticated socket (a device) for this user. */
  connect(o?: Partial<SocketOptions>): Promise<CourierSocket>;
}

let counter = 0;

/** A real server on port 0 with a real SQLite file in a fresh temp folder. */
export async function startTestServer(overrides: Partial<ServerConfig> = {}, deps: Partial<ServerDeps> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'courier-test-'));
  const config = { ...loadConfig([], {}), port: 0, metricsPort: 0, dataDir, presenceGraceMs: 200, rateMessagesPerSec: 1000, rateFramesPerSec: 2000, ...overrides };
  const server = await startServer({
    config,
    logger: createLogger(process.env['COURIER_TEST_LOG'] ?? 'silent'),
    passwordCost: TEST_PASSWORD_COST,
    ...deps,
    // Tests drive many users from one process in a burst: budgets are tested where they are the subject.
    policy: { ...GENEROUS_POLICY, ...deps.policy },
  });
  const http = new CourierHttp(server.url);
  const sockets: CourierSocket[] = [];
  const user = async (name = `user${++counter}x${process.pid}`, device = 'test device'): Promise<TestUser> => {
    const password = 'correct horse battery';
    const auth = await http.register({ username: name, password, deviceName: device });
    return {
      ...auth,
      name: name.toLowerCase(),
      password,
      connect: async (o = {}) => {
        const socket = await CourierSocket.connect({ serverUrl: server.url, accessToken: auth.tokens.accessToken, ...o });
        sockets.push(socket);
        return socket;
      },
    };
  };
  return {
    ...server,
    dataDir,
    http,
    user,
    stop: async () => {
      await Promise.all(sockets.map((s) => s.close().catch(() => {})));
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the first event of `type` matching `predicate` (or rejects after `ms`). */
export function nextEvent<T extends Parameters<CourierSocket['on']>[0]>(
  socket: CourierSocket,
  type: T,
  predicate: (e: Parameters<Parameters<CourierSocket['on']>[1]>[0] & { type: T }) => boolean = () => true,
  ms = 5000,
): Promise<Parameters<Parameters<CourierSocket['on']>[1]>[0] & { type: T }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${type} event within ${ms} ms`));
    }, ms);
    const off = socket.on(type, ((e: never) => {
      if (!predicate(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    }) as never);
  });
}

/** Collects every event of `type` into an array (for "nothing arrives" checks). */
export function collect<T extends Parameters<CourierSocket['on']>[0]>(socket: CourierSocket, type: T) {
  const events: Array<Parameters<Parameters<CourierSocket['on']>[1]>[0] & { type: T }> = [];
  socket.on(type, ((e: never) => events.push(e)) as never);
  return events;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { quietPeriod, waitUntil, type WaitUntilOptions } from './wait';

/** Ids of the requests `barrier` sends on a raw socket, so checks of what a socket carried can leave them out. */
export const BARRIER_ID_PREFIX = 'barrier-';
let barriers = 0;

/**
 * A round trip on `socket` (a cheap read-only request) that returns only once the socket
 * has received everything the server published to it before the request arrived.
 *
 * This holds because frames to one socket leave the server in order, and the server
 * publishes an action's events (the bus is synchronous) before it answers the request
 * that caused them. So once an action's answer is in, a barrier on any socket that may
 * hear of it proves that socket heard all there was to hear: "nothing arrived" is then a
 * fact, not a guess about how long delivery takes. It says nothing about events sent by
 * timers or by notices that got no answer.
 */
export async function barrier(socket: CourierSocket | RawClient): Promise<void> {
  if (socket instanceof CourierSocket) {
    await socket.request('conversation.list', {});
    return;
  }
  const id = `${BARRIER_ID_PREFIX}${++barriers}`;
  socket.ws.send(JSON.stringify({ type: 'conversation.list', id }));
  await socket.next((f) => f['type'] === 'result' && f['id'] === id);
}

/** Catches up from nothing and returns everything the sync carried. */
export async function syncAll(socket: CourierSocket, watermarks: Array<[string, number]> = []) {
  const batches: Parameters<Parameters<CourierSocket['sync']>[1]>[0][] = [];
  const result = await socket.sync(watermarks, (b) => batches.push(b));
  return {
    result,
    conversations: batches.flatMap((b) => b.conversations),
    messages: batches.flatMap((b) => b.messages),
    removed: batches.flatMap((b) => b.removed),
    batches,
  };
}

/** A raw protocol socket for tests that misbehave on purpose: every frame kept, nothing validated. */
export interface RawClient {
  ws: WebSocket;
  /** Resolves with the close code and reason, whoever closed. */
  closed: Promise<{ code: number; reason: string }>;
  /** Parsed text frames not yet taken by `next`, oldest first. */
  inbox: Array<Record<string, unknown>>;
  /** Every text frame received, exactly as sent by the server. */
  texts: string[];
  /** Takes the first frame (queued or coming) that matches, or rejects after `ms`. */
  next(predicate?: (f: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
}

export interface RawClientOptions {
  /** Sent as `Authorization: Bearer …`; leave out for first-frame auth. */
  token?: string;
  /** Subprotocols offered; [PROTOCOL] unless given. */
  protocols?: string[];
  path?: string;
  origin?: string;
  headers?: Record<string, string>;
}

/**
 * Opens a raw socket. Resolves once open (for header auth, the `ready` frame is then in
 * the inbox), or rejects with the HTTP status of a refused upgrade as `status`.
 */
export function rawClient(server: { url: string }, o: RawClientOptions = {}): Promise<RawClient> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token !== undefined) headers['authorization'] = `Bearer ${o.token}`;
  const url = `${server.url.replace(/^http/, 'ws')}${o.path ?? WS_PATH}`;
  const ws = new WebSocket(url, o.protocols ?? [PROTOCOL], { headers, perMessageDeflate: false, ...(o.origin ? { origin: o.origin } : {}) });
  const inbox: Array<Record<string, unknown>> = [];
  const texts: string[] = [];
  const waiters = new Set<{ predicate: (f: Record<string, unknown>) => boolean; take: (f: Record<string, unknown>) => void }>();
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const text = data.toString();
    texts.push(text);
    const frame = JSON.parse(text) as Record<string, unknown>;
    for (const w of waiters) {
      if (!w.predicate(frame)) continue;
      waiters.delete(w);
      return w.take(frame);
    }
    inbox.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const next = (predicate: (f: Record<string, unknown>) => boolean = () => true, ms = 5000) => {
    const index = inbox.findIndex(predicate);
    if (index >= 0) return Promise.resolve(inbox.splice(index, 1)[0]!);
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const waiter = {
        predicate,
        take: (f: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching frame within ${ms} ms`));
      }, ms);
      waiters.add(waiter);
    });
  };
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(Object.assign(new Error(`upgrade refused with HTTP ${res.statusCode}`), { status: res.statusCode }));
    });
    ws.once('error', reject);
    ws.once('open', () => {
      ws.removeListener('error', reject);
      ws.on('error', () => {}); // 'close' reports it
      resolve({ ws, closed, inbox, texts, next });
    });
  });
}

/**
 * For files that start servers inside their tests: returns `start`, and stops every server
 * it started after each test.
 */
export function serverPerTest(): (...args: Parameters<typeof startTestServer>) => Promise<TestServer> {
  let started: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(started.map((s) => s.stop()));
    started = [];
  });
  return async (...args) => {
    const server = await startTestServer(...args);
    started.push(server);
    return server;
  };
}
