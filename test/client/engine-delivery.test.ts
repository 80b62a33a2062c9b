import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CourierSocket } from '../../src/client';
import type { LocalMessage } from '../../src/shared/ipc';
import { PASSWORD, startRestartableServer, type RestartableServer } from '../helpers/child-courier';
import { removeProfile, startApp, waitForStatus, type TestApp } from '../helpers/engine';

/**
 * The desktop engine (DesktopCore, driven through its IPC dispatch as the renderer drives
 * it) against the real server in a child process, with a real SQLite file per app.
 */
let server: RestartableServer;
const apps: TestApp[] = [];

beforeEach(async () => {
  server = await startRestartableServer();
});
afterEach(async () => {
  for (const app of apps.splice(0)) {
    await app.close();
    removeProfile(app.profileDir);
  }
  await server.stop();
});

async function signedInApp(username: string, profileDir?: string): Promise<TestApp> {
  const app = await startApp(profileDir ? { profileDir } : {});
  apps.push(app);
  await app.call('session.register', { serverUrl: server.url, username, password: PASSWORD });
  await waitForStatus(app, 'online');
  return app;
}

/** Every stored entry of a conversation, oldest first, paging back through the local store (and server). */
async function wholeTimeline(app: TestApp, conversationId: string): Promise<LocalMessage[]> {
  const all: LocalMessage[] = [];
  let page = await app.call('messages.page', { conversationId, limit: 100 });
  all.unshift(...page.messages);
  while (page.hasMore) {
    const before = page.messages.find((m) => m.seq !== null)?.seq ?? undefined;
    if (before === undefined) break;
    page = await app.call('messages.page', { conversationId, beforeSeq: before, limit: 100 });
    all.unshift(...page.messages);
  }
  return all;
}

function expectGapless(messages: LocalMessage[]): void {
  const seqs = messages.filter((m) => m.seq !== null).map((m) => m.seq!);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
}

async function sendMany(socket: CourierSocket, conversationId: string, count: number, prefix: string): Promise<void> {
  for (let i = 0; i < count; i++) await socket.send(conversationId, `${prefix} ${i}`);
}

