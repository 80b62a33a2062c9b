import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TYPING_TTL_MS } from '../../src/shared/protocol';
import { collect, nextEvent, sleep, startTestServer, syncAll, type TestServer } from '../helpers/server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ presenceGraceMs: 300 });
});
afterEach(async () => {
  await server.stop();
});

async function pair() {
  const alice = await server.user();
  const bob = await server.user();
  const a = await alice.connect();
  const b = await bob.connect();
  await syncAll(a);
  await syncAll(b);
  const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
  return { alice, bob, a, b, conversation };
}

describe('receipts', () => {
  it('delivered then read watermarks reach the sender, never move backwards, and drive unread', async () => {
    const { alice, bob, a, b, conversation } = await pair();
    await a.send(conversation.id, 'one');
    const { seq } = await a.send(conversation.id, 'two');

    const delivered = nextEvent(a, 'receipt.updated', (e) => e.receipt.userId === bob.user.id && e.receipt.deliveredSeq === seq);
    expect(await b.request('receipt.mark', { conversationId: conversation.id, kind: 'delivered', seq })).toEqual({ deliveredSeq: seq, readSeq: 0 });
    expect((await delivered).receipt).toEqual({ conversationId: conversation.id, userId: bob.user.id, deliveredSeq: seq, readSeq: 0 });
    expect((await b.request('conversation.get', { conversationId: conversation.id })).conversation.unread).toBe(seq);

    const read = nextEvent(a, 'receipt.updated', (e) => e.receipt.userId === bob.user.id && e.receipt.readSeq === seq);
    await b.request('receipt.mark', { conversationId: conversation.id, kind: 'read', seq });
    await read;

    // Backwards and beyond-the-end marks change nothing.
    expect(await b.request('receipt.mark', { conversationId: conversation.id, kind: 'read', seq: 1 })).toEqual({ deliveredSeq: seq, readSeq: seq });
    expect(await b.request('receipt.mark', { conversationId: conversation.id, kind: 'delivered', seq: 10_000 })).toEqual({ deliveredSeq: seq, readSeq: seq });

    expect((await b.request('conversation.get', { conversationId: conversation.id })).conversation.unread).toBe(0);
    const aliceView = await a.request('conversation.get', { conversationId: conversation.id });
    expect(aliceView.conversation.members.find((m) => m.userId === bob.user.id)).toMatchObject({ deliveredSeq: seq, readSeq: seq });
    expect(aliceView.conversation.members.find((m) => m.userId === alice.user.id)).toMatchObject({ readSeq: seq }); // sending implies reading
  });

  it('a receipt that changes nothing is not broadcast', async () => {
    const { a, b, conversation } = await pair();
    const { seq } = await a.send(conversation.id, 'hi');
    await b.request('receipt.mark', { conversationId: conversation.id, kind: 'read', seq });
    await sleep(50);
    const heard = collect(a, 'receipt.updated');
    await b.request('receipt.mark', { conversationId: conversation.id, kind: 'delivered', seq });
    await sleep(100);
    expect(heard).toHaveLength(0);
  });

  it('receipt changes made while a device was offline come back in the catch-up snapshot', async () => {
    const { alice, bob, a, b, conversation } = await pair();
    const { seq } = await a.send(conversation.id, 'hi');
    await a.close();
    await b.request('receipt.mark', { conversationId: conversation.id, kind: 'read', seq });
    const again = await alice.connect();
    const caught = await syncAll(again, [[conversation.id, seq]]);
    expect(caught.messages).toHaveLength(0);
    expect(caught.conversations[0]?.members.find((m) => m.userId === bob.user.id)).toMatchObject({ readSeq: seq, deliveredSeq: seq });
  });
});

