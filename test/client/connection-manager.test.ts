import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../src/shared/ipc';
import { ConnectionManager, type ConnectionManagerOptions, type TokenSource } from '../../src/client/connection/connection-manager';
import { quietPeriod, startTestServer, waitUntil, type TestServer } from '../helpers/server';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { freePort } from '../helpers/engine';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(port = 0): Promise<TestServer> {
  const s = await startTestServer({ port });
  cleanups.push(() => s.stop());
  return s;
}

async function proxyTo(port: number): Promise<TcpProxy> {
  const p = await startTcpProxy({ targetPort: port });
  cleanups.push(() => p.close());
  return p;
}

function manager(serverUrl: string, tokens: TokenSource, o: Partial<ConnectionManagerOptions> = {}) {
  const states: ConnectionState[] = [];
  const m = new ConnectionManager({
    serverUrl,
    tokens,
    onConnected: () => Promise.resolve(),
    onState: (s) => states.push(s),
    baseDelayMs: 50,
    maxDelayMs: 200,
    connectTimeoutMs: 2000,
    ...o,
  });
  cleanups.push(() => m.stop());
  const until = (status: string, since = 0, timeoutMs = 10_000) =>
    waitUntil(() => states.slice(since).some((s) => s.status === status), {
      timeoutMs,
      message: () => `${status}: ${states.map((s) => s.status).join(' → ')}`,
    });
  return { m, states, until };
}

const fixed = (token: string): TokenSource => ({ accessToken: () => Promise.resolve(token), invalidate: () => {} });

describe('ConnectionManager', () => {
  it('goes connecting → authenticating → catchingUp → online, and catching up is the caller\'s onConnected', async () => {
    const s = await server();
    const alice = await s.user();
    let release!: () => void;
    const caughtUp = new Promise<void>((r) => (release = r));
    const { m, states, until } = manager(s.url, fixed(alice.tokens.accessToken), { onConnected: () => caughtUp });
    m.start();
    await until('catchingUp');
    expect(m.isOnline).toBe(false);
    release();
    await until('online');
    expect(states.map((x) => x.status)).toEqual(['connecting', 'authenticating', 'catchingUp', 'online']);
    expect(m.isOnline).toBe(true);
  });

  it('retries with backoff while the server is down, and reconnectNow() skips the wait', async () => {
    const port = await freePort();
    let token = 'none yet';
    const tokens: TokenSource = { accessToken: () => Promise.resolve(token), invalidate: () => {} };
    const { m, states, until } = manager(`http://127.0.0.1:${port}`, tokens, { baseDelayMs: 60_000, maxDelayMs: 60_000, random: () => 0.99 });
    m.start();
    await until('offline');
    const waiting = states.at(-1)!;
    expect(waiting.attempt).toBe(1);
    expect(waiting.nextRetryAt! - Date.now()).toBeGreaterThan(30_000);
    expect(waiting.error?.code).toBe('network');

    const s = await server(port);
    token = (await s.user()).tokens.accessToken;
    const mark = states.length;
    m.reconnectNow('network-online');
    await until('online', mark, 5000);
  });

  it('reconnectNow() while online probes the link: a dead one is dropped within the probe timeout, not two heartbeats', async () => {
    const s = await server(); // default 25 s heartbeat: liveness alone would take 50 s
    const alice = await s.user();
    const proxy = await proxyTo(s.port);
    const { m, states, until } = manager(`http://127.0.0.1:${proxy.port}`, fixed(alice.tokens.accessToken), { probeTimeoutMs: 300 });
    m.start();
    await until('online');
    proxy.blackhole(true);
    const mark = states.length;
    const asked = Date.now();
    m.reconnectNow('resume');
    await until('offline', mark, 5000);
    expect(Date.now() - asked).toBeLessThan(5000);
    proxy.blackhole(false);
    proxy.resetAll();
    await until('online', mark, 10_000);
  });

  it('a refused access token is refreshed once and the connection retried at once', async () => {
    const s = await server();
    const alice = await s.user();
    let calls = 0;
    let invalidated = 0;
    const tokens: TokenSource = {
      accessToken: () => Promise.resolve(++calls === 1 ? 'expired-token' : alice.tokens.accessToken),
      invalidate: () => void invalidated++,
    };
    const { m, states, until } = manager(s.url, tokens);
    m.start();
    await until('online');
    expect(invalidated).toBe(1);
    expect(states.some((x) => x.status === 'offline')).toBe(false);
  });

  it('a token refused even after a refresh stops with signedOut instead of looping', async () => {
    const s = await server();
    const { m, states, until } = manager(s.url, fixed('forged-token'));
    m.start();
    await until('signedOut');
    const count = states.length;
    // A retry would come from a timer (backoff here is 50-200 ms), and "no timer fired" has
    // no event to wait on: give it more than two full backoffs to show up.
    await quietPeriod(500);
    expect(states.length).toBe(count);
    expect(states.at(-1)?.error?.code).toBe('session_ended');
  });

  it('the attempt counter resets after a healthy period online', async () => {
    const s = await server();
    const alice = await s.user();
    const proxy = await proxyTo(s.port);
    const { m, states, until } = manager(`http://127.0.0.1:${proxy.port}`, fixed(alice.tokens.accessToken), { healthyAfterMs: 300 });
    m.start();
    await until('online');
    proxy.resetAll();
    await until('offline', 0);
    expect(states.at(-1)?.attempt).toBe(1);
    const mark = states.length;
    await until('online', mark);
    // Reset by a timer after healthyAfterMs online; the reset is a state change to wait for.
    await waitUntil(() => m.current.attempt === 0, { message: () => `the attempt counter to reset (still ${m.current.attempt})` });
    expect(m.current.attempt).toBe(0);
  });
});
