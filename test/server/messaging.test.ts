import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/shared/uuid-v7';
import { barrier, collect, nextEvent, startTestServer, syncAll, type TestServer } from '../helpers/server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

describe('messaging between two users and three devices', () => {
  it('delivers a message to every device of every member, sender’s other device included', async () => {
    const alice = await server.user('alice');
    const bob = await server.user('bob');
    const aliceLaptop = await alice.connect();
    const alicePhone = await alice.connect();
    const bobDesk = await bob.connect();
    for (const s of [aliceLaptop, alicePhone, bobDesk]) await syncAll(s);

    const { conversation } = await aliceLaptop.request('conversation.openDirect', { userId: bob.user.id });
    const onBob = nextEvent(bobDesk, 'message.new', (e) => e.message.kind === 'text');
    const onPhone = nextEvent(alicePhone, 'message.new', (e) => e.message.kind === 'text');
    const laptopEvents = collect(aliceLaptop, 'message.new');

    const ack = await aliceLaptop.send(conversation.id, 'hello bob');
    expect(ack.seq).toBe(2); // 1 is the "created" entry
    const [atBob, atPhone] = await Promise.all([onBob, onPhone]);
    for (const e of [atBob, atPhone]) {
      expect(e.message).toMatchObject({ kind: 'text', body: 'hello bob', seq: 2, senderId: alice.user.id, conversationId: conversation.id });
    }
    await barrier(aliceLaptop); // the message was acked: anything it sent the laptop is in by now
    expect(laptopEvents.filter((e) => e.message.kind === 'text')).toHaveLength(0); // the sender’s socket has its ack
  });

  it('opening a direct conversation twice returns the same one', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const a = await alice.connect();
    const b = await bob.connect();
    const first = await a.request('conversation.openDirect', { userId: bob.user.id });
    const second = await a.request('conversation.openDirect', { userId: bob.user.id });
    const fromBob = await b.request('conversation.openDirect', { userId: alice.user.id });
    expect(second.conversation.id).toBe(first.conversation.id);
    expect(fromBob.conversation.id).toBe(first.conversation.id);
    expect((await a.request('conversation.list', {})).conversations).toHaveLength(1);
  });

  it('a retry with the same client id returns the same ack and stores nothing new', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const a = await alice.connect();
    const b = await bob.connect();
    await syncAll(b);
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    const bobGot = collect(b, 'message.new');
    const clientId = uuidv7();
    const first = await a.send(conversation.id, 'once', clientId);
    const again = await a.send(conversation.id, 'once', clientId);
    expect(again).toEqual(first);
    // A client id reused for another conversation is a conflict, not a silent success.
    const carol = await server.user();
    const { conversation: other } = await a.request('conversation.openDirect', { userId: carol.user.id });
    await expect(a.send(other.id, 'once', clientId)).rejects.toMatchObject({ code: 'conflict' });
    await barrier(b); // every send above was answered, so whatever they sent Bob has arrived
    const page = await a.history(conversation.id);
    expect(page.messages.filter((m) => m.kind === 'text')).toHaveLength(1);
    expect(bobGot.filter((e) => e.message.kind === 'text')).toHaveLength(1);
  });

  it('assigns gapless per-conversation seqs under concurrent senders', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const a = await alice.connect();
    const b = await bob.connect();
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    const acks = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).send(conversation.id, `m${i}`)),
    );
    const seqs = acks.map((x) => x.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
  });

  it('pages history backwards across 1,000+ messages with opaque cursors', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const a = await alice.connect();
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    for (let i = 0; i < 1050; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => a.send(conversation.id, `n${i + j}`)));
    }
    const seen: number[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = await a.history(conversation.id, before, 100);
      expect(page.messages.length).toBeLessThanOrEqual(100);
      seen.unshift(...page.messages.map((m) => m.seq));
      before = page.before ?? undefined;
      pages++;
    } while (before);
    expect(pages).toBe(11);
    expect(seen).toEqual(Array.from({ length: 1051 }, (_, i) => i + 1));
    await expect(a.history(conversation.id, 'not-a-cursor')).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('rejects bodies over 16 KiB of UTF-8 and accepts exactly 16 KiB', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const a = await alice.connect();
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    await expect(a.send(conversation.id, 'x'.repeat(16 * 1024))).resolves.toMatchObject({ seq: 2 });
    await expect(a.send(conversation.id, 'é'.repeat(8 * 1024 + 1))).rejects.toMatchObject({ code: 'too_large' });
    await expect(a.send(conversation.id, '')).rejects.toMatchObject({ code: 'bad_frame' });
  });
});
