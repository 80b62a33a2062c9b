import { describe, expect, it } from 'vitest';
import { startRestartableServer } from '../helpers/child-courier';
import { screenshot } from './harness/harness';
import { e2eSession } from './session';
import { messageRows, openConversation, registerDirect, send, startDirectChat } from './driver';

/**
 * The server goes away while people keep writing: the window says so, a message written
 * now waits as pending, and when the server is back it is delivered exactly once.
 */

const e2e = e2eSession(() => startRestartableServer());

describe('offline', () => {
  it('shows the banner, keeps the message pending, delivers it once when the server is back, and clears the banner', async () => {
    const alice = await e2e.user('alice');
    const bob = await e2e.user('bob');
    await registerDirect(alice, e2e.server.url, 'alice', 'Alice');
    await registerDirect(bob, e2e.server.url, 'bob', 'Bob');
    await startDirectChat(alice.page, 'bob', 'Bob');
    await send(alice.page, 'before the outage');
    await openConversation(bob.page, 'Alice');
    await expect.poll(() => messageRows(bob.page, 'before the outage').count()).toBe(1);

    const banner = alice.page.getByRole('status').filter({ hasText: /offline|Reconnecting/ });
    await e2e.server.kill();
    await banner.waitFor({ timeout: 10_000 });

    await send(alice.page, 'written while offline');
    const row = messageRows(alice.page, 'written while offline');
    await expect.poll(() => row.getAttribute('data-state')).toBe('pending');
    await expect.poll(() => banner.textContent()).toMatch(/1 message will be sent when you’re back online/);
    await screenshot(alice.page, 'offline-light');

    await e2e.server.restart();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 15_000 }).not.toBe('pending');
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => messageRows(bob.page, 'written while offline').count(), { timeout: 15_000 }).toBe(1);
    // Exactly once on both sides, also after things settle.
    await new Promise((r) => setTimeout(r, 500));
    expect(await messageRows(bob.page, 'written while offline').count()).toBe(1);
    expect(await messageRows(alice.page, 'written while offline').count()).toBe(1);
    const stored = await bob.call('messages.page', { conversationId: (await bob.call('conversations.list', null))[0]!.id, limit: 100 });
    expect(stored.messages.filter((m) => m.body === 'written while offline')).toHaveLength(1);
    // A server killed and restarted, and reconnects with backoff: longer than the default 20 s under CPU load.
  }, 60_000);
});
