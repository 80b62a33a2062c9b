import { afterEach, describe, expect, it, vi } from 'vitest';
import { serverPerTest, syncAll } from '../helpers/server';

const startServer = serverPerTest();
afterEach(() => vi.restoreAllMocks());

describe('CourierSocket when the application cannot take what arrives', () => {
  it('a sync batch handler that throws fails the sync and drops the connection instead of crashing the process', async () => {
    const server = await startServer();
    const alice = await server.user();
    const bob = await server.user();
    const a = await alice.connect();
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    await a.send(conversation.id, 'hello');
    const b = await bob.connect();
    const closed = new Promise<number>((resolve) => b.onClose((code) => resolve(code)));
    await expect(b.sync([], () => { throw new Error('disk full'); })).rejects.toThrow('disk full');
    expect(await closed).toBe(1006);
  });

  it('an event handler that throws drops the connection (catch-up redelivers) and later handlers are not told', async () => {
    const server = await startServer();
    const alice = await server.user();
    const bob = await server.user();
    const a = await alice.connect();
    const b = await bob.connect();
    await syncAll(b);
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const later = vi.fn();
    b.on('message.new', () => {
      throw new Error('cannot store');
    });
    b.on('message.new', later);
    const closed = new Promise<number>((resolve) => b.onClose((code) => resolve(code)));
    await a.send(conversation.id, 'hello');
    expect(await closed).toBe(1006);
    expect(later).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledOnce();
  });
});
