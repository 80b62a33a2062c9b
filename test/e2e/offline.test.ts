import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRestartableServer, type RestartableServer } from '../helpers/child-courier';
import { buildRenderer } from './harness/build-renderer';
import { launchBrowser, screenshot, startUser, type HarnessUser } from './harness/harness';
import { messageRows, openConversation, registerDirect, send, startDirectChat } from './driver';

/**
 * The server goes away while people keep writing: the window says so, a message written
 * now waits as pending, and when the server is back it is delivered exactly once.
 */

let browser: Browser;
let server: RestartableServer;
const users: HarnessUser[] = [];

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startRestartableServer(), buildRenderer()]);
}, 180_000);

afterEach(async () => {
  for (const u of users) expect(u.pageErrors, `${u.name}'s page errors`).toEqual([]);
  await Promise.all(users.splice(0).map((u) => u.close()));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('offline', () => {
  it('shows the banner, keeps the message pending, delivers it once when the server is back, and clears the banner', async () => {
    const alice = await startUser({ browser, name: 'alice', serverUrl: server.url });
    users.push(alice);
    const bob = await startUser({ browser, name: 'bob', serverUrl: server.url });
    users.push(bob);
    await registerDirect(alice, server.url, 'alice', 'Alice');
    await registerDirect(bob, server.url, 'bob', 'Bob');
    await startDirectChat(alice.page, 'bob', 'Bob');
    await send(alice.page, 'before the outage');
    await openConversation(bob.page, 'Alice');
    await expect.poll(() => messageRows(bob.page, 'before the outage').count()).toBe(1);

    const banner = alice.page.getByRole('status').filter({ hasText: /offline|Reconnecting/ });
    await server.kill();
    await banner.waitFor({ timeout: 10_000 });

    await send(alice.page, 'written while offline');
    const row = messageRows(alice.page, 'written while offline');
    await expect.poll(() => row.getAttribute('data-state')).toBe('pending');
    await expect.poll(() => banner.textContent()).toMatch(/1 message will be sent when you’re back online/);
    await screenshot(alice.page, 'offline-light');

    await server.restart();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 15_000 }).not.toBe('pending');
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => messageRows(bob.page, 'written while offline').count(), { timeout: 15_000 }).toBe(1);
    // Exactly once on both sides, also after things settle.
    await new Promise((r) => setTimeout(r, 500));
    expect(await messageRows(bob.page, 'written while offline').count()).toBe(1);
    expect(await messageRows(alice.page, 'written while offline').count()).toBe(1);
    const stored = await bob.call('messages.page', { conversationId: (await bob.call('conversations.list', null))[0]!.id, limit: 100 });
    expect(stored.messages.filter((m) => m.body === 'written while offline')).toHaveLength(1);
  });
});
