import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TYPING_TTL_MS } from '../../src/shared/protocol';
import { barrier, collect, nextEvent, quietPeriod, startTestServer, syncAll, type TestServer } from '../helpers/server';

/** The server's clock: real time, unless the test holds it still or moves it ahead. */
function testClock() {
  let frozenAt: number | null = null;
  let aheadMs = 0;
  return {
    now: () => frozenAt ?? Date.now() + aheadMs,
    /** Holds time still: however slow the machine, no grace period runs out meanwhile. */
    freeze: () => void (frozenAt = Date.now() + aheadMs),
    /** Runs again, `ms` ahead of real time (never behind where it stopped). */
    resume: (ms: number) => {
      frozenAt = null;
      aheadMs = ms;
    },
  };
}

const GRACE_MS = 300;
let server: TestServer;
let clock: ReturnType<typeof testClock>;
beforeEach(async () => {
  clock = testClock();
  server = await startTestServer({ presenceGraceMs: GRACE_MS }, { now: clock.now });
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
  // Bob answers Alice's request: from then on his receipts and presence reach her (consent.test.ts covers before).
  await b.request('conversation.accept', { conversationId: conversation.id });
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
    await barrier(a); // the read mark's own broadcast is in before Alice starts listening
    const heard = collect(a, 'receipt.updated');
    await b.request('receipt.mark', { conversationId: conversation.id, kind: 'delivered', seq });
    await barrier(a); // the mark was answered: had it been broadcast, Alice would have it now
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

    // A quick reconnect inside the grace period does not flap. The server's clock stands still
    // from the close to the reconnect, so the reconnect is inside the grace period by
    // construction, not because the machine happened to be fast.
    const updates = collect(b, 'presence.updated');
    const closedAt = Date.now();
    const online = nextEvent(b, 'presence.updated', (e) => e.presence.userId === alice.user.id && e.presence.status === 'online');
    clock.freeze();
    await a.close();
    const a2 = await alice.connect();
    await online; // the new device is active
    // Now time runs again, already past the grace period of the first device's departure. The
    // presence sweep is a timer with nothing to wait on, so give it a few rounds to (wrongly)
    // announce offline.
    clock.resume(2 * GRACE_MS);
    await quietPeriod(500);
    expect(updates.filter((e) => e.presence.status === 'offline')).toHaveLength(0);
    expect(updates.map((e) => e.presence.status)).toEqual(['online']);

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
  it('is sent when two online users first share a conversation, and to members a group gains, as each accepts', async () => {
    const [alice, bob, carol] = [await server.user(), await server.user(), await server.user()];
    const [a, b, c] = [await alice.connect(), await bob.connect(), await carol.connect()];
    for (const s of [a, b, c]) await syncAll(s);
    const bobSeesAlice = nextEvent(b, 'presence.updated', (e) => e.presence.userId === alice.user.id);
    const aliceHears = collect(a, 'presence.updated');
    const { conversation } = await a.request('conversation.createGroup', { title: 'g', memberIds: [bob.user.id] });
    // Bob is invited: he sees Alice (she chose to reach him), she sees nothing of him until he accepts.
    expect((await bobSeesAlice).presence).toEqual({ userId: alice.user.id, status: 'online', lastSeenAt: null });
    await barrier(a);
    expect(aliceHears.filter((e) => e.presence.userId === bob.user.id)).toEqual([]);
    const aliceSeesBob = nextEvent(a, 'presence.updated', (e) => e.presence.userId === bob.user.id);
    await b.request('conversation.accept', { conversationId: conversation.id });
    expect((await aliceSeesBob).presence.status).toBe('online');

    c.notify('presence.set', { status: 'away' });
    // A presence notice takes effect as soon as the server reads it, before it reads the next
    // frame on that socket: once this round trip is back, Carol is away.
    await barrier(c);
    const carolSeesBob = nextEvent(c, 'presence.updated', (e) => e.presence.userId === bob.user.id);
    const bobSeesCarol = nextEvent(b, 'presence.updated', (e) => e.presence.userId === carol.user.id);
    await a.request('conversation.addMembers', { conversationId: conversation.id, userIds: [carol.user.id] });
    expect((await carolSeesBob).presence.status).toBe('online');
    await c.request('conversation.accept', { conversationId: conversation.id });
    expect((await bobSeesCarol).presence.status).toBe('away');
  });
});

describe('typing', () => {
  it('is relayed to the other members, throttled, and carries its expiry', async () => {
    const { alice, a, b, conversation } = await pair();
    const events = collect(b, 'typing.updated');
    const own = collect(a, 'typing.updated');
    const started = nextEvent(b, 'typing.updated', (e) => e.typing);
    a.notify('typing.set', { conversationId: conversation.id, typing: true });
    a.notify('typing.set', { conversationId: conversation.id, typing: true }); // throttled
    a.notify('typing.set', { conversationId: conversation.id, typing: true }); // throttled
    expect(await started).toMatchObject({ conversationId: conversation.id, userId: alice.user.id, typing: true, ttlMs: TYPING_TTL_MS });
    const stopped = nextEvent(b, 'typing.updated', (e) => !e.typing);
    a.notify('typing.set', { conversationId: conversation.id, typing: false });
    await stopped;
    // One socket's notices are relayed in the order sent (each takes the same steps), so a
    // throttled "typing" that got through anyway would have arrived before the "stopped".
    expect(events.map((e) => e.typing)).toEqual([true, false]);
    await barrier(a); // everything relayed has been published by now: had Alice been sent her own, it is in
    expect(own).toHaveLength(0);
  });

  it('is rate limited on its own small budget', async () => {
    const { a, conversation } = await pair();
    const errors: string[] = [];
    a.onServerError((e) => errors.push(e.code));
    for (let i = 0; i < 20; i++) a.notify('typing.set', { conversationId: conversation.id, typing: i % 2 === 0 });
    // A notice over budget is refused (and an abusive socket closed) as the server reads it,
    // before it reads the next frame: this round trip comes back after every verdict.
    await barrier(a);
    expect(errors).toContain('rate_limited');
    expect(a.isOpen).toBe(true);
  });
});
