import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE, CLOSE_REASONS } from '../../src/shared/protocol';
import { rawClient, startTestServer, waitUntil, type RawClient, type TestServer } from '../helpers/server';

/**
 * Sockets still to authenticate have their own global cap: addresses that open sockets and
 * never authenticate cannot lock out signed-in users, and an upgrade carrying a valid
 * Authorization header is never held back by them.
 */
let server: TestServer | null = null;
const open: RawClient[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) c.ws.terminate();
  await server?.stop();
  server = null;
});

async function raw(s: TestServer, token?: string): Promise<RawClient | number> {
  try {
    const c = await rawClient(s, token === undefined ? {} : { token });
    open.push(c);
    return c;
  } catch (e) {
    return (e as { status: number }).status;
  }
}

describe('connection caps', () => {
  it('unauthenticated sockets fill their own cap; header-authenticated upgrades still get in, up to theirs', async () => {
    server = await startTestServer({ maxConnections: 2, maxUnauthenticated: 3 });
    const users = [await server.user(), await server.user(), await server.user()];
    const idle = [await raw(server), await raw(server), await raw(server)];
    expect(idle.every((c) => typeof c === 'object')).toBe(true);
    expect(await raw(server)).toBe(503); // a fourth that would only wait
    // Signed-in users are not locked out by them.
    const a = await raw(server, users[0]!.tokens.accessToken);
    const b = await raw(server, users[1]!.tokens.accessToken);
    expect(typeof a).toBe('object');
    expect(typeof b).toBe('object');
    expect(await raw(server, users[2]!.tokens.accessToken)).toBe(503); // authenticated sockets at their cap

    // A waiting socket that authenticates while the server is full is told to come back later.
    const waiting = idle[0] as RawClient;
    waiting.ws.send(JSON.stringify({ type: 'auth', token: users[2]!.tokens.accessToken }));
    expect(await waiting.closed).toEqual({ code: CLOSE.tryAgainLater, reason: CLOSE_REASONS.serverFull });
    // While the server is full, a new socket that could only wait is refused at the upgrade;
    // once a signed-in user leaves, there is room again.
    expect(await raw(server)).toBe(503);
    const before = server.connectionCount();
    (a as RawClient).ws.close();
    await waitUntil(() => server!.connectionCount() < before, { message: 'the server to see the close' });
    expect(typeof (await raw(server))).toBe('object');
  });
});
