import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { barrier, collect, nextEvent, startTestServer, syncAll, waitUntil, type TestServer } from '../helpers/server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

async function trio() {
  const [alice, bob, carol] = [await server.user(), await server.user(), await server.user()];
  const [a, b, c] = [await alice.connect(), await bob.connect(), await carol.connect()];
  for (const s of [a, b, c]) await syncAll(s);
  return { alice, bob, carol, a, b, c };
}

describe('groups', () => {
  it('create, rename, add: every member hears each change as a timeline entry, newcomers a snapshot, the others a patch', async () => {
    const { alice, bob, carol, a, b, c } = await trio();
    const bobSnapshot = nextEvent(b, 'conversation.updated');
    const { conversation } = await a.request('conversation.createGroup', { title: ' Launch ', memberIds: [bob.user.id, bob.user.id] });
    expect(conversation).toMatchObject({ kind: 'group', title: 'Launch', lastSeq: 1 });
    expect(conversation.members.map((m) => [m.userId, m.role])).toEqual([[alice.user.id, 'owner'], [bob.user.id, 'member']]);
    expect((await bobSnapshot).conversation.id).toBe(conversation.id);
    await b.request('conversation.accept', { conversationId: conversation.id }); // an invitation, from a stranger

    const renamed = nextEvent(b, 'message.new', (e) => e.message.kind === 'system' && e.message.system.event === 'renamed');
    const alicePatched = nextEvent(a, 'conversation.changed', (e) => e.title !== undefined);
    await b.request('conversation.rename', { conversationId: conversation.id, title: 'Launch 🚀' });
    expect((await renamed).message).toMatchObject({ seq: 2, senderId: bob.user.id, system: { event: 'renamed', title: 'Launch 🚀' } });
    expect(await alicePatched).toEqual({ type: 'conversation.changed', conversationId: conversation.id, lastSeq: 2, title: 'Launch 🚀', members: [], removed: [] });

    const carolJoins = nextEvent(c, 'conversation.updated', (e) => e.conversation.id === conversation.id);
    const bobPatched = nextEvent(b, 'conversation.changed', (e) => e.members.some((m) => m.userId === carol.user.id));
    const added = await a.request('conversation.addMembers', { conversationId: conversation.id, userIds: [carol.user.id] });
    expect(added.conversation.members).toHaveLength(3);
    expect((await carolJoins).conversation).toMatchObject({ title: 'Launch 🚀', lastSeq: 3 });
    expect((await bobPatched).members).toEqual([expect.objectContaining({ userId: carol.user.id, state: 'pending', invitedBy: alice.user.id })]);
    // The new member sees the history (team-chat semantics) and can send.
    const page = await c.history(conversation.id);
    expect(page.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    await expect(c.send(conversation.id, 'hi all')).resolves.toMatchObject({ seq: 4 });
  });

  it('only the owner removes members; the removed member loses access at once and is told', async () => {
    const { bob, carol, a, b, c } = await trio();
    const { conversation } = await a.request('conversation.createGroup', { title: 'g', memberIds: [bob.user.id, carol.user.id] });
    await expect(b.request('conversation.removeMember', { conversationId: conversation.id, userId: carol.user.id })).rejects.toMatchObject({ code: 'not_allowed' });

    const removed = nextEvent(c, 'conversation.removed');
    const lastEntry = nextEvent(c, 'message.new');
    const after = await a.request('conversation.removeMember', { conversationId: conversation.id, userId: carol.user.id });
    expect(after.conversation.members.map((m) => m.userId)).not.toContain(carol.user.id);
    expect((await removed).conversationId).toBe(conversation.id);
    expect((await lastEntry).message).toMatchObject({ kind: 'system', system: { event: 'member.removed', userId: carol.user.id } });

    const carolHears = collect(c, 'message.new');
    await a.send(conversation.id, 'after carol left');
    await expect(c.send(conversation.id, 'let me in')).rejects.toMatchObject({ code: 'not_found' });
    await expect(c.history(conversation.id)).rejects.toMatchObject({ code: 'not_found' });
    await barrier(c); // Alice's send was answered: anything it pushed to Carol has arrived
    expect(carolHears).toHaveLength(0);
  });

  it('leaving passes ownership to the longest-standing member; direct chats cannot be changed', async () => {
    const { alice, bob, carol, a, b } = await trio();
    const { conversation } = await a.request('conversation.createGroup', { title: 'g', memberIds: [bob.user.id, carol.user.id] });
    const bobHears = nextEvent(b, 'conversation.changed', (e) => e.removed.includes(alice.user.id));
    await a.request('conversation.leave', { conversationId: conversation.id });
    const patch = await bobHears;
    // Bob and Carol joined in the same moment: one of them inherits (the patch names the heir), and there is exactly one owner.
    expect(patch.members).toEqual([expect.objectContaining({ role: 'owner' })]);
    const view = (await b.request('conversation.get', { conversationId: conversation.id })).conversation;
    expect(view.members.filter((m) => m.role === 'owner').map((m) => m.userId)).toEqual([patch.members[0]!.userId]);
    expect(view.members.map((m) => m.userId)).not.toContain(alice.user.id);
    await expect(a.request('conversation.get', { conversationId: conversation.id })).rejects.toMatchObject({ code: 'not_found' });

    const { conversation: direct } = await b.request('conversation.openDirect', { userId: carol.user.id });
    await expect(b.request('conversation.rename', { conversationId: direct.id, title: 'x' })).rejects.toMatchObject({ code: 'not_allowed' });
    await expect(b.request('conversation.addMembers', { conversationId: direct.id, userIds: [alice.user.id] })).rejects.toMatchObject({ code: 'not_allowed' });
    await expect(b.request('conversation.leave', { conversationId: direct.id })).rejects.toMatchObject({ code: 'not_allowed' });
  });

  it('rejects unknown users, yourself as a direct peer, and finds users by prefix', async () => {
    const { bob, a } = await trio();
    await expect(a.request('conversation.createGroup', { title: 'g', memberIds: ['u_doesnotexist0000'] })).rejects.toMatchObject({ code: 'user_not_found' });
    await expect(a.request('conversation.openDirect', { userId: 'u_doesnotexist0000' })).rejects.toMatchObject({ code: 'user_not_found' });
    await expect(a.request('conversation.openDirect', { userId: a.userId })).rejects.toMatchObject({ code: 'invalid_request' });
    const found = await a.request('user.search', { query: bob.name.slice(0, 5).toUpperCase() });
    expect(found.users.map((u) => u.id)).toContain(bob.user.id);
  });

  it('lists my conversations by latest activity with last message, unread and members', async () => {
    const { bob, carol, a, b } = await trio();
    const { conversation: older } = await a.request('conversation.openDirect', { userId: bob.user.id });
    const { conversation: newer } = await a.request('conversation.createGroup', { title: 'g', memberIds: [bob.user.id, carol.user.id] });
    // Ordered by latest activity in ms: the bump must be stamped strictly after the group's last entry.
    const groupActivity = newer.lastMessage?.ts ?? newer.createdAt;
    await waitUntil(() => Date.now() > groupActivity, { message: 'the clock to move past the group’s creation' });
    await a.send(older.id, 'bump');
    const list = (await b.request('conversation.list', {})).conversations;
    expect(list.map((x) => x.id)).toEqual([older.id, newer.id]);
    expect(list[0]).toMatchObject({ unread: 2, lastMessage: { kind: 'text', body: 'bump' } });
    expect(list[1]?.members).toHaveLength(3);
  });
});
