import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcEventName, IpcEventPayload, IpcMethodName, IpcParams, IpcResultValue, Settings } from '../../src/shared/ipc';
import { createDesktopCore, type CreateDesktopCoreExtras } from '../../src/client/app/create-desktop-core';
import type { DesktopCore, DesktopCoreOptions, SecretVault } from '../../src/client/app/desktop-core';

/** A vault in a plain file, as a test stand-in for Electron's safeStorage. */
export function fileVault(file: string): SecretVault & { writes: number } {
  const vault = {
    writes: 0,
    read: () => Promise.resolve(readOrNull(file)),
    write: (secret: string | null) => {
      vault.writes++;
      if (secret === null) rmSync(file, { force: true });
      else writeFileSync(file, secret, { mode: 0o600 });
      return Promise.resolve();
    },
  };
  return vault;
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export interface RecordedEvent {
  event: IpcEventName;
  payload: unknown;
  at: number;
}

/** A DesktopCore with a recorder of every event it emits, driven through dispatch() as the renderer would. */
export interface TestApp {
  core: DesktopCore;
  profileDir: string;
  events: RecordedEvent[];
  shellCalls: Array<{ kind: string; value: unknown }>;
  call<M extends IpcMethodName>(method: M, params: IpcParams<M>): Promise<IpcResultValue<M>>;
  /** Resolves with the first event (already seen or future) matching `predicate`. */
  waitFor<E extends IpcEventName>(event: E, predicate?: (payload: IpcEventPayload<E>) => boolean, timeoutMs?: number, since?: number): Promise<IpcEventPayload<E>>;
  status(): string;
  close(): Promise<void>;
}

export function tempProfile(prefix = 'courier-app-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Fast reconnects so tests do not wait out real-world backoff. */
export const FAST_RECONNECT: CreateDesktopCoreExtras['connection'] = {
  baseDelayMs: 50,
  maxDelayMs: 500,
  healthyAfterMs: 2000,
  connectTimeoutMs: 3000,
  probeTimeoutMs: 1000,
};

export async function startApp(o: { profileDir?: string; extras?: CreateDesktopCoreExtras & Pick<DesktopCoreOptions, 'defaultServerUrl'> } = {}): Promise<TestApp> {
  const profileDir = o.profileDir ?? tempProfile();
  const events: RecordedEvent[] = [];
  const shellCalls: TestApp['shellCalls'] = [];
  const waiters = new Set<() => void>();
  const core = await createDesktopCore({
    profileDir,
    vault: fileVault(join(profileDir, 'test-vault')),
    deviceName: 'test device',
    shell: {
      openExternal: (url) => {
        shellCalls.push({ kind: 'openExternal', value: url });
        return Promise.resolve();
      },
      settingsChanged: (s: Settings) => void shellCalls.push({ kind: 'settings', value: s }),
    },
    connection: FAST_RECONNECT,
    ...o.extras,
  });
  core.subscribe((event, payload) => {
    events.push({ event, payload, at: Date.now() });
    for (const w of [...waiters]) w();
  });
  let lastStatus = 'signedOut';
  const app: TestApp = {
    core,
    profileDir,
    events,
    shellCalls,
    async call(method, params) {
      const result = await core.dispatch(method, params);
      if (!result.ok) throw Object.assign(new Error(`${method}: ${result.error.code}: ${result.error.message}`), { code: result.error.code });
      return result.value as never;
    },
    waitFor(event, predicate = () => true, timeoutMs = 10_000, since = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find((e, i) => i >= since && e.event === event && predicate(e.payload as never));
          if (!hit) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit.payload as never);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${event} event matching within ${timeoutMs} ms; last events: ${JSON.stringify(events.slice(-5)).slice(0, 1500)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    status: () => {
      const last = [...events].reverse().find((e) => e.event === 'connection');
      if (last) lastStatus = (last.payload as { status: string }).status;
      return lastStatus;
    },
    close: () => core.close(),
  };
  return app;
}

/** Waits until the app's connection reaches `status` (judging by events after index `since`). */
export function waitForStatus(app: TestApp, status: string, timeoutMs = 10_000, since = 0): Promise<unknown> {
  return app.waitFor('connection', (s) => s.status === status, timeoutMs, since);
}

/** A port that was free a moment ago, so a restarted server can come back on the same address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function removeProfile(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
