import { describe, expect, it } from 'vitest';
import { PASSWORD } from '../helpers/child-courier';
import { startTestServer } from '../helpers/server';
import { screenshot, type HarnessUser } from './harness/harness';
import { e2eSession } from './session';
import { composer, conversationId, eventually, messageRows, openConversation, registerInUi, send, sidebarItemName, startDirectChat, waitForMainWindow } from './driver';

/**
 * Two people, each with their own engine, SQLite file and Chromium page, chat through a
 * real server: what one does shows up on the other's screen as it happens.
 */

const e2e = e2eSession(() => startTestServer());

const user = (name: string): Promise<HarnessUser> => e2e.user(name);

/** Records every data-state the row of `text` takes, from now on, in the page. */
async function recordStates(u: HarnessUser, text: string): Promise<void> {
  await u.page.evaluate((wanted) => {
    const g = globalThis as unknown as { __states: string[]; document: { body: unknown; querySelectorAll(s: string): ArrayLike<{ textContent: string | null; getAttribute(n: string): string | null }> } };
    g.__states = [];
    const seen = () => {
      for (const row of Array.from(g.document.querySelectorAll('[data-state]'))) {
        if (!row.textContent?.includes(wanted)) continue;
        const state = row.getAttribute('data-state') ?? '';
        if (g.__states[g.__states.length - 1] !== state) g.__states.push(state);
      }
    };
    const Observer = (globalThis as unknown as { MutationObserver: new (cb: () => void) => { observe(t: unknown, o: unknown): void } }).MutationObserver;
    new Observer(seen).observe(g.document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    seen();
  }, text);
}

const states = (u: HarnessUser) => u.page.evaluate(() => (globalThis as unknown as { __states: string[] }).__states);

describe('two people chatting', () => {
  it('delivers in real time with ✓ → ✓✓ → read, typing, and presence', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    await registerInUi(alice.page, e2e.server.url, 'alice', 'Alice Liddell');
    // Bob exists but has no device online yet, so Alice's message can only be "sent".
    await e2e.server.http.register({ username: 'bob', password: PASSWORD, displayName: 'Bob Marley', deviceName: 'phone' });

    await startDirectChat(alice.page, 'bob', 'Bob Marley');
    await recordStates(alice, 'Hello Bob');
    await send(alice.page, 'Hello Bob');
    await expect.poll(() => messageRows(alice.page, 'Hello Bob').getAttribute('data-state')).toBe('sent');
    await expect.poll(() => composer(alice.page).inputValue()).toBe('');

    // Bob's desktop app signs in: it catches up (delivered), and he reads it (read). Alice is
    // new to him, so her chat is a request, which shares none of his receipts, presence or
    // typing until he accepts (test/e2e/consent.test.ts covers that): he accepts first.
    await bob.call('session.signIn', { serverUrl: e2e.server.url, username: 'bob', password: PASSWORD });
    await waitForMainWindow(bob.page);
    await bob.call('conversation.accept', { conversationId: await conversationId(bob, 'Alice Liddell') });
    await expect.poll(() => messageRows(alice.page, 'Hello Bob').getAttribute('data-state')).toBe('delivered');
    // (The conversation's "created" entry counts as unread too, as the server counts entries.)
    await expect.poll(() => sidebarItemName(bob.page, 'Alice Liddell')).toMatch(/\d unread messages?, Hello Bob/);
    await openConversation(bob.page, 'Alice Liddell');
    await expect.poll(() => messageRows(bob.page, 'Hello Bob').count()).toBe(1);
    await expect.poll(() => messageRows(alice.page, 'Hello Bob').getAttribute('data-state')).toBe('read');
    // The row was pending only if the page caught it before the ack; the rest is the exact order.
    expect((await states(alice)).filter((s) => s !== 'pending')).toEqual(['sent', 'delivered', 'read']);

    // Presence: Alice sees Bob online in the header.
    const aliceHeader = alice.page.getByRole('region', { name: 'Bob Marley' }).locator('header').first();
    await expect.poll(() => aliceHeader.textContent()).toContain('Online');

    // Typing: Bob types, Alice sees it in the header and the sidebar; it clears when he sends.
    await composer(bob.page).pressSequentially('Hi Al', { delay: 20 });
    await expect.poll(() => aliceHeader.textContent()).toContain('Bob Marley is typing…');
    await expect.poll(() => sidebarItemName(alice.page, 'Bob Marley')).toContain('typing…');
    await composer(bob.page).pressSequentially('ice!');
    await composer(bob.page).press('Enter');
    await expect.poll(() => messageRows(alice.page, 'Hi Alice!').count()).toBe(1);
    await expect.poll(() => aliceHeader.textContent()).not.toContain('typing');
    await screenshot(alice.page, 'chat-light');

    // Bob goes away (status in his settings), then quits: Alice sees both.
    await bob.page.getByRole('button', { name: 'Settings' }).click();
    await bob.page.getByRole('radio', { name: /^Away/ }).click();
    await expect.poll(() => aliceHeader.textContent()).toContain('Away');
    await bob.close();
    await expect.poll(() => aliceHeader.textContent(), { timeout: 10_000 }).toContain('Last seen');
    await eventually(async () => expect(await messageRows(alice.page).count()).toBeGreaterThanOrEqual(2));
  });
});
