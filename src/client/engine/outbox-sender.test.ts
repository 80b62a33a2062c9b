import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LocalMessage } from '../../shared/ipc';
import type { CourierSocket } from '../courier-socket';
import { CourierError } from '../errors';
import { ME, conversation, member, tempStore, type TempStore } from '../store/test-fixtures';
import { OutboxSender } from './outbox-sender';

/** A socket whose answers to message.send the test scripts, one per call, in order. */
function scriptedSocket(answers: Array<'ack' | CourierError>) {
  const sent: string[] = [];
  let seq = 0;
  const socket = {
    request: (_type: string, p: { body: string; conversationId: string }) => {
      sent.push(p.body);
      const answer = answers.shift() ?? 'ack';
      if (answer === 'ack') return Promise.resolve({ conversationId: p.conversationId, clientId: 'x', seq: ++seq, ts: 1000 + seq });
      return Promise.reject(answer);
    },
  } as unknown as CourierSocket;
  return { socket, sent };
}

let t: TempStore;
afterEach(() => t.dispose());

function setup(answers: Array<'ack' | CourierError>, online = true) {
  t = tempStore();
  t.store.upsertConversations([conversation('c1', { members: [member(ME), member('u_bob')] })], ME);
  const { socket, sent } = scriptedSocket(answers);
  const changes: LocalMessage[] = [];
  let connected = online;
  const sender = new OutboxSender({ store: t.store, myUserId: ME, socket: () => (connected ? socket : null), onChange: (m) => changes.push(m) });
  const enqueue = (body: string, n: number) =>
    t.store.enqueue({ conversationId: 'c1', clientId: `0190a0b0-0000-7000-8000-00000000000${n}`, body, senderId: ME, createdAt: 1000 + n });
  // Lets the sender do all it can do now. The scripted socket answers at once and the store
  // is synchronous, so that is all promise callbacks, and they run before the next
  // macrotask: a barrier, not a guess at how long sending takes.
  const settle = () => new Promise<void>((r) => setImmediate(r));
  return { sender, sent, changes, enqueue, settle, connect: () => (connected = true) };
}

describe('OutboxSender', () => {
  it('sends in compose order and turns each ack into a stored message', async () => {
    const o = setup([]);
    o.enqueue('one', 1);
    o.enqueue('two', 2);
    o.enqueue('three', 3);
    o.sender.kick();
    await o.settle();
    expect(o.sent).toEqual(['one', 'two', 'three']);
    expect(o.changes.map((m) => [m.body, m.state, m.seq])).toEqual([
      ['one', 'sent', 1],
      ['two', 'sent', 2],
      ['three', 'sent', 3],
    ]);
    expect(t.store.outboxSummary()).toEqual({ pending: 0, failed: 0 });
  });

  it('waits while offline and sends when kicked after connecting', async () => {
    const o = setup([], false);
    o.enqueue('written offline', 1);
    o.sender.kick();
    await o.settle();
    expect(o.sent).toEqual([]);
    o.connect();
    o.sender.kick();
    await o.settle();
    expect(o.sent).toEqual(['written offline']);
  });

  it('a permanent refusal marks that message failed with the reason and goes on with the rest', async () => {
    const o = setup([new CourierError('not_found', 'no such conversation')]);
    o.enqueue('refused', 1);
    o.enqueue('fine', 2);
    o.sender.kick();
    await o.settle();
    expect(o.changes.map((m) => [m.body, m.state, m.error?.code ?? null])).toEqual([
      ['refused', 'failed', 'not_found'],
      ['fine', 'sent', null],
    ]);
    expect(o.changes[0]?.error?.message).toBe('This conversation is no longer available to you.');
    expect(t.store.outboxSummary()).toEqual({ pending: 0, failed: 1 });
  });

  it('a transient failure stops the queue in order (nothing overtakes) until the next kick', async () => {
    const o = setup([new CourierError('closed', 'connection closed')]);
    o.enqueue('first', 1);
    o.enqueue('second', 2);
    o.sender.kick();
    await o.settle();
    expect(o.sent).toEqual(['first']);
    expect(t.store.outboxSummary()).toEqual({ pending: 2, failed: 0 });
    o.sender.kick(); // e.g. the next connection
    await o.settle();
    expect(o.sent).toEqual(['first', 'first', 'second']);
    expect(t.store.outboxSummary()).toEqual({ pending: 0, failed: 0 });
  });

  it('rate limited: resumes by itself after retryAfterMs', async () => {
    // The retry is a timer: drive it on a fake clock rather than sleeping past it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const o = setup([new CourierError('rate_limited', 'slow down', 30)]);
      o.enqueue('first', 1);
      o.sender.kick();
      await o.settle();
      expect(t.store.outboxSummary().pending).toBe(1);
      await vi.advanceTimersByTimeAsync(29);
      await o.settle();
      expect(o.sent).toEqual(['first']); // not before retryAfterMs
      await vi.advanceTimersByTimeAsync(1);
      await o.settle();
      expect(o.sent).toEqual(['first', 'first']);
      expect(t.store.outboxSummary().pending).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a failed message retried by the user is sent again with the same client id', async () => {
    const o = setup([new CourierError('not_allowed', 'read-only')]);
    const queued = o.enqueue('try me', 1);
    o.sender.kick();
    await o.settle();
    expect(t.store.retry(queued.clientId!)?.state).toBe('pending');
    o.sender.kick();
    await o.settle();
    expect(o.changes.at(-1)).toMatchObject({ clientId: queued.clientId, state: 'sent' });
  });
});
