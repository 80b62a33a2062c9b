import { afterEach, describe, expect, it } from 'vitest';
import type { CourierSocket } from '../../src/client';
import { quietPeriod, startTestServer, syncAll, type TestServer } from '../helpers/server';

/**
 * A socket lives as long as the access token it proved itself with, unless the client
 * hands it a fresh one in-band (`session.renew`). The server's clock is the test's.
 */
const TTL_MS = 60_000;
let server: TestServer | null = null;
let clock = 1_700_000_000_000;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function start(): Promise<TestServer> {
  clock = 1_700_000_000_000;
  server = await startTestServer({ accessTokenTtlMs: TTL_MS }, { now: () => clock });
  return server;
}

function closed(socket: CourierSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.onClose((code, reason) => resolve({ code, reason })));
}

describe('access token expiry on an open socket', () => {
  it('closes the socket with 4002 once its token expires; ready says when', async () => {
    const s = await start();
    const u = await s.user();
    const socket = await u.connect();
    expect(socket.ready.tokenExpiresAt).toBe(u.tokens.accessExpiresAt);
    await syncAll(socket);
    const end = closed(socket);
    clock = u.tokens.accessExpiresAt;
    expect(await end).toEqual({ code: 4002, reason: 'access token expired: renew it in time (session.renew), or refresh it and reconnect' });
  });

  it('session.renew with a fresh token of the same session moves the deadline; anyone else’s token is refused and changes nothing', async () => {
    const s = await start();
    const u = await s.user();
    const other = await s.user();
    const socket = await u.connect();
    await syncAll(socket);
    clock += TTL_MS / 2;
    const fresh = await s.http.refresh(u.tokens.refreshToken);
    await expect(socket.request('session.renew', { token: other.tokens.accessToken })).rejects.toMatchObject({ code: 'auth_invalid' });
    await expect(socket.request('session.renew', { token: 'forged.token' })).rejects.toMatchObject({ code: 'auth_invalid' });
    expect(await socket.request('session.renew', { token: fresh.accessToken })).toEqual({ expiresAt: fresh.accessExpiresAt });

    const end = closed(socket);
    clock = u.tokens.accessExpiresAt + 1; // the first token is over, the renewed one is not
    // Timer-driven: the sweep runs every 50 ms here; several sweeps must pass without a close.
    await quietPeriod(300);
    await expect(socket.request('conversation.list', {})).resolves.toBeDefined();
    clock = fresh.accessExpiresAt;
    expect((await end).code).toBe(4002);
  });
});
