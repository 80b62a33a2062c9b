import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ME, conversation, seqs, tempStore, text, texts, type TempStore } from './test-fixtures';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
  t.store.upsertConversations([conversation('c1'), conversation('c2')], ME);
});
afterEach(() => t.dispose());

const item = (clientId: string, o: { conversationId?: string; body?: string; createdAt?: number } = {}) => ({
  conversationId: o.conversationId ?? 'c1',
  clientId,
  body: o.body ?? `body of ${clientId}`,
  createdAt: o.createdAt ?? 50_000,
  senderId: ME,
});

describe('outbox', () => {
  it('enqueue shows the entry at the end of the page, pending, without a seq', () => {
    t.store.applyMessages(texts('c1', 1, 3), ME);
    const pending = t.store.enqueue(item('k1', { createdAt: 60_000 }));
    expect(pending).toEqual({
      conversationId: 'c1', seq: null, clientId: 'k1', senderId: ME, kind: 'text', body: 'body of k1', system: null, ts: 60_000, state: 'pending', error: null,
    });
    const page = t.store.page('c1', { limit: 2 });
    expect(seqs(page)).toEqual([2, 3, null]);
    expect(page[2]).toEqual(pending);
    // Older pages hold stored messages only.
    expect(seqs(t.store.page('c1', { beforeSeq: 3, limit: 10 }))).toEqual([1, 2]);
    expect(t.store.outboxSummary()).toEqual({ pending: 1, failed: 0 });
  });

  it('pendingOutbox lists pending entries in compose order, across conversations', () => {
    t.store.enqueue(item('k1'));
    t.store.enqueue(item('k2', { conversationId: 'c2' }));
    t.store.enqueue(item('k3'));
    expect(t.store.pendingOutbox()).toEqual([
      { conversationId: 'c1', clientId: 'k1', body: 'body of k1', createdAt: 50_000 },
      { conversationId: 'c2', clientId: 'k2', body: 'body of k2', createdAt: 50_000 },
      { conversationId: 'c1', clientId: 'k3', body: 'body of k3', createdAt: 50_000 },
    ]);
  });

  it('markSent turns the entry into a stored message in one step', () => {
    t.store.applyMessages(texts('c1', 1, 2), ME);
    t.store.enqueue(item('k1'));
    const sent = t.store.markSent('k1', { conversationId: 'c1', seq: 3, ts: 70_000 }, ME);
    expect(sent).toEqual({
      conversationId: 'c1', seq: 3, clientId: 'k1', senderId: ME, kind: 'text', body: 'body of k1', system: null, ts: 70_000, state: 'sent', error: null,
    });
    expect(t.store.page('c1', { limit: 10 }).at(-1)).toEqual(sent);
    expect(t.store.pendingOutbox()).toEqual([]);
    expect(t.store.outboxSummary()).toEqual({ pending: 0, failed: 0 });
    // My own send: read up to it, and the watermark moved over it.
    expect(t.store.getConversation('c1')).toMatchObject({ lastSeq: 3, readSeq: 3, unread: 0, lastActivityAt: 70_000, lastMessage: sent });
    expect(t.store.watermarks()).toContainEqual(['c1', 3]);
    expect(t.store.search('body', 5).map((h) => h.message.clientId)).toEqual(['k1']);
    // A second ack for the same entry (a resend answered again) finds nothing to do.
    expect(t.store.markSent('k1', { conversationId: 'c1', seq: 3, ts: 70_000 }, ME)).toBeNull();
  });

  it('drops the entry when the server copy arrives first, and markSent then returns null', () => {
    t.store.enqueue(item('k1'));
    t.store.enqueue(item('k2'));
    const echo = t.store.applyMessages([text('c1', 1, { senderId: ME, clientId: 'k1', body: 'body of k1' })], ME);
    expect(echo.changed).toEqual(['c1']);
    expect(t.store.pendingOutbox().map((e) => e.clientId)).toEqual(['k2']);
    expect(seqs(t.store.page('c1', { limit: 10 }))).toEqual([1, null]);
    expect(t.store.markSent('k1', { conversationId: 'c1', seq: 1, ts: 1 }, ME)).toBeNull();
    expect(seqs(t.store.page('c1', { limit: 10 }))).toEqual([1, null]);
  });

  it('only drops an entry of the same conversation', () => {
    t.store.enqueue(item('k1'));
    t.store.applyMessages([text('c2', 1, { clientId: 'k1' })], ME);
    expect(t.store.pendingOutbox().map((e) => e.clientId)).toEqual(['k1']);
  });

  it('markFailed keeps the entry with its error; retry moves it to the end of the queue', () => {
    t.store.enqueue(item('k1'));
    t.store.enqueue(item('k2'));
    const failed = t.store.markFailed('k1', { code: 'too_large', message: 'This message is too long to send.' });
    expect(failed).toMatchObject({ clientId: 'k1', state: 'failed', seq: null, error: { code: 'too_large', message: 'This message is too long to send.' } });
    expect(t.store.pendingOutbox().map((e) => e.clientId)).toEqual(['k2']);
    expect(t.store.outboxSummary()).toEqual({ pending: 1, failed: 1 });
    expect(t.store.page('c1', { limit: 10 }).map((m) => [m.clientId, m.state])).toEqual([
      ['k1', 'failed'],
      ['k2', 'pending'],
    ]);

    const retried = t.store.retry('k1');
    expect(retried).toMatchObject({ clientId: 'k1', state: 'pending', error: null });
    expect(t.store.pendingOutbox().map((e) => e.clientId)).toEqual(['k2', 'k1']);
    expect(t.store.page('c1', { limit: 10 }).map((m) => m.clientId)).toEqual(['k2', 'k1']);
    expect(t.store.outboxSummary()).toEqual({ pending: 2, failed: 0 });

    expect(t.store.retry('nope')).toBeNull();
    expect(t.store.markFailed('nope', { code: 'x', message: 'y' })).toBeNull();
  });

  it('retry leaves a pending entry where it is', () => {
    t.store.enqueue(item('k1'));
    t.store.enqueue(item('k2'));
    expect(t.store.retry('k1')).toMatchObject({ state: 'pending' });
    expect(t.store.pendingOutbox().map((e) => e.clientId)).toEqual(['k1', 'k2']);
  });

  it('deleteOutbox removes a pending or failed entry', () => {
    t.store.enqueue(item('k1'));
    t.store.enqueue(item('k2'));
    t.store.markFailed('k2', { code: 'x', message: 'y' });
    expect(t.store.deleteOutbox('k1')).toBe(true);
    expect(t.store.deleteOutbox('k2')).toBe(true);
    expect(t.store.deleteOutbox('k2')).toBe(false);
    expect(t.store.outboxSummary()).toEqual({ pending: 0, failed: 0 });
    expect(t.store.getConversation('c1')!.lastMessage).toBeNull();
  });

  it('refuses an entry for a conversation it does not have', () => {
    expect(() => t.store.enqueue(item('k1', { conversationId: 'c9' }))).toThrow(/FOREIGN KEY/);
    expect(t.store.outboxSummary()).toEqual({ pending: 0, failed: 0 });
  });

  it('survives a reopen', () => {
    t.store.enqueue(item('k1'));
    t.store.enqueue(item('k2'));
    t.store.markFailed('k1', { code: 'x', message: 'y' });
    const store = t.reopen();
    expect(store.pendingOutbox().map((e) => e.clientId)).toEqual(['k2']);
    expect(store.outboxSummary()).toEqual({ pending: 1, failed: 1 });
  });

  it('survives the process being killed right after enqueue', () => {
    t.store.close();
    const child = join(t.dir, 'child.mts');
    const storeModule = pathToFileURL(join(import.meta.dirname, 'sqlite-local-store.ts')).href;
    writeFileSync(
      child,
      `import { openLocalStore } from ${JSON.stringify(storeModule)};
       const store = openLocalStore(${JSON.stringify(t.file)});
       store.enqueue({ conversationId: 'c1', clientId: 'k-crash', body: 'written before the crash', senderId: 'u_me', createdAt: 1 });
       process.kill(process.pid, 'SIGKILL');`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', timeout: 15_000 });
    expect(run.signal, run.stderr).toBe('SIGKILL');
    const store = t.reopen();
    expect(store.pendingOutbox()).toEqual([{ conversationId: 'c1', clientId: 'k-crash', body: 'written before the crash', createdAt: 1 }]);
  });
});
