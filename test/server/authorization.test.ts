import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { CourierSocket } from '../../src/client';
import { AUTH_DEADLINE_MS, CLOSE, HttpErrorBodySchema, PROTOCOL } from '../../src/shared/protocol';
import { MAX_SOCKETS_PER_USER } from '../../src/server/realtime/gateway';
import { uuidv7 } from '../../src/shared/uuid-v7';
import { BARRIER_ID_PREFIX, barrier, collect, nextEvent, rawClient, serverPerTest, syncAll, waitUntil, type RawClient, type TestServer } from '../helpers/server';

const start = serverPerTest();

/** Shaped like a real conversation id, but never issued. */
const NONEXISTENT = 'c_AAAAAAAAAAAAAAAAAAAAAA';

/** A raw, authenticated and caught-up socket, so every frame the server pushes is seen. */
async function liveRaw(s: TestServer, token: string): Promise<RawClient> {
  const client = await rawClient(s, { token });
  await client.next((f) => f['type'] === 'ready');
  client.ws.send(JSON.stringify({ type: 'sync', id: 'initial-sync', watermarks: [] }));
  await client.next((f) => f['type'] === 'result' && f['id'] === 'initial-sync');
  return client;
}

/** Sends one request and returns the server's answer exactly as it came over the wire. */
async function answerText(client: RawClient, frame: Record<string, unknown>): Promise<string> {
  const id = frame['id'] as string;
  const before = client.texts.length;
  client.ws.send(JSON.stringify(frame));
  await client.next((f) => (f['type'] === 'result' || f['type'] === 'error') && f['id'] === id);
  const text = client.texts.slice(before).find((t) => {
    const f = JSON.parse(t) as Record<string, unknown>;
    return (f['type'] === 'result' || f['type'] === 'error') && f['id'] === id;
  });
  return text!;
}

/** Who probes (and tries to add themself), and a member they try to remove. */
interface People {
  self: string;
  victim: string;
}

/** Every request that names a conversation, as a function of that conversation's id. */
function probesFor(conversationId: string, cursor: string, people: People): Record<string, Record<string, unknown>> {
  return {
    'message.send': { type: 'message.send', conversationId, clientId: uuidv7(), body: 'let me in' },
    'history.fetch': { type: 'history.fetch', conversationId },
    'history.fetch (a page)': { type: 'history.fetch', conversationId, before: cursor, limit: 2 },
    'conversation.get': { type: 'conversation.get', conversationId },
    'conversation.rename': { type: 'conversation.rename', conversationId, title: 'mine now' },
    'conversation.addMembers': { type: 'conversation.addMembers', conversationId, userIds: [people.self] },
    'conversation.removeMember': { type: 'conversation.removeMember', conversationId, userId: people.victim },
    'conversation.leave': { type: 'conversation.leave', conversationId },
    'receipt.mark': { type: 'receipt.mark', conversationId, kind: 'read', seq: 1 },
    'typing.set': { type: 'typing.set', conversationId, typing: true },
  };
}

/**
 * Every probe against `target` must be answered byte for byte like the same probe (same
 * request id) against a conversation that does not exist: a not_found error.
 */
async function expectIndistinguishable(client: RawClient, target: string, cursor: string, people: People): Promise<void> {
  const real = probesFor(target, cursor, people);
  const fake = probesFor(NONEXISTENT, cursor, people);
  for (const [name, frame] of Object.entries(real)) {
    const id = `probe-${name}`;
    const onTarget = await answerText(client, { ...frame, id });
    const onNothing = await answerText(client, { ...fake[name], id });
    expect([name, onTarget]).toEqual([name, onNothing]);
    expect([name, JSON.parse(onTarget)]).toEqual([name, { type: 'error', id, code: 'not_found', message: expect.any(String) }]);
  }
}

/** Alice owns a group with Bob and has a direct chat with him, each with a few messages. */
async function scene(s: TestServer) {
  const [alice, bob, eve, carol] = [await s.user(), await s.user(), await s.user(), await s.user()];
  const a = await alice.connect();
  const b = await bob.connect();
  await syncAll(a);
  await syncAll(b);
  const { conversation: group } = await a.request('conversation.createGroup', { title: 'secret plans', memberIds: [bob.user.id] });
  const { conversation: direct } = await a.request('conversation.openDirect', { userId: bob.user.id });
  // Bob takes part by choice (a stranger's invitation would share nothing of his).
  await b.request('conversation.accept', { conversationId: group.id });
  await b.request('conversation.accept', { conversationId: direct.id });
  for (let i = 0; i < 5; i++) {
    await a.send(group.id, `group message ${i}`);
    await a.send(direct.id, `direct message ${i}`);
  }
  const page = await a.history(group.id, undefined, 2);
  expect(page.before).not.toBeNull();
  return { alice, bob, eve, carol, a, b, group, direct, cursor: page.before! };
}

