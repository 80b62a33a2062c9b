import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CourierSocket } from '../../src/client';
import { barrier, collect, nextEvent, startTestServer, syncAll, type TestServer, type TestUser } from '../helpers/server';

/**
 * Consent over real sockets: someone put in a conversation by a user they have no
 * accepted conversation with gets a request (DM) or an invitation (group), and shares
 * nothing — presence, last seen, typing, receipts — until they accept.
 */
let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

async function person(): Promise<{ user: TestUser; socket: CourierSocket; id: string }> {
  const user = await server.user();
  const socket = await user.connect();
  await syncAll(socket);
  return { user, socket, id: user.user.id };
}

const stateOf = (c: { members: Array<{ userId: string; state: string }> }, userId: string) => c.members.find((m) => m.userId === userId)?.state;

describe('direct requests', () => {
  it('a stranger’s DM is a request: its first message shows, but nothing of the recipient reaches the sender until they accept', async () => {
    const alice = await person();
    const bob = await person();
    const bobSees = nextEvent(bob.socket, 'conversation.updated');
    const { conversation } = await alice.socket.request('conversation.openDirect', { userId: bob.id });
    expect(stateOf(conversation, bob.id)).toBe('pending');
    expect(conversation.members.find((m) => m.userId === bob.id)?.invitedBy).toBe(alice.id);
    const request = (await bobSees).conversation;
    expect(stateOf(request, bob.id)).toBe('pending');
    const first = nextEvent(bob.socket, 'message.new', (e) => e.message.kind === 'text');
    await alice.socket.send(conversation.id, 'hi, we met at the conference');
    expect((await first).message).toMatchObject({ body: 'hi, we met at the conference' });

    // Bob's device acks delivery and reads it; Bob types; Bob is online: Alice learns none of it.
    const aliceHears = { receipts: collect(alice.socket, 'receipt.updated'), presence: collect(alice.socket, 'presence.updated'), typing: collect(alice.socket, 'typing.updated') };
    const bobOwn = nextEvent(bob.socket, 'receipt.updated');
    await bob.socket.request('receipt.mark', { conversationId: conversation.id, kind: 'read', seq: 2 });
    expect((await bobOwn).receipt).toMatchObject({ userId: bob.id, readSeq: 2 }); // his own devices do learn it
    await bob.socket.request('typing.set', { conversationId: conversation.id, typing: true });
    await bob.socket.request('presence.set', { status: 'away' });
    await barrier(alice.socket);
    expect(aliceHears.receipts).toEqual([]);
    expect(aliceHears.typing).toEqual([]);
    expect(aliceHears.presence.filter((e) => e.presence.userId === bob.id)).toEqual([]);
    const seenByAlice = (await alice.socket.request('conversation.get', { conversationId: conversation.id })).conversation;
    expect(seenByAlice.members.find((m) => m.userId === bob.id)).toMatchObject({ deliveredSeq: 0, readSeq: 0, state: 'pending' });
    const aliceSync = await syncAll(await alice.user.connect());
    expect(aliceSync.result.presence.map((p) => p.userId)).not.toContain(bob.id);

    // Accepting makes it an ordinary conversation: Alice hears the acceptance, Bob's receipts and presence.
    const changed = nextEvent(alice.socket, 'conversation.changed');
    const receipt = nextEvent(alice.socket, 'receipt.updated', (e) => e.receipt.userId === bob.id);
    const presence = nextEvent(alice.socket, 'presence.updated', (e) => e.presence.userId === bob.id);
    const accepted = await bob.socket.request('conversation.accept', { conversationId: conversation.id });
    expect(stateOf(accepted.conversation, bob.id)).toBe('accepted');
    expect((await changed).members).toEqual([expect.objectContaining({ userId: bob.id, state: 'accepted' })]);
    expect((await receipt).receipt).toMatchObject({ deliveredSeq: 2, readSeq: 2 });
    expect((await presence).presence.status).toBe('away');
    const typing = nextEvent(alice.socket, 'typing.updated');
    await bob.socket.request('typing.set', { conversationId: conversation.id, typing: true });
    expect((await typing).userId).toBe(bob.id);
    // Accepting again changes nothing and is not an error (retry-safe).
    await expect(bob.socket.request('conversation.accept', { conversationId: conversation.id })).resolves.toBeDefined();
  });

  it('answering a request accepts it; someone you already talk to reaches you directly', async () => {
    const alice = await person();
    const bob = await person();
    const carol = await person();
    const { conversation } = await alice.socket.request('conversation.openDirect', { userId: bob.id });
    const changed = nextEvent(alice.socket, 'conversation.changed');
    await bob.socket.send(conversation.id, 'hello Alice');
    expect((await changed).members).toEqual([expect.objectContaining({ userId: bob.id, state: 'accepted' })]);
    // Bob and Alice talk now: a group Bob makes with Alice in it is no request for her, but it is for Carol.
    const { conversation: group } = await bob.socket.request('conversation.createGroup', { title: 'lunch', memberIds: [alice.id, carol.id] });
    expect(stateOf(group, alice.id)).toBe('accepted');
    expect(stateOf(group, carol.id)).toBe('pending');
    // Alice, accepted in the group, adds Dave: a stranger to her, so he is invited.
    const dave = await person();
    const added = await alice.socket.request('conversation.addMembers', { conversationId: group.id, userIds: [dave.id] });
    expect(stateOf(added.conversation, dave.id)).toBe('pending');
    // An invitation does not let Carol manage the group until she accepts.
    await expect(carol.socket.request('conversation.rename', { conversationId: group.id, title: 'mine' })).rejects.toMatchObject({ code: 'not_allowed', message: 'accept the invitation first' });
  });

  it('declining a DM: the sender sees it, cannot ask again, and only the decliner can reopen it', async () => {
    const alice = await person();
    const bob = await person();
    const { conversation } = await alice.socket.request('conversation.openDirect', { userId: bob.id });
    const declined = nextEvent(alice.socket, 'message.new', (e) => e.message.kind === 'system' && e.message.system.event === 'request.declined');
    const gone = nextEvent(bob.socket, 'conversation.removed');
    await bob.socket.request('conversation.decline', { conversationId: conversation.id });
    expect((await declined).message.senderId).toBe(bob.id);
    expect((await gone).conversationId).toBe(conversation.id);
    await expect(bob.socket.request('conversation.get', { conversationId: conversation.id })).rejects.toMatchObject({ code: 'not_found' });

    // Asking again returns the same chat, still without Bob, and tells Bob nothing.
    const bobHears = collect(bob.socket, 'conversation.updated');
    const again = await alice.socket.request('conversation.openDirect', { userId: bob.id });
    expect(again.conversation.id).toBe(conversation.id);
    expect(again.conversation.members.map((m) => m.userId)).toEqual([alice.id]);
    await alice.socket.send(conversation.id, 'please?');
    await barrier(bob.socket);
    expect(bobHears).toEqual([]);
    // Bob changes his mind: he reopens it himself, accepted, and sees the history.
    const back = await bob.socket.request('conversation.openDirect', { userId: alice.id });
    expect(back.conversation.id).toBe(conversation.id);
    expect(stateOf(back.conversation, bob.id)).toBe('accepted');
    expect((await bob.socket.history(conversation.id)).messages.map((m) => (m.kind === 'text' ? m.body : m.system.event))).toEqual([
      'created',
      'request.declined',
      'please?',
      'members.added',
    ]);
    await expect(bob.socket.request('conversation.decline', { conversationId: conversation.id })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('groups', () => {
  it('someone the owner removed comes back only through the owner; someone who left comes back as an invitation', async () => {
    const owner = await person();
    const member = await person();
    const carol = await person();
    await owner.socket.request('conversation.openDirect', { userId: member.id }).then(async ({ conversation }) => member.socket.request('conversation.accept', { conversationId: conversation.id }));
    await owner.socket.request('conversation.openDirect', { userId: carol.id }).then(async ({ conversation }) => carol.socket.request('conversation.accept', { conversationId: conversation.id }));
    const { conversation: group } = await owner.socket.request('conversation.createGroup', { title: 'team', memberIds: [member.id, carol.id] });
    expect(stateOf(group, carol.id)).toBe('accepted');

    await owner.socket.request('conversation.removeMember', { conversationId: group.id, userId: carol.id });
    await expect(member.socket.request('conversation.addMembers', { conversationId: group.id, userIds: [carol.id] })).rejects.toMatchObject({
      code: 'not_allowed',
      message: 'the owner removed this user: only the owner can add them back',
    });
    const readded = await owner.socket.request('conversation.addMembers', { conversationId: group.id, userIds: [carol.id] });
    expect(stateOf(readded.conversation, carol.id)).toBe('accepted');

    // Carol leaves; the owner, whom she knows, adds her again: an invitation, she is not pulled back in.
    await carol.socket.request('conversation.leave', { conversationId: group.id });
    const invited = nextEvent(carol.socket, 'conversation.updated', (e) => e.conversation.id === group.id);
    const again = await owner.socket.request('conversation.addMembers', { conversationId: group.id, userIds: [carol.id] });
    expect(stateOf(again.conversation, carol.id)).toBe('pending');
    expect(stateOf((await invited).conversation, carol.id)).toBe('pending');
    // Declining a group invitation is leaving it, as herself.
    await carol.socket.request('conversation.decline', { conversationId: group.id });
    const after = await owner.socket.request('conversation.get', { conversationId: group.id });
    expect(after.conversation.members.map((m) => m.userId)).not.toContain(carol.id);
  });
});

describe('blocking', () => {
  it('the blocked cannot start a DM or add the blocker, see their presence, typing or receipts; their requests are declined', async () => {
    const bob = await person();
    const mallory = await person();
    const alice = await person(); // knows both
    const { conversation: request } = await mallory.socket.request('conversation.openDirect', { userId: bob.id });
    // A group where all three are in by choice.
    for (const other of [bob, mallory]) {
      const { conversation } = await alice.socket.request('conversation.openDirect', { userId: other.id });
      await other.socket.request('conversation.accept', { conversationId: conversation.id });
    }
    const { conversation: group } = await alice.socket.request('conversation.createGroup', { title: 'club', memberIds: [bob.id, mallory.id] });
    expect(group.members.every((m) => m.state === 'accepted')).toBe(true);

    const concealed = nextEvent(mallory.socket, 'presence.updated', (e) => e.presence.userId === bob.id && e.presence.status === 'offline');
    const declined = nextEvent(mallory.socket, 'message.new', (e) => e.message.conversationId === request.id && e.message.kind === 'system' && e.message.system.event === 'request.declined');
    const ownDevice = await bob.user.connect();
    await syncAll(ownDevice);
    const told = nextEvent(ownDevice, 'block.changed');
    await bob.socket.request('block.add', { userId: mallory.id });
    expect(await told).toMatchObject({ userId: mallory.id, blocked: true });
    expect((await concealed).presence).toEqual({ userId: bob.id, status: 'offline', lastSeenAt: null });
    await declined;
    expect((await bob.socket.request('block.list', {})).users.map((u) => u.id)).toEqual([mallory.id]);

    const carol = await person();
    await expect(mallory.socket.request('conversation.openDirect', { userId: bob.id })).resolves.toBeDefined(); // the declined one exists: returned, Bob not in it
    const dm = await mallory.socket.request('conversation.openDirect', { userId: bob.id });
    expect(dm.conversation.members.map((m) => m.userId)).toEqual([mallory.id]);
    await expect(mallory.socket.request('conversation.createGroup', { title: 'x', memberIds: [bob.id] })).rejects.toMatchObject({ code: 'not_allowed' });
    const { conversation: other } = await mallory.socket.request('conversation.createGroup', { title: 'y', memberIds: [carol.id] });
    await expect(mallory.socket.request('conversation.addMembers', { conversationId: other.id, userIds: [bob.id] })).rejects.toMatchObject({ code: 'not_allowed' });
    await expect(bob.socket.request('conversation.openDirect', { userId: mallory.id })).rejects.toMatchObject({ code: 'invalid_request', message: 'you blocked this user: unblock them first' });
    const fresh = await startTestServerPairBlocked();
    await expect(fresh.blocked.socket.request('conversation.openDirect', { userId: fresh.blocker.id })).rejects.toMatchObject({ code: 'not_allowed', message: 'this user is not accepting conversations from you' });
    await expect(fresh.blocker.socket.request('conversation.openDirect', { userId: fresh.blocked.id })).rejects.toMatchObject({ code: 'invalid_request' });

    // In the shared group: Mallory's messages still reach Bob (his client hides them); Bob's typing and receipts do not reach her.
    const malloryHears = { typing: collect(mallory.socket, 'typing.updated'), receipts: collect(mallory.socket, 'receipt.updated'), presence: collect(mallory.socket, 'presence.updated') };
    const bobGets = nextEvent(bob.socket, 'message.new', (e) => e.message.kind === 'text' && e.message.conversationId === group.id);
    const { seq } = await mallory.socket.send(group.id, 'still here');
    expect((await bobGets).message.senderId).toBe(mallory.id);
    const aliceSeesRead = nextEvent(alice.socket, 'receipt.updated', (e) => e.receipt.userId === bob.id && e.receipt.readSeq === seq);
    await bob.socket.request('receipt.mark', { conversationId: group.id, kind: 'read', seq });
    await aliceSeesRead;
    await bob.socket.request('typing.set', { conversationId: group.id, typing: true });
    await bob.socket.request('presence.set', { status: 'away' });
    // …and Mallory's typing does not reach Bob.
    const bobTyping = collect(bob.socket, 'typing.updated');
    await mallory.socket.request('typing.set', { conversationId: group.id, typing: true });
    await barrier(mallory.socket);
    await barrier(bob.socket);
    expect(malloryHears.typing).toEqual([]);
    expect(malloryHears.receipts.filter((e) => e.receipt.userId === bob.id)).toEqual([]);
    expect(malloryHears.presence.filter((e) => e.presence.userId === bob.id)).toEqual([]);
    expect(bobTyping).toEqual([]);
    const seen = (await mallory.socket.request('conversation.get', { conversationId: group.id })).conversation;
    expect(seen.members.find((m) => m.userId === bob.id)).toMatchObject({ deliveredSeq: 0, readSeq: 0 });
    const aliceView = (await alice.socket.request('conversation.get', { conversationId: group.id })).conversation;
    expect(aliceView.members.find((m) => m.userId === bob.id)?.readSeq).toBe(seq);
    expect((await syncAll(await mallory.user.connect())).result.presence.map((p) => p.userId)).not.toContain(bob.id);

    // Unblocking shows Bob to her again as he is.
    const revealed = nextEvent(mallory.socket, 'presence.updated', (e) => e.presence.userId === bob.id);
    await bob.socket.request('block.remove', { userId: mallory.id });
    expect((await revealed).presence.status).toBe('online'); // his second device is online
    expect((await bob.socket.request('block.list', {})).users).toEqual([]);

    async function startTestServerPairBlocked() {
      const blocker = await person();
      const blocked = await person();
      await blocker.socket.request('block.add', { userId: blocked.id });
      return { blocker, blocked };
    }
  });
});

describe('directory and privacy', () => {
  it('search needs three characters or an exact username, lists people you talk to first, and never someone who blocked you', async () => {
    const names = ['zed', 'zeb', 'zebra1', 'zebra2', 'zebra3'];
    const users = new Map<string, { id: string; socket: CourierSocket }>();
    for (const name of names) {
      const u = await server.user(`${name}x${process.pid}`);
      const socket = await u.connect();
      await syncAll(socket);
      users.set(name, { id: u.user.id, socket });
    }
    const viewer = await person();
    const query = async (q: string) => (await viewer.socket.request('user.search', { query: q })).users.map((u) => u.username.replace(/x\d+$/, ''));
    expect(await query('ze')).toEqual([]); // two characters: only an exact username
    expect(await query(`zed`)).toEqual(['zed']); // three characters: a prefix, matching only zed
    expect(await query(`zeb`)).toEqual(['zebra1', 'zebra2', 'zebra3', 'zeb']); // username order: zebra…x1 < zebx1
    expect(await query(`zebx${process.pid}`)).toEqual(['zeb']); // a whole username
    await viewer.socket.request('conversation.openDirect', { userId: users.get('zebra3')!.id });
    expect(await query('zeb')).toEqual(['zebra3', 'zebra1', 'zebra2', 'zeb']); // contacts first
    await users.get('zebra1')!.socket.request('block.add', { userId: viewer.id });
    expect(await query('zeb')).toEqual(['zebra3', 'zebra2', 'zeb']);
  });

  it('an exact-only directory answers full usernames only', async () => {
    const exact = await startTestServer({}, { policy: { directory: 'exact' } });
    try {
      const carol = await exact.user(`carolyn${process.pid}`);
      const me = await (await exact.user()).connect();
      await expect(me.request('user.search', { query: 'carol' })).resolves.toEqual({ users: [] });
      expect((await me.request('user.search', { query: `carolyn${process.pid}` })).users.map((u) => u.id)).toEqual([carol.user.id]);
    } finally {
      await exact.stop();
    }
  });

  it('last seen hidden from everyone: contacts see offline without a time, the user’s own devices still see it', async () => {
    const alice = await person();
    const bob = await person();
    const { conversation } = await alice.socket.request('conversation.openDirect', { userId: bob.id });
    await bob.socket.request('conversation.accept', { conversationId: conversation.id });
    const own = await bob.user.connect();
    await syncAll(own);
    const changed = nextEvent(own, 'privacy.changed');
    expect(await bob.socket.request('privacy.set', { privacy: { lastSeen: 'nobody' } })).toEqual({ privacy: { lastSeen: 'nobody' } });
    expect((await changed).privacy).toEqual({ lastSeen: 'nobody' });
    expect(await bob.socket.request('privacy.get', {})).toEqual({ privacy: { lastSeen: 'nobody' } });
    await own.close();
    const offline = nextEvent(alice.socket, 'presence.updated', (e) => e.presence.userId === bob.id && e.presence.status === 'offline');
    await bob.socket.close();
    expect((await offline).presence.lastSeenAt).toBeNull();
    const synced = await syncAll(await alice.user.connect());
    expect(synced.result.presence.find((p) => p.userId === bob.id)).toEqual({ userId: bob.id, status: 'offline', lastSeenAt: null });
  });
});
