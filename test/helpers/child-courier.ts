import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CourierHttp, CourierSocket } from '../../src/client';
import type { AuthResponse } from '../../src/shared/protocol';
import { killAllChildServers, startChildServer, type ChildServer } from './child-server';
import { freePort } from './engine';

/**
 * A child-process server on a fixed port (so it can be killed and restarted at the same
 * address, as a real server would be) with quick heartbeats and relaxed rate limits.
 */
export interface RestartableServer {
  url: string;
  port: number;
  dataDir: string;
  current(): ChildServer;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  /** Starts again on the same port and data. */
  restart(): Promise<void>;
  /** Registers a user over HTTP. */
  user(name: string): Promise<AuthResponse & { password: string }>;
  /** Opens a plain protocol socket for a user (a second person in the test), synced so live events flow. */
  connect(auth: AuthResponse): Promise<CourierSocket>;
  stop(): Promise<void>;
}

export const PASSWORD = 'correct horse battery';

export async function startRestartableServer(extraArgs: string[] = []): Promise<RestartableServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'courier-child-'));
  const port = await freePort();
  const args = ['--port', String(port), '--heartbeat-ms', '1000', '--rate-messages', '2000', '--rate-frames', '4000', '--presence-grace-ms', '0', ...extraArgs];
  let child = await startChildServer({ dataDir, args });
  const url = child.url;
  const sockets: CourierSocket[] = [];
  return {
    url,
    port,
    dataDir,
    current: () => child,
    async kill() {
      child.kill('SIGKILL');
      await child.exited;
    },
    async restart() {
      child = await startChildServer({ dataDir, args });
    },
    async user(name) {
      const auth = await new CourierHttp(url).register({ username: name, password: PASSWORD, deviceName: 'test' });
      return { ...auth, password: PASSWORD };
    },
    async connect(auth) {
      const socket = await CourierSocket.connect({ serverUrl: url, accessToken: auth.tokens.accessToken });
      sockets.push(socket);
      // The server sends live events only after a connection's first sync.
      await socket.sync([], () => {}, 0);
      return socket;
    },
    async stop() {
      await Promise.all(sockets.map((s) => s.close().catch(() => {})));
      await killAllChildServers();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
