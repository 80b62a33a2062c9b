import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CourierSocket } from '../../src/client';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

/** A direct conversation holding seqs 1..21: the "created" entry and 20 texts. */
async function conversationWith20Texts(): Promise<{ a: CourierSocket; conversationId: string }> {
  const alice = await server.user();
  const bob = await server.user();
  const a = await alice.connect();
  const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
  for (let i = 0; i < 20; i++) await a.send(conversation.id, `m${i}`);
  return { a, conversationId: conversation.id };
}

const seqs = (page: { messages: Array<{ seq: number }> }) => page.messages.map((m) => m.seq);

describe('history.fetch with beforeSeq', () => {
  it('returns the newest entries with seq < beforeSeq, oldest first, at most limit', async () => {
    const { a, conversationId } = await conversationWith20Texts();
    const page = await a.history(conversationId, { beforeSeq: 15, limit: 5 });
    expect(seqs(page)).toEqual([10, 11, 12, 13, 14]);
    const all = await a.history(conversationId, { beforeSeq: 15, limit: 100 });
    expect(seqs(all)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(all.before).toBeNull();
    expect((await a.history(conversationId, { beforeSeq: 1 })).messages).toEqual([]);
  });

  it('returns a before cursor that keeps paging from there', async () => {
    const { a, conversationId } = await conversationWith20Texts();
    const first = await a.history(conversationId, { beforeSeq: 12, limit: 4 });
    expect(seqs(first)).toEqual([8, 9, 10, 11]);
    expect(first.before).toEqual(expect.any(String));
    const second = await a.history(conversationId, { before: first.before ?? '', limit: 4 });
    expect(seqs(second)).toEqual([4, 5, 6, 7]);
  });

  it('rejects before and beforeSeq together', async () => {
    const { a, conversationId } = await conversationWith20Texts();
    const { before } = await a.history(conversationId, undefined, 2);
    await expect(a.history(conversationId, { before: before ?? '', beforeSeq: 5 })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('is not_found for a conversation the caller is not in', async () => {
    const { conversationId } = await conversationWith20Texts();
    const outsider = await (await server.user()).connect();
    await expect(outsider.history(conversationId, { beforeSeq: 10 })).rejects.toMatchObject({ code: 'not_found' });
  });
});
