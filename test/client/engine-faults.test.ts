import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CourierHttp } from '../../src/client';
import type { IpcEventName } from '../../src/shared/ipc';
import { PASSWORD, startRestartableServer, type RestartableServer } from '../helpers/child-courier';
import { removeProfile, startApp, tempProfile, waitForStatus, type TestApp } from '../helpers/engine';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { quietPeriod } from '../helpers/wait';

let server: RestartableServer;
const apps: TestApp[] = [];
const children: ChildProcess[] = [];

beforeEach(async () => {
  server = await startRestartableServer();
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const app of apps.splice(0)) {
    await app.close();
    removeProfile(app.profileDir);
  }
  await server.stop();
});

describe('desktop engine under faults', () => {
  it('a network that goes silent is detected within about two heartbeats, and the app recovers when it answers again', async () => {
    const proxy = await startTcpProxy({ targetPort: server.port });
    try {
      const app = await startApp();
      apps.push(app);
      await app.call('session.register', { serverUrl: `http://127.0.0.1:${proxy.port}`, username: 'alice', password: PASSWORD });
      await waitForStatus(app, 'online');

      const silentFrom = Date.now();
      const mark = app.events.length;
      proxy.blackhole(true);
      // The server pings every 1000 ms; the engine gives up after 2 silent heartbeats (checked 4 times per window).
      await app.waitFor('connection', (s) => s.status !== 'online', 8000, mark);
      const detectedAfter = Date.now() - silentFrom;
      expect(detectedAfter).toBeLessThan(2 * 1000 * 1.25 + 1500);

      proxy.blackhole(false);
      await waitForStatus(app, 'online', 15_000, mark + 1);
    } finally {
      await proxy.close();
    }
  });

  it('a revoked session stops the app with a sign-in request instead of a retry loop', async () => {
    const app = await startApp();
    apps.push(app);
    const account = await app.call('session.register', { serverUrl: server.url, username: 'alice', password: PASSWORD });
    await waitForStatus(app, 'online');

    // Alice signs in elsewhere and revokes the desktop session.
    const http = new CourierHttp(server.url);
    const other = await http.login({ username: 'alice', password: PASSWORD, deviceName: 'phone' });
    const mark = app.events.length;
    await http.revokeSession(other.tokens.accessToken, account.sessionId);

    const ended = await app.waitFor('connection', (s) => s.status === 'signedOut', 10_000, mark);
    expect(ended.error?.code).toBe('session_ended');
    const after = app.events.length;
    // A retry loop would run on the reconnect timers (backoff up to 500 ms here); "no timer
    // fired" has no event to wait on, so give it room for several rounds.
    await quietPeriod(1500);
    expect(app.events.slice(after).filter((e) => e.event === 'connection')).toEqual([]);
    // The account is remembered so the UI can offer to sign in again as alice.
    expect((await app.call('session.get', null)).account?.username).toBe('alice');
  });

  it('a refresh token the server refuses at start-up stops at once (no retry loop)', async () => {
    const profileDir = tempProfile();
    const first = await startApp({ profileDir });
    await first.call('session.register', { serverUrl: server.url, username: 'alice', password: PASSWORD });
    await waitForStatus(first, 'online');
    await first.close();
    // The session is revoked while the app is not running.
    const http = new CourierHttp(server.url);
    const other = await http.login({ username: 'alice', password: PASSWORD, deviceName: 'phone' });
    const sessions = await http.sessions(other.tokens.accessToken);
    for (const s of sessions.filter((s) => !s.current)) await http.revokeSession(other.tokens.accessToken, s.id);

    const app = await startApp({ profileDir });
    apps.push(app);
    await app.waitFor('connection', (s) => s.status === 'signedOut' && s.error?.code === 'session_ended');
    const after = app.events.length;
    await quietPeriod(1500); // as above: a retry loop is timer-driven, with no event to wait on
    expect(app.events.slice(after).filter((e) => e.event === 'connection')).toEqual([]);
    expect((await app.call('session.get', null)).connection.status).toBe('signedOut');
  });

  it('the app killed (SIGKILL) while sending its outbox sends each message exactly once after a restart', async () => {
    const bob = await server.user('bob');
    const profileDir = tempProfile();
    let app = spawnApp(profileDir);
    await app.call('session.register', { serverUrl: server.url, username: 'alice', password: PASSWORD });
    await app.waitFor('connection', (p) => (p as { status: string }).status === 'online');
    const conversation = (await app.call('conversation.openDirect', { userId: bob.user.id })) as { id: string };
    const total = 600;
    const sends = Array.from({ length: total }, (_, i) => app.call('message.send', { conversationId: conversation.id, body: `queued ${i}` }));
    await Promise.all(sends);
    // Kill as soon as some have been acknowledged, with most still in flight or queued.
    await app.waitFor('messages.changed', (p) => (p as { messages: Array<{ state: string }> }).messages.some((m) => m.state === 'sent'));
    app.child.kill('SIGKILL');
    await app.exited;
    const sentBeforeKill = app.count('messages.changed', (p) => (p as { messages: Array<{ state: string }> }).messages.some((m) => m.state === 'sent'));
    expect(sentBeforeKill).toBeLessThan(total);

    app = spawnApp(profileDir);
    await app.waitFor('outbox', (p) => (p as { pending: number }).pending === 0, 30_000);

    const bobSocket = await server.connect(bob);
    const bodies: string[] = [];
    let before: string | undefined;
    do {
      const page = await bobSocket.history(conversation.id, before, 100);
      bodies.unshift(...page.messages.flatMap((m) => (m.kind === 'text' ? [m.body] : [])));
      before = page.before ?? undefined;
    } while (before);
    expect(bodies).toEqual(Array.from({ length: total }, (_, i) => `queued ${i}`));
    app.child.kill('SIGKILL');
    await app.exited;
    removeProfile(profileDir);
  });
});

interface AppProcess {
  child: ChildProcess;
  exited: Promise<void>;
  call(method: string, params: unknown): Promise<unknown>;
  waitFor(event: IpcEventName, predicate: (payload: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
  count(event: IpcEventName, predicate: (payload: unknown) => boolean): number;
}

/** The desktop core in its own process (test/helpers/engine-child.ts), so it can be SIGKILLed. */
function spawnApp(profileDir: string): AppProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/engine-child.ts', profileDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const events: Array<{ event: IpcEventName; payload: unknown }> = [];
  const calls = new Map<number, (r: { ok: boolean; value?: unknown; error?: unknown }) => void>();
  const waiters = new Set<() => void>();
  let nextId = 1;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as { id?: number; result?: { ok: boolean }; event?: IpcEventName; payload?: unknown };
    if (message.id !== undefined && message.result) calls.get(message.id)?.(message.result);
    if (message.event) {
      events.push({ event: message.event, payload: message.payload });
      for (const w of [...waiters]) w();
    }
  });
  return {
    child,
    exited,
    call(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        calls.set(id, (r) => (r.ok ? resolve(r.value) : reject(new Error(`${method}: ${JSON.stringify(r.error)}`))));
        child.stdin!.write(`${JSON.stringify({ id, method, params })}\n`);
      });
    },
    waitFor(event, predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find((e) => e.event === event && predicate(e.payload));
          if (!hit) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit.payload);
          return true;
        };
        const timer = setTimeout(() => reject(new Error(`app process: no matching ${event} within ${timeoutMs} ms`)), timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    count: (event, predicate) => events.filter((e) => e.event === event && predicate(e.payload)).length,
  };
}