describe('presence', () => {
  it('online when connected, away when idle, offline only after the grace period, with last seen', async () => {
    const { alice, a, b } = await pair();
    const away = nextEvent(b, 'presence.updated', (e) => e.presence.userId === alice.user.id && e.presence.status === 'away');
    a.notify('presence.set', { status: 'away' });
    await away;

    // A quick reconnect inside the grace period does not flap.
    const updates = collect(b, 'presence.updated');
    const closedAt = Date.now();
    await a.close();
    const a2 = await alice.connect();
    await sleep(500);
    expect(updates.filter((e) => e.presence.status === 'offline')).toHaveLength(0);
    expect(updates.map((e) => e.presence.status)).toEqual(['online']); // the new device is active

    const offline = nextEvent(b, 'presence.updated', (e) => e.presence.userId === alice.user.id && e.presence.status === 'offline');
    await a2.close();
    const event = await offline;
    expect(event.presence.lastSeenAt).toBeGreaterThanOrEqual(closedAt);
  });

  it('is visible only to people who share a conversation, and sync reports it', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const stranger = await server.user();
    const s = await stranger.connect();
    await syncAll(s);
    const heard = collect(s, 'presence.updated');
    const b = await bob.connect();
    await syncAll(b);
    const a = await alice.connect();
    await a.request('conversation.openDirect', { userId: bob.user.id });
    const offline = nextEvent(b, 'presence.updated', (e) => e.presence.userId === alice.user.id && e.presence.status === 'offline');
    await a.close();
    await offline;
    expect(heard).toHaveLength(0);

    const b2 = await bob.connect();
    const snapshot = await syncAll(b2);
    expect(snapshot.result.presence).toEqual([{ userId: alice.user.id, status: 'offline', lastSeenAt: expect.any(Number) }]);
    const strangerView = await syncAll(await stranger.connect());
    expect(strangerView.result.presence).toEqual([]);
  });
});

describe('presence between new contacts', () => {
  it('is sent when two online users first share a conversation, and to members a group gains', async () => {
    const [alice, bob, carol] = [await server.user(), await server.user(), await server.user()];
    const [a, b, c] = [await alice.connect(), await bob.connect(), await carol.connect()];
    for (const s of [a, b, c]) await syncAll(s);
    const bobSeesAlice = nextEvent(b, 'presence.updated', (e) => e.presence.userId === alice.user.id);
    const aliceSeesBob = nextEvent(a, 'presence.updated', (e) => e.presence.userId === bob.user.id);
    const { conversation } = await a.request('conversation.createGroup', { title: 'g', memberIds: [bob.user.id] });
    expect((await bobSeesAlice).presence).toEqual({ userId: alice.user.id, status: 'online', lastSeenAt: null });
    expect((await aliceSeesBob).presence.status).toBe('online');

    c.notify('presence.set', { status: 'away' });
    await sleep(50);
    const carolSeesBob = nextEvent(c, 'presence.updated', (e) => e.presence.userId === bob.user.id);
    const bobSeesCarol = nextEvent(b, 'presence.updated', (e) => e.presence.userId === carol.user.id);
    await a.request('conversation.addMembers', { conversationId: conversation.id, userIds: [carol.user.id] });
    expect((await carolSeesBob).presence.status).toBe('online');
    expect((await bobSeesCarol).presence.status).toBe('away');
  });
});

describe('typing', () => {
  it('is relayed to the other members, throttled, and carries its expiry', async () => {
    const { alice, a, b, conversation } = await pair();
    const events = collect(b, 'typing.updated');
    const own = collect(a, 'typing.updated');
    a.notify('typing.set', { conversationId: conversation.id, typing: true });
    a.notify('typing.set', { conversationId: conversation.id, typing: true }); // throttled
    a.notify('typing.set', { conversationId: conversation.id, typing: true }); // throttled
    await sleep(150);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ conversationId: conversation.id, userId: alice.user.id, typing: true, ttlMs: TYPING_TTL_MS });
    a.notify('typing.set', { conversationId: conversation.id, typing: false });
    await sleep(150);
    expect(events.map((e) => e.typing)).toEqual([true, false]);
    expect(own).toHaveLength(0);
  });

  it('is rate limited on its own small budget', async () => {
    const { a, conversation } = await pair();
    const errors: string[] = [];
    a.onServerError((e) => errors.push(e.code));
    for (let i = 0; i < 20; i++) a.notify('typing.set', { conversationId: conversation.id, typing: i % 2 === 0 });
    await sleep(200);
    expect(errors).toContain('rate_limited');
    expect(a.isOpen).toBe(true);
  });
});
