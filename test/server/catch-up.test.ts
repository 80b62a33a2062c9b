import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/protocol';
import { barrier, collect, nextEvent, startTestServer, syncAll, waitUntil, type TestServer } from '../helpers/server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

function watermarksOf(messages: Message[]): Array<[string, number]> {
  const top = new Map<string, number>();
  for (const m of messages) top.set(m.conversationId, Math.max(top.get(m.conversationId) ?? 0, m.seq));
  return [...top];
}

function expectGaplessAfter(messages: Message[], conversationId: string, after: number, last: number): void {
  const seqs = messages.filter((m) => m.conversationId === conversationId).map((m) => m.seq);
  expect(seqs).toEqual(Array.from({ length: last - after }, (_, i) => after + i + 1));
}

describe('catch-up', () => {
  it('gives an offline device everything it missed, once, in order, in bounded batches, then live events', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const a = await alice.connect();
    const { conversation: direct } = await a.request('conversation.openDirect', { userId: bob.user.id });
    const { conversation: group } = await a.request('conversation.createGroup', { title: 'team', memberIds: [bob.user.id] });

    const bobFirst = await bob.connect();
    const first = await syncAll(bobFirst);
    const marks = watermarksOf(first.messages);
    expect(new Map(marks)).toEqual(new Map([[direct.id, 1], [group.id, 1]]));
    await bobFirst.close();

    // Bob is offline: 350 messages over two conversations, and a rename.
    for (let i = 0; i < 350; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => a.send((i + j) % 2 ? direct.id : group.id, `offline ${i + j}`)));
    }
    await a.request('conversation.rename', { conversationId: group.id, title: 'the team' });

    const bobAgain = await bob.connect();
    const live = collect(bobAgain, 'message.new');
    const caught = await syncAll(bobAgain, marks);
    expect(caught.result.messages).toBe(351);
    expectGaplessAfter(caught.messages, direct.id, 1, 176);
    expectGaplessAfter(caught.messages, group.id, 1, 177);
    expect(caught.batches.every((b) => b.messages.length <= 100)).toBe(true);
    expect(caught.conversations.find((c) => c.id === group.id)?.title).toBe('the team');
    expect(caught.conversations.find((c) => c.id === direct.id)?.unread).toBe(176); // every entry after readSeq 0, the "created" one included

    // After the "caught up" result, live events flow.
    const next = nextEvent(bobAgain, 'message.new');
    await a.send(direct.id, 'now live');
    expect((await next).message).toMatchObject({ seq: 177, body: 'now live' });
    expect(live.map((e) => e.message.seq)).toEqual([177]);
  });

  it('messages sent during a catch-up arrive exactly once, after the caught-up marker', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const a = await alice.connect();
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    for (let i = 0; i < 400; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => a.send(conversation.id, `before ${i + j}`)));

    const b = await bob.connect();
    const order: string[] = [];
    const seqs: number[] = [];
    b.on('message.new', (e) => {
      order.push('live');
      seqs.push(e.message.seq);
    });
    const syncing = b.sync([], (batch) => {
      order.push('batch');
      seqs.push(...batch.messages.map((m) => m.seq));
    });
    // Race live sends against the catch-up.
    const during = Promise.all(Array.from({ length: 60 }, (_, i) => a.send(conversation.id, `during ${i}`)));
    await syncing;
    order.push('result');
    await during;
    // Every entry arrives, by the sync or live (those held during the catch-up are let out
    // after its result, possibly paced) ...
    await waitUntil(() => seqs.length >= 461, { message: () => `all 461 entries at Bob (has ${seqs.length})` });
    // ... and nothing twice: every send was answered, so a duplicate would be in by now.
    await barrier(b);
    expect(seqs.sort((x, y) => x - y)).toEqual(Array.from({ length: 461 }, (_, i) => i + 1));
    expect(order.indexOf('result')).toBeGreaterThan(order.lastIndexOf('batch'));
  });

  it('backlog limits how much history comes for conversations the device has never seen', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const a = await alice.connect();
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    await Promise.all(Array.from({ length: 30 }, (_, i) => a.send(conversation.id, `m${i}`)));
    const b = await bob.connect();
    const batches: Message[] = [];
    const result = await b.sync([], (batch) => batches.push(...batch.messages), 10);
    expect(result.messages).toBe(10);
    expect(batches.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 22 + i));
  });

  it('a device that is up to date receives no messages, and a second sync on one socket is refused while one runs', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const a = await alice.connect();
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    await a.send(conversation.id, 'one');
    const b = await bob.connect();
    const first = await syncAll(b);
    const again = await syncAll(b, watermarksOf(first.messages));
    expect(again.messages).toHaveLength(0);
    expect(again.conversations).toHaveLength(1);
    const running = b.sync([], () => {});
    await expect(b.sync([], () => {})).rejects.toMatchObject({ code: 'invalid_request' });
    await running;
  });

  it('before its first sync a socket receives no live events (the sync will carry them)', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const a = await alice.connect();
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    const b = await bob.connect();
    const early = collect(b, 'message.new');
    await a.send(conversation.id, 'early');
    await barrier(b); // had the answered send pushed Bob anything, it would be in by now
    expect(early).toHaveLength(0);
    const caught = await syncAll(b);
    expect(caught.messages.map((m) => m.seq)).toEqual([1, 2]);
  });
});
