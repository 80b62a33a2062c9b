import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CourierHttp, CourierSocket, type SocketOptions } from '../../src/client';
import type { AuthResponse } from '../../src/shared/protocol';
import { loadConfig, type ServerConfig } from '../../src/server/config';
import { createLogger } from '../../src/server/logger';
import { startServer, type RunningServer, type ServerDeps } from '../../src/server/server';

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
  const config = { ...loadConfig([], {}), port: 0, dataDir, presenceGraceMs: 200, rateMessagesPerSec: 1000, rateFramesPerSec: 2000, ...overrides };
  const server = await startServer({ config, logger: createLogger(process.env['COURIER_TEST_LOG'] ?? 'silent'), passwordCost: TEST_PASSWORD_COST, ...deps });
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
