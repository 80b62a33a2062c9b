import { afterEach, describe, expect, it } from 'vitest';
import { CourierSocket } from '../../src/client';
import type { AbusePolicy } from '../../src/server/realtime/budgets';
import { startTestServer, syncAll, type TestServer } from '../helpers/server';

/**
 * Per-account and per-conversation budgets: what one signed-in user may cost the server
 * over time, whichever socket they use. Over a budget: `rate_limited` with retryAfterMs,
 * before the work is done. The clock is the test's, so nothing waits.
 */
let server: TestServer | null = null;
let clock = 1_700_000_000_000;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function start(policy: Partial<AbusePolicy>) {
  clock = 1_700_000_000_000;
  server = await startTestServer({}, { policy, now: () => clock });
  return server;
}

interface Connected {
  socket: CourierSocket;
  id: string;
  /** After the test's clock jumped past the access token's life: refresh and connect again. */
  reconnect(): Promise<Connected>;
}

async function connected(s: TestServer): Promise<Connected> {
  const u = await s.user();
  let refreshToken = u.tokens.refreshToken;
  const open = async (accessToken: string): Promise<Connected> => {
    const socket = await CourierSocket.connect({ serverUrl: s.url, accessToken });
    await syncAll(socket);
    return {
      socket,
      id: u.user.id,
      reconnect: async () => {
        const tokens = await s.http.refresh(refreshToken);
        refreshToken = tokens.refreshToken;
        return open(tokens.accessToken);
      },
    };
  };
  return open(u.tokens.accessToken);
}

describe('budgets', () => {
  it('groups per hour, people added per hour, direct chats per hour (opening an existing one is free)', async () => {
    const s = await start({ groupsPerHour: 2, membersAddedPerHour: 2, directsPerHour: 1 });
    let me = await connected(s);
    const others = await Promise.all([1, 2, 3, 4].map(async () => (await s.user()).user.id));
    await me.socket.request('conversation.createGroup', { title: 'one', memberIds: [others[0]!] });
    await me.socket.request('conversation.createGroup', { title: 'two', memberIds: [] });
    const refused = await me.socket.request('conversation.createGroup', { title: 'three', memberIds: [] }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'rate_limited', message: 'you created too many groups recently' });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(60_000);
    clock += 3_600_000;
    me = await me.reconnect();
    const { conversation } = await me.socket.request('conversation.createGroup', { title: 'later', memberIds: [] });
    await me.socket.request('conversation.addMembers', { conversationId: conversation.id, userIds: [others[1]!, others[2]!] });
    await expect(me.socket.request('conversation.addMembers', { conversationId: conversation.id, userIds: [others[3]!] })).rejects.toMatchObject({
      code: 'rate_limited',
      message: 'you added too many people to groups recently',
    });

    await me.socket.request('conversation.openDirect', { userId: others[0]! });
    await expect(me.socket.request('conversation.openDirect', { userId: others[1]! })).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(me.socket.request('conversation.openDirect', { userId: others[0]! })).resolves.toBeDefined();
  });

  it('a conversation takes a bounded number of title and membership changes per minute, from all its members together', async () => {
    const s = await start({ conversationChangesPerMinute: 3 });
    const a = await connected(s);
    const { conversation } = await a.socket.request('conversation.createGroup', { title: 'g', memberIds: [] });
    for (const title of ['a', 'b', 'c']) await a.socket.request('conversation.rename', { conversationId: conversation.id, title });
    const refused = await a.socket.request('conversation.rename', { conversationId: conversation.id, title: 'd' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'rate_limited', message: 'this conversation changed too often; wait a moment' });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBe(20_000);
    // Leaving is never refused: anyone can always get out.
    const b = await connected(s);
    const { conversation: other } = await b.socket.request('conversation.createGroup', { title: 'h', memberIds: [a.id] });
    for (const title of ['x', 'y', 'z']) await b.socket.request('conversation.rename', { conversationId: other.id, title });
    await expect(a.socket.request('conversation.leave', { conversationId: other.id })).resolves.toEqual({});
    clock += 20_000;
    await expect(a.socket.request('conversation.rename', { conversationId: conversation.id, title: 'd' })).resolves.toBeDefined();
  });

  it('reads: requests per second and answer bytes per second per account, across its sockets', async () => {
    const s = await start({ readsPerSecond: 5, readBytesPerSecond: 20_000 });
    const owner = await s.user();
    const sockets = [await owner.connect(), await owner.connect()];
    for (const socket of sockets) await syncAll(socket);
    const { conversation } = await sockets[0]!.request('conversation.createGroup', { title: 'g', memberIds: [] });
    // Burst 2× the rate, shared by both sockets.
    for (let i = 0; i < 10; i++) await sockets[i % 2]!.history(conversation.id);
    await expect(sockets[0]!.history(conversation.id)).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 200 });
    clock += 10_000;
    // Bytes: ~12 KB pages; burst 4× the rate = 80 KB, refilled at 4 KB per step: spent faster than refilled.
    for (let i = 0; i < 40; i++) await sockets[0]!.send(conversation.id, 'x'.repeat(1_000));
    let pages = 0;
    let refusal: unknown = null;
    while (refusal === null && pages < 50) {
      await sockets[1]!.history(conversation.id, { limit: 10 }).then(
        () => pages++,
        (e: unknown) => (refusal = e),
      );
      clock += 200; // one request token back each time; bytes refill slower than they are spent
    }
    expect(refusal).toMatchObject({ code: 'rate_limited', message: 'you are reading too fast; wait a moment' });
    expect(pages).toBeGreaterThan(3);
    expect(pages).toBeLessThan(20);
  });
});
