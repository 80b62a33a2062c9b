import { describe, expect, it } from 'vitest';
import { CourierSocket } from '../../src/client';
import { PASSWORD } from '../helpers/child-courier';
import { startTestServer } from '../helpers/server';
import { e2eSession } from './session';
import { composer, registerDirect, sidebarItem } from './driver';

/** The whole app works from the keyboard: switching, dialogs, Esc, and a visible focus. */

const e2e = e2eSession(() => startTestServer());

describe('keyboard', () => {
  it('moves between conversations with Alt+↑/↓, jumps with Ctrl+K, opens and closes dialogs, and shows where focus is', async () => {
    const me = await e2e.user('kim');
    await registerDirect(me, e2e.server.url, 'kim', 'Kim');
    const kimId = (await me.call('session.get', null)).account!.userId;
    // Three people write in turn, so the sidebar order is Carol, Bob, Ann.
    for (const name of ['ann', 'bob', 'carol']) {
      const auth = await e2e.server.http.register({ username: name, password: PASSWORD, displayName: name[0]!.toUpperCase() + name.slice(1), deviceName: 'x' });
      const socket = await CourierSocket.connect({ serverUrl: e2e.server.url, accessToken: auth.tokens.accessToken });
      const { conversation } = await socket.request('conversation.openDirect', { userId: kimId });
      await socket.send(conversation.id, `hello from ${name}`);
      await socket.close();
    }
    const page = me.page;
    await expect.poll(async () => (await me.call('conversations.list', null)).length).toBe(3);
    // They are new to Kim, so each chat is a request (no composer until answered): she accepts them.
    for (const c of await me.call('conversations.list', null)) await me.call('conversation.accept', { conversationId: c.id });
    await sidebarItem(page, 'Ann').waitFor();
    const current = () => page.getByRole('navigation', { name: 'Conversations' }).locator('[aria-current="true"] [data-item-name]').textContent();

    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(current).toMatch(/^Carol,/);
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(current).toMatch(/^Bob,/);
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(current).toMatch(/^Carol,/);

    await page.keyboard.press('Control+k');
    await page.keyboard.type('an');
    await page.keyboard.press('Enter');
    await expect.poll(current).toMatch(/^Ann,/);
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // Ctrl+N opens the new chat dialog with focus inside; Esc closes it and focus comes back.
    await composer(page).focus();
    await page.keyboard.press('Control+n');
    const dialog = page.getByRole('dialog', { name: 'New chat' });
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => d.contains((d.ownerDocument as { activeElement: unknown }).activeElement as never))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => composer(page).evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement)).toBe(true);

    // Settings opens with Ctrl+, and Esc closes it.
    await page.keyboard.press('Control+,');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('heading', { name: 'Settings' }).count()).toBe(0);

    // Tabbing shows a focus ring on every stop.
    const unringed: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const stop = await page.evaluate(() => {
        const g = globalThis as unknown as { document: { activeElement: { tagName: string; getAttribute(n: string): string | null } | null }; getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string; boxShadow: string; borderColor: string } };
        const el = g.document.activeElement;
        if (!el || el.tagName === 'BODY') return null;
        const style = g.getComputedStyle(el);
        const ringed = (style.outlineStyle !== 'none' && style.outlineWidth !== '0px') || style.boxShadow !== 'none';
        return { name: `${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? ''}`, ringed };
      });
      if (stop && !stop.ringed) unringed.push(stop.name);
    }
    expect(unringed).toEqual([]);
    expect(me.pageErrors).toEqual([]);
  }, 60_000);
});
