import { afterEach, describe, expect, it } from 'vitest';
import { quietPeriod, startTestServer, type TestServer } from '../helpers/server';
import { removeProfile, startApp, waitForStatus, type TestApp } from '../helpers/engine';

/**
 * The server closes a socket when its access token expires (4002) unless the client renews
 * it in-band. The desktop engine refreshes ahead of expiry and hands each new token to the
 * open socket, so the user never sees a reconnect. Tokens here live 5 s (real time).
 */
const TTL_MS = 5_000;
let server: TestServer | null = null;
let app: TestApp | null = null;
afterEach(async () => {
  await app?.close();
  if (app) removeProfile(app.profileDir);
  app = null;
  await server?.stop();
  server = null;
});

describe('engine: access tokens on a long-lived connection', () => {
  it('renews the open socket with every refreshed token: no 4002, no reconnect, across several token lifetimes', async () => {
    server = await startTestServer({ accessTokenTtlMs: TTL_MS });
    const renewals: string[] = [];
    const authenticate = server.auth.authenticate.bind(server.auth);
    // Every token the server checks after the connect is a renewal (the HTTP API is not used here).
    server.auth.authenticate = async (token) => {
      renewals.push(token);
      return authenticate(token);
    };
    app = await startApp();
    await app.call('session.register', { serverUrl: server.url, username: `renew${process.pid}`, password: 'correct horse battery' });
    await waitForStatus(app, 'online');
    const since = app.events.length;
    // Two whole lifetimes of the first token and more; timer-driven, so a quiet period it is.
    await quietPeriod(TTL_MS * 2 + 1_000);
    expect(app.events.slice(since).filter((e) => e.event === 'connection')).toEqual([]);
    expect(app.status()).toBe('online');
    expect(new Set(renewals.slice(1)).size).toBeGreaterThanOrEqual(3); // the connect, then a renewal every half lifetime
    await expect(app.call('conversations.list', null)).resolves.toEqual([]);
    expect(server.connectionCount()).toBe(1);
  }, 30_000);
});