describe('a non-member', () => {
  it('gets answers byte-identical to a nonexistent conversation for every request, group or direct', async () => {
    const s = await start();
    const { bob, eve, b, group, direct, cursor } = await scene(s);
    const e = await liveRaw(s, eve.tokens.accessToken);
    const people = { self: eve.user.id, victim: bob.user.id };
    await expectIndistinguishable(e, group.id, cursor, people);
    await expectIndistinguishable(e, direct.id, cursor, people);
    // Nothing she tried took effect: no rename, no new member, no message, nobody removed.
    const view = await b.request('conversation.get', { conversationId: group.id });
    expect(view.conversation).toMatchObject({ title: 'secret plans', lastSeq: 6 });
    expect(view.conversation.members.map((m) => m.userId)).not.toContain(eve.user.id);
    expect(view.conversation.members.map((m) => m.userId)).toContain(bob.user.id);
    expect((await b.history(direct.id)).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('learns nothing from sync or conversation.list: a foreign id is “removed” exactly like a made-up one', async () => {
    const s = await start();
    const { eve, group, direct } = await scene(s);
    const e = await eve.connect();
    const caughtUp = await syncAll(e, [
      [group.id, 0],
      [direct.id, 3],
      [NONEXISTENT, 0],
    ]);
    expect(caughtUp.removed).toEqual([group.id, direct.id, NONEXISTENT]);
    expect(caughtUp.conversations).toEqual([]);
    expect(caughtUp.messages).toEqual([]);
    expect(caughtUp.result).toMatchObject({ conversations: 0, messages: 0, removed: 3, presence: [] });
    expect((await e.request('conversation.list', {})).conversations).toEqual([]);
  });

  it('receives no message, typing, receipt, snapshot or presence event of a conversation they are not in', async () => {
    const s = await start();
    const { alice, bob, eve, carol, a, b, group, direct } = await scene(s);
    const e = await liveRaw(s, eve.tokens.accessToken);
    const bobSaw = {
      messages: collect(b, 'message.new'),
      typing: collect(b, 'typing.updated'),
      receipts: collect(b, 'receipt.updated'),
      snapshots: collect(b, 'conversation.updated'),
      patches: collect(b, 'conversation.changed'),
    };
    // Everything that happens in the two conversations while Eve listens.
    await a.send(group.id, 'eve must not read this');
    await a.send(direct.id, 'nor this');
    a.notify('typing.set', { conversationId: group.id, typing: true });
    a.notify('typing.set', { conversationId: direct.id, typing: true });
    await b.request('receipt.mark', { conversationId: group.id, kind: 'read', seq: 7 });
    await b.request('receipt.mark', { conversationId: direct.id, kind: 'delivered', seq: 7 });
    await a.request('conversation.rename', { conversationId: group.id, title: 'even more secret' });
    await a.request('conversation.addMembers', { conversationId: group.id, userIds: [carol.user.id] });
    const c = await carol.connect(); // Carol is in the group now: her presence goes to Alice and Bob only
    await a.request('presence.set', { status: 'away' });
    // The typing notices get no answer of their own: wait until Bob has them (asserted below).
    await waitUntil(() => bobSaw.typing.length >= 2, { message: () => `Bob to hear typing in both conversations (has ${bobSaw.typing.length})` });
    // Every action above was answered, and presence is announced in the same turn as the
    // connect or request that changed it (the store answers at once), before that answer
    // leaves. So these round trips prove Bob and Eve received everything they were sent.
    await Promise.all([barrier(b), barrier(e)]);

    // The events did happen (Bob saw each kind) ...
    expect(bobSaw.messages.length).toBeGreaterThanOrEqual(4);
    expect(bobSaw.typing.map((t) => t.conversationId).sort()).toEqual([group.id, direct.id].sort());
    expect(bobSaw.receipts.length).toBeGreaterThanOrEqual(2);
    expect(bobSaw.patches.length).toBeGreaterThanOrEqual(2); // the rename and the add, as patches (Bob was already in)
    // ... and Eve's socket carried nothing but her own sync and her own presence.
    const pushed = e.texts
      .map((t) => JSON.parse(t) as Record<string, unknown>)
      .filter((f) => f['type'] !== 'ready' && f['id'] !== 'initial-sync')
      .filter((f) => !(typeof f['id'] === 'string' && f['id'].startsWith(BARRIER_ID_PREFIX)))
      .filter((f) => !(f['type'] === 'presence.updated' && (f['presence'] as { userId: string }).userId === eve.user.id));
    expect(pushed).toEqual([]);
    for (const text of e.texts) {
      for (const secret of [group.id, direct.id, alice.user.id, bob.user.id, carol.user.id]) expect(text).not.toContain(secret);
    }
    await c.close();
  });

  it('a removed group member loses access at once and is told, on every device', async () => {
    const s = await start();
    const { alice, bob, a, b, group, cursor } = await scene(s);
    const watermark = (await b.request('conversation.get', { conversationId: group.id })).conversation.lastSeq;
    const bobPhone = await bob.connect();
    await syncAll(bobPhone);
    const removedNotices = [nextEvent(b, 'conversation.removed'), nextEvent(bobPhone, 'conversation.removed')];
    const lastEntry = nextEvent(b, 'message.new', (e) => e.message.conversationId === group.id);

    await a.request('conversation.removeMember', { conversationId: group.id, userId: bob.user.id });
    for (const notice of await Promise.all(removedNotices)) expect(notice.conversationId).toBe(group.id);
    expect((await lastEntry).message).toMatchObject({ kind: 'system', system: { event: 'member.removed', userId: bob.user.id } });

    const bobHears = { messages: collect(b, 'message.new'), typing: collect(b, 'typing.updated'), snapshots: collect(b, 'conversation.updated') };
    await a.send(group.id, 'after bob was removed');
    // Typing as a request rather than a notice: its answer says the relay has run (a notice gets none).
    await a.request('typing.set', { conversationId: group.id, typing: true });
    await a.request('conversation.rename', { conversationId: group.id, title: 'without bob' });

    const raw = await liveRaw(s, bob.tokens.accessToken);
    await expectIndistinguishable(raw, group.id, cursor, { self: bob.user.id, victim: alice.user.id });
    await expect(b.send(group.id, 'let me back')).rejects.toMatchObject({ code: 'not_found' });
    await expect(b.history(group.id)).rejects.toMatchObject({ code: 'not_found' });

    const caughtUp = await syncAll(bobPhone, [[group.id, watermark]]);
    expect(caughtUp.removed).toEqual([group.id]);
    expect(caughtUp.messages.filter((m) => m.conversationId === group.id)).toEqual([]);
    expect(caughtUp.conversations.map((c) => c.id)).not.toContain(group.id);
    expect((await b.request('conversation.list', {})).conversations.map((c) => c.id)).not.toContain(group.id);
    await barrier(b); // all of Alice's actions above were answered: whatever they pushed to Bob has arrived
    expect(bobHears).toEqual({ messages: [], typing: [], snapshots: [] });
  });
});

/** What each refusal of an upgrade says in its JSON body, matching its HTTP status. */
const REFUSAL_CODES: Record<number, string> = { 400: 'invalid_request', 401: 'auth_invalid', 403: 'not_allowed', 404: 'not_found', 503: 'unavailable' };

/** The HTTP status a refused upgrade answered with (its body checked on the way), or 'open'. */
async function upgradeStatus(url: string, protocols: string[] | undefined, headers: Record<string, string>, origin?: string): Promise<number | 'open'> {
  const ws = new WebSocket(url, protocols, { headers, ...(origin ? { origin } : {}) });
  const outcome = await new Promise<{ status: number; body: string } | 'open'>((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('open', () => resolve('open'));
    ws.once('error', reject);
  });
  ws.terminate();
  if (outcome === 'open') return 'open';
  const { error } = HttpErrorBodySchema.parse(JSON.parse(outcome.body));
  expect([outcome.status, error.code]).toEqual([outcome.status, REFUSAL_CODES[outcome.status]]);
  return outcome.status;
}

describe('the upgrade', () => {
  it('refuses a browser Origin that is not allowed with 403, before any socket exists', async () => {
    const s = await start();
    const alice = await s.user();
    await expect(CourierSocket.connect({ serverUrl: s.url, accessToken: alice.tokens.accessToken, origin: 'https://evil.example' })).rejects.toMatchObject({
      status: 403,
    });
    // Without a token too: the origin check does not depend on credentials.
    expect(await upgradeStatus(s.wsUrl, [PROTOCOL], {}, 'https://evil.example')).toBe(403);
    expect(s.connectionCount()).toBe(0);
    // A non-browser client sends no Origin and is let in.
    await expect(alice.connect()).resolves.toBeTruthy();
  });

  it('lets exactly the configured origins in', async () => {
    const s = await start({ allowedOrigins: ['https://chat.example'] });
    const alice = await s.user();
    const ok = await CourierSocket.connect({ serverUrl: s.url, accessToken: alice.tokens.accessToken, origin: 'https://chat.example' });
    await expect(ok.request('conversation.list', {})).resolves.toEqual({ conversations: [] });
    await ok.close();
    for (const origin of ['http://chat.example', 'https://chat.example.evil', 'https://evil.chat.example', 'https://chat.example:8443', 'null']) {
      expect([origin, await upgradeStatus(s.wsUrl, [PROTOCOL], { authorization: `Bearer ${alice.tokens.accessToken}` }, origin)]).toEqual([origin, 403]);
    }
  });

  it('refuses a missing or unknown subprotocol with 400, a wrong path with 404, a malformed Authorization with 401', async () => {
    const s = await start();
    const alice = await s.user();
    const auth = { authorization: `Bearer ${alice.tokens.accessToken}` };
    const base = s.wsUrl.replace(/\/ws$/, '');
    expect(await upgradeStatus(s.wsUrl, undefined, auth)).toBe(400);
    expect(await upgradeStatus(s.wsUrl, ['courier.v0'], auth)).toBe(400);
    expect(await upgradeStatus(`${base}/`, [PROTOCOL], auth)).toBe(404);
    expect(await upgradeStatus(`${base}/wss`, [PROTOCOL], auth)).toBe(404);
    expect(await upgradeStatus(`${base}/api/v1/ws`, [PROTOCOL], auth)).toBe(404);
    expect(await upgradeStatus(s.wsUrl, [PROTOCOL], { authorization: `Basic ${alice.tokens.accessToken}` })).toBe(401);
    expect(await upgradeStatus(s.wsUrl, [PROTOCOL], { authorization: 'Bearer' })).toBe(401);
    expect(s.connectionCount()).toBe(0);
    expect(await upgradeStatus(s.wsUrl, ['chat', PROTOCOL], auth)).toBe('open'); // ours among others is fine
  });

  it('refuses sockets past maxConnections with 503 unavailable, and takes them again once one closes', async () => {
    const s = await start({ maxConnections: 2 });
    const alice = await s.user();
    const auth = { authorization: `Bearer ${alice.tokens.accessToken}` };
    const first = await alice.connect();
    // A socket still to authenticate does not hold a place among the authenticated (connection-caps.test.ts).
    const waiting = await rawClient(s);
    const second = await alice.connect();
    expect(await upgradeStatus(s.wsUrl, [PROTOCOL], auth)).toBe(503);
    await expect(CourierSocket.connect({ serverUrl: s.url, accessToken: alice.tokens.accessToken })).rejects.toMatchObject({ code: 'unavailable', status: 503 });
    waiting.ws.close();
    await waiting.closed;
    await second.close();
    await first.close();
    // The client hears the close before the server may have let go of the socket.
    await waitUntil(() => s.connectionCount() === 0, { message: 'the server to release both sockets' });
    expect(await upgradeStatus(s.wsUrl, [PROTOCOL], auth)).toBe('open');
  });

  it('accepts first-frame auth', async () => {
    const s = await start();
    const alice = await s.user();
    const socket = await CourierSocket.connect({ serverUrl: s.url, accessToken: alice.tokens.accessToken, auth: 'frame' });
    expect(socket.ready).toMatchObject({ userId: alice.user.id, sessionId: alice.tokens.sessionId });
    await expect(socket.request('conversation.list', {})).resolves.toEqual({ conversations: [] });
    // A second auth frame on a live socket is refused and changes nothing.
    const refused = new Promise((resolve) => socket.onServerError(resolve));
    socket.raw.send(JSON.stringify({ type: 'auth', token: alice.tokens.accessToken }));
    expect(await refused).toMatchObject({ code: 'invalid_request' });
    await expect(socket.request('conversation.list', {})).resolves.toEqual({ conversations: [] });
    await socket.close();
  });

  it(
    'closes a socket that sends no auth frame within the deadline with 4001',
    async () => {
      const s = await start();
      const client = await rawClient(s); // subprotocol, no Authorization header
      const opened = Date.now();
      const { code } = await client.closed;
      const waited = Date.now() - opened;
      expect(code).toBe(CLOSE.authTimeout);
      expect(waited).toBeGreaterThanOrEqual(AUTH_DEADLINE_MS - 50);
      expect(waited).toBeLessThan(AUTH_DEADLINE_MS + 1500);
      expect(client.texts).toEqual([]); // nothing was said to an unauthenticated socket
    },
    AUTH_DEADLINE_MS + 5000,
  );

  it('answers a request before auth with auth_required and closes with 4001', async () => {
    const s = await start();
    const client = await rawClient(s);
    const sent = Date.now();
    client.ws.send(JSON.stringify({ type: 'conversation.list', id: 'early' }));
    expect(await client.next()).toMatchObject({ type: 'error', id: 'early', code: 'auth_required' });
    expect((await client.closed).code).toBe(CLOSE.authTimeout);
    expect(Date.now() - sent).toBeLessThan(1000); // at once, not at the deadline
  });

  it('caps unauthenticated sockets per address, and frees a place as soon as one authenticates', async () => {
    const s = await start();
    const alice = await s.user();
    const pending = await Promise.all(Array.from({ length: 32 }, () => rawClient(s)));
    await expect(rawClient(s)).rejects.toMatchObject({ status: 503 });
    // An Authorization header does not count against the cap.
    const withHeader = await CourierSocket.connect({ serverUrl: s.url, accessToken: alice.tokens.accessToken });
    expect(withHeader.isOpen).toBe(true);
    pending[0]!.ws.send(JSON.stringify({ type: 'auth', token: alice.tokens.accessToken }));
    expect(await pending[0]!.next()).toMatchObject({ type: 'ready' });
    const next = await rawClient(s);
    expect(next.ws.readyState).toBe(WebSocket.OPEN);
    for (const c of [...pending, next]) c.ws.terminate();
  });

  it('caps sockets per account with 1008, leaving the existing ones alone', async () => {
    const s = await start();
    const alice = await s.user();
    const open = await Promise.all(Array.from({ length: MAX_SOCKETS_PER_USER }, () => rawClient(s, { token: alice.tokens.accessToken })));
    await Promise.all(open.map((c) => c.next((f) => f['type'] === 'ready')));
    const extra = await rawClient(s, { token: alice.tokens.accessToken });
    expect((await extra.closed).code).toBe(CLOSE.policyViolation);
    expect(open.every((c) => c.ws.readyState === WebSocket.OPEN)).toBe(true);
    for (const c of open) c.ws.terminate();
  });

  it('answers requests pipelined right behind the auth frame, in order, after ready', async () => {
    const s = await start();
    const alice = await s.user();
    const client = await rawClient(s);
    client.ws.send(JSON.stringify({ type: 'auth', token: alice.tokens.accessToken }));
    client.ws.send(JSON.stringify({ type: 'conversation.list', id: 'p1' }));
    client.ws.send(JSON.stringify({ type: 'user.search', id: 'p2', query: alice.name }));
    expect(await client.next()).toMatchObject({ type: 'ready', userId: alice.user.id });
    expect(await client.next()).toMatchObject({ type: 'result', id: 'p1', data: { conversations: [] } });
    expect(await client.next()).toMatchObject({ type: 'result', id: 'p2' });
    client.ws.close();
  });

  it('closes at once on a malformed or binary frame before auth', async () => {
    const s = await start();
    for (const send of [(c: RawClient) => c.ws.send('{not json'), (c: RawClient) => c.ws.send(Buffer.from([1, 2, 3]))]) {
      const client = await rawClient(s);
      const sent = Date.now();
      send(client);
      expect(await client.next()).toMatchObject({ type: 'error', code: 'auth_required' });
      expect((await client.closed).code).toBe(CLOSE.authTimeout);
      expect(Date.now() - sent).toBeLessThan(1000);
    }
  });

  it('closes with 4002 on a bad token in the auth frame, and never accepts a token in the URL', async () => {
    const s = await start();
    const alice = await s.user();
    for (const token of ['nonsense', `${alice.tokens.accessToken}x`, alice.tokens.accessToken.replace(/^./, (c) => (c === 'e' ? 'f' : 'e'))]) {
      const client = await rawClient(s);
      client.ws.send(JSON.stringify({ type: 'auth', token }));
      expect((await client.closed).code).toBe(CLOSE.authInvalid);
      expect(client.texts).toEqual([]);
    }
    const inUrl = await rawClient(s, { path: `/ws?token=${alice.tokens.accessToken}&access_token=${alice.tokens.accessToken}` });
    inUrl.ws.send(JSON.stringify({ type: 'conversation.list', id: 'u' }));
    expect(await inUrl.next(undefined, 1000)).toMatchObject({ type: 'error', code: 'auth_required' });
    expect((await inUrl.closed).code).toBe(CLOSE.authTimeout);
  });
});