describe('desktop engine against a real server (child process)', () => {
  it('a message written offline shows as pending at once and is delivered exactly once after reconnecting', async () => {
    const bob = await server.user('bob');
    const alice = await signedInApp('alice');
    const conversation = await alice.call('conversation.openDirect', { userId: bob.user.id });

    await server.kill();
    await waitForStatus(alice, 'offline');
    const written: LocalMessage[] = [];
    for (const body of ['first, offline', 'second, offline', 'third, offline']) {
      written.push(await alice.call('message.send', { conversationId: conversation.id, body }));
    }
    expect(written.map((m) => [m.state, m.seq])).toEqual([
      ['pending', null],
      ['pending', null],
      ['pending', null],
    ]);
    const pendingPage = await alice.call('messages.page', { conversationId: conversation.id, limit: 50 });
    expect(pendingPage.messages.filter((m) => m.state === 'pending').map((m) => m.body)).toEqual(['first, offline', 'second, offline', 'third, offline']);
    await alice.waitFor('outbox', (o) => o.pending === 3);
    const [listed] = await alice.call('conversations.list', null);
    expect(listed?.lastMessage?.body).toBe('third, offline');

    const mark = alice.events.length;
    await server.restart();
    await alice.waitFor('outbox', (o) => o.pending === 0, 15_000, mark);

    const bobSocket = await server.connect(bob);
    const history = await bobSocket.history(conversation.id);
    expect(history.messages.map((m) => (m.kind === 'text' ? m.body : m.system.event))).toEqual(['created', 'first, offline', 'second, offline', 'third, offline']);
    const local = await wholeTimeline(alice, conversation.id);
    expect(local.map((m) => [m.body, m.state])).toEqual([
      [null, 'sent'],
      ['first, offline', 'sent'],
      ['second, offline', 'sent'],
      ['third, offline', 'sent'],
    ]);
    expect(local.slice(1).map((m) => m.clientId)).toEqual(written.map((m) => m.clientId));
    expectGapless(local);
  });

  it('after the server is killed and restarted the app reconnects and catches up with no gap and no duplicate', async () => {
    const bob = await server.user('bob');
    const alice = await signedInApp('alice');
    const bobSocket = await server.connect(bob);
    const { conversation } = await bobSocket.request('conversation.openDirect', { userId: alice.core.myUserId()! });
    await sendMany(bobSocket, conversation.id, 20, 'before');
    await alice.waitFor('conversations.changed', (p) => p.conversations.some((c) => c.id === conversation.id && c.lastSeq === 21));

    await server.kill();
    await waitForStatus(alice, 'offline');
    await server.restart();
    const bobAgain = await server.connect(bob);
    await sendMany(bobAgain, conversation.id, 130, 'after');

    await alice.waitFor('conversations.changed', (p) => p.conversations.some((c) => c.id === conversation.id && c.lastSeq === 151), 20_000);
    const local = await wholeTimeline(alice, conversation.id);
    expect(local).toHaveLength(151); // the 'created' entry, then 150 messages
    expectGapless(local);
    // Each stored entry was announced exactly once, whether it came live or by catch-up.
    const announced = alice.events
      .filter((e) => e.event === 'messages.changed')
      .flatMap((e) => (e.payload as { messages: LocalMessage[] }).messages)
      .filter((m) => m.senderId === bob.user.id)
      .map((m) => m.seq);
    expect(announced).toHaveLength(151);
    expect(new Set(announced).size).toBe(151);
    expect(local.slice(1).map((m) => m.body)).toEqual([...Array.from({ length: 20 }, (_, i) => `before ${i}`), ...Array.from({ length: 130 }, (_, i) => `after ${i}`)]);
  });

  it('an app started after missing 350 messages receives them batch by batch during catch-up, then goes online', async () => {
    const bob = await server.user('bob');
    const alice = await signedInApp('alice');
    const bobSocket = await server.connect(bob);
    const { conversation } = await bobSocket.request('conversation.openDirect', { userId: alice.core.myUserId()! });
    await alice.waitFor('conversations.changed', (p) => p.conversations.some((c) => c.id === conversation.id));
    const profileDir = alice.profileDir;
    apps.splice(apps.indexOf(alice), 1);
    await alice.close();

    await sendMany(bobSocket, conversation.id, 350, 'missed');

    const again = await startApp({ profileDir });
    apps.push(again);
    await waitForStatus(again, 'online', 20_000);
    const online = again.events.findIndex((e) => e.event === 'connection' && (e.payload as { status: string }).status === 'online');
    const syncBatches = again.events.filter((e, i) => i < online && e.event === 'messages.changed' && (e.payload as { origin: string }).origin === 'sync');
    // The server sends at most 100 per batch and the engine announces each as it lands.
    expect(syncBatches.length).toBeGreaterThanOrEqual(4);
    const local = await wholeTimeline(again, conversation.id);
    expect(local).toHaveLength(351); // the 'created' entry, then 350 messages
    expectGapless(local);
    const [listed] = await again.call('conversations.list', null);
    expect(listed?.unread).toBe(351);
  });

  it('a device new to a long conversation fetches only the latest entries, then pages older ones from the server on demand', async () => {
    const bob = await server.user('bob');
    const aliceAuth = await server.user('alice');
    const bobSocket = await server.connect(bob);
    const { conversation } = await bobSocket.request('conversation.openDirect', { userId: aliceAuth.user.id });
    await sendMany(bobSocket, conversation.id, 300, 'old');

    const app = await startApp({ extras: { backlog: 50 } });
    apps.push(app);
    await app.call('session.signIn', { serverUrl: server.url, username: 'alice', password: PASSWORD });
    await waitForStatus(app, 'online');
    const newest = await app.call('messages.page', { conversationId: conversation.id, limit: 50 });
    expect(newest.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 252 + i));
    expect(newest.hasMore).toBe(true);

    const all = await wholeTimeline(app, conversation.id);
    expect(all).toHaveLength(301);
    expectGapless(all);
    // Now stored locally: the same pages come from the store without the server.
    await server.kill();
    await waitForStatus(app, 'offline');
    const again = await wholeTimeline(app, conversation.id);
    expect(again.map((m) => m.seq)).toEqual(all.map((m) => m.seq));
  });

  it('receipts: delivery is acknowledged when stored, read when the user marks it read; the unread total follows', async () => {
    const bob = await server.user('bob');
    const alice = await signedInApp('alice');
    const bobSocket = await server.connect(bob);
    const { conversation } = await bobSocket.request('conversation.openDirect', { userId: alice.core.myUserId()! });
    // A request from a stranger shares no receipts: Alice accepts it first (consent.test.ts covers before).
    await alice.waitFor('conversations.changed', (p) => p.conversations.some((c) => c.id === conversation.id));
    await alice.call('conversation.accept', { conversationId: conversation.id });
    const receipts: Array<{ userId: string; deliveredSeq: number; readSeq: number }> = [];
    bobSocket.on('receipt.updated', (e) => receipts.push(e.receipt));
    await sendMany(bobSocket, conversation.id, 3, 'hello'); // seqs 2-4 after the 'created' entry

    await alice.waitFor('unread', (u) => u.total === 4);
    await expect.poll(() => JSON.stringify(receipts), { timeout: 5000 }).toContain('"deliveredSeq":4');
    expect(receipts.some((r) => r.userId === alice.core.myUserId() && r.readSeq > 0)).toBe(false);

    await alice.call('conversation.markRead', { conversationId: conversation.id, seq: 3 });
    await alice.waitFor('unread', (u) => u.total === 1);
    await expect.poll(() => receipts.some((r) => r.userId === alice.core.myUserId() && r.readSeq === 3), { timeout: 5000 }).toBe(true);

    // Bob reads Alice's reply: Alice's copy of the conversation shows Bob's read watermark (✓✓ read).
    const reply = await alice.call('message.send', { conversationId: conversation.id, body: 'hi bob' });
    const sent = await alice.waitFor('messages.changed', (p) => p.messages.some((m) => m.clientId === reply.clientId && m.state === 'sent'));
    const seq = sent.messages.find((m) => m.clientId === reply.clientId)!.seq!;
    bobSocket.notify('receipt.mark', { conversationId: conversation.id, kind: 'read', seq });
    await alice.waitFor('conversations.changed', (p) =>
      p.conversations.some((c) => c.id === conversation.id && c.members.some((m) => m.userId === bob.user.id && m.readSeq === seq)),
    );
  });

  it('local full-text search finds received messages, including by word prefix', async () => {
    const bob = await server.user('bob');
    const alice = await signedInApp('alice');
    const bobSocket = await server.connect(bob);
    const { conversation } = await bobSocket.request('conversation.openDirect', { userId: alice.core.myUserId()! });
    await bobSocket.send(conversation.id, 'The quarterly report is in the shared folder');
    await bobSocket.send(conversation.id, 'Lunch at noon?');
    await alice.waitFor('conversations.changed', (p) => p.conversations.some((c) => c.lastSeq === 3));

    const hits = await alice.call('search.messages', { query: 'quarterly' });
    expect(hits.map((h) => h.message.body)).toEqual(['The quarterly report is in the shared folder']);
    expect(hits[0]?.message.seq).toBe(2);
    expect((await alice.call('search.messages', { query: 'lun' })).map((h) => h.message.body)).toEqual(['Lunch at noon?']);
    // User input with search-syntax characters is text, not an error.
    await expect(alice.call('search.messages', { query: '"AND (' })).resolves.toEqual([]);
  });

  it('rejects bad arguments at the IPC boundary with an error the UI can show', async () => {
    const app = await startApp();
    apps.push(app);
    const bad = await app.core.dispatch('message.send', { conversationId: 'x', body: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const unknown = await app.core.dispatch('fs.readFile' as never, {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const signedOut = await app.core.dispatch('message.send', { conversationId: 'c1', body: 'hi' });
    expect(signedOut).toMatchObject({ ok: false, error: { code: 'auth_required' } });
    const javascriptUrl = await app.core.dispatch('shell.openExternal', { url: 'javascript:alert(1)' });
    expect(javascriptUrl).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(app.shellCalls.filter((c) => c.kind === 'openExternal')).toEqual([]);
  });
});

describe('DesktopCore settings', () => {
  it('offers the default server (npm run dev) until the user has signed in somewhere', async () => {
    const app = await startApp({ extras: { defaultServerUrl: server.url } });
    apps.push(app);
    expect((await app.call('settings.get', null)).lastServerUrl).toBe(server.url);
  });
});

describe('DesktopCore subscriptions', () => {
  it('a late subscriber first receives the current connection, account, unread and outbox state', async () => {
    const app = await startApp();
    apps.push(app);
    await app.call('session.register', { serverUrl: server.url, username: 'carol', password: PASSWORD });
    await waitForStatus(app, 'online');
    const seen: string[] = [];
    const unsubscribe = app.core.subscribe((event, payload) => {
      if (event === 'connection') seen.push(`connection:${(payload as { status: string }).status}`);
      else seen.push(event);
    });
    unsubscribe();
    expect(seen.sort()).toEqual(['account', 'connection:online', 'outbox', 'unread']);
  });
});
