import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CourierSocket } from '../../src/client';
import { PASSWORD } from '../helpers/child-courier';
import { nextEvent, startTestServer, syncAll } from '../helpers/server';
import { checkA11y, screenshot, type HarnessUser } from './harness/harness';
import { e2eSession } from './session';
import {
  acceptRequest,
  composer,
  conversationId,
  conversationView,
  messageRows,
  openConversation,
  registerDirect,
  requestBar,
  send,
  sidebar,
  sidebarItem,
  sidebarItemName,
  startDirectChat,
} from './driver';

/**
 * Consent and blocking with a real server: someone new writes, the recipient sees a request
 * (its first messages, but nothing of theirs flows back until they accept), blocks a
 * stranger from the request bar, declines a group invitation; and the new screens in light
 * and dark pass axe-core.
 */

const e2e = e2eSession(() => startTestServer({ rateMessagesPerSec: 100_000, rateFramesPerSec: 100_000 }));

async function user(name: string, displayName: string, o: { colorScheme?: 'light' | 'dark' } = {}): Promise<HarnessUser> {
  const started = await e2e.user(name, o);
  await registerDirect(started, e2e.server.url, name, displayName);
  return started;
}

async function userId(u: HarnessUser): Promise<string> {
  return (await u.call('session.get', null)).account!.userId;
}

/** Someone the test only needs on the server: registered, with a socket (a device) online. */
async function stranger(username: string, displayName: string): Promise<{ id: string; socket: CourierSocket }> {
  const auth = await e2e.server.http.register({ username, password: PASSWORD, displayName, deviceName: 'phone' });
  const socket = await CourierSocket.connect({ serverUrl: e2e.server.url, accessToken: auth.tokens.accessToken });
  await syncAll(socket); // the server sends live events once a device has caught up
  return { id: auth.user.id, socket };
}

/** Settings, scrolled to the section headed `heading`. */
async function openSettingsAt(page: Page, heading: string): Promise<void> {
  if ((await page.getByRole('complementary', { name: 'Settings' }).count()) === 0) await sidebar(page).getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: heading }).scrollIntoViewIfNeeded();
}

describe('a message request', () => {
  it('shows the request and its message; the sender sees no receipt until it is accepted, then the reply and "read"', async () => {
    const ann = await user('ann', 'Ann Lee');
    const bob = await user('bob', 'Bob Marley');

    await startDirectChat(ann.page, 'bob', 'Bob Marley');
    await send(ann.page, 'Hi Bob, Ann from the meetup here');
    const annRow = messageRows(ann.page, 'Ann from the meetup');
    await expect.poll(() => annRow.getAttribute('data-state')).toBe('sent');
    await ann.page.getByText('Bob Marley hasn’t accepted your request yet.').waitFor();

    // Bob: the request is marked in the sidebar (not counted), and opens on its message.
    await expect.poll(() => sidebarItemName(bob.page, 'Ann Lee')).toMatch(/^Ann Lee, message request, Hi Bob, Ann from the meetup here, /);
    expect(await sidebarItem(bob.page, 'Ann Lee').getByText('Request', { exact: true }).count()).toBe(1);
    await openConversation(bob.page, 'Ann Lee');
    const bar = requestBar(bob.page);
    expect(await bar.getByText(/wants to message you/).textContent()).toBe(
      'Ann Lee (@ann) wants to message you. They won’t see that you’ve read their messages or when you’re online until you accept.',
    );
    await expect.poll(() => messageRows(bob.page, 'Ann from the meetup').count()).toBe(1);
    expect(await composer(bob.page).count()).toBe(0);

    // He has seen it (his own read mark moved past it), yet Ann's message stays ✓: a request shares nothing.
    const bobsConversation = await conversationId(bob, 'Ann Lee');
    const seq = Number(await messageRows(bob.page, 'Ann from the meetup').getAttribute('data-seq'));
    await expect.poll(async () => (await bob.call('conversations.list', null)).find((c) => c.id === bobsConversation)?.readSeq).toBeGreaterThanOrEqual(seq);
    const annHeader = conversationView(ann.page, 'Bob Marley').locator('header').first();
    for (let i = 0; i < 10; i++) {
      await ann.page.waitForTimeout(100);
      expect(await annRow.getAttribute('data-state')).toBe('sent');
      expect(await annHeader.textContent()).not.toContain('Online');
    }

    // Accept: the composer comes back with the focus, and Ann sees "read" and Bob online.
    await bar.getByRole('button', { name: 'Accept' }).click();
    await composer(bob.page).waitFor();
    await expect.poll(() => composer(bob.page).evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement)).toBe(true);
    await expect.poll(() => annRow.getAttribute('data-state')).toBe('read');
    await expect.poll(() => annHeader.textContent()).toContain('Online');
    await expect.poll(() => ann.page.getByText('Bob Marley hasn’t accepted your request yet.').count()).toBe(0);
    await expect.poll(() => sidebarItemName(bob.page, 'Ann Lee')).not.toContain('message request');

    await send(bob.page, 'Hi Ann! Good to hear from you.');
    await expect.poll(() => messageRows(ann.page, 'Good to hear from you').count()).toBe(1);
    await expect.poll(() => messageRows(bob.page, 'Good to hear from you').getAttribute('data-state')).toBe('read');
  }, 60_000);

  it('blocked from the request bar: the request disappears, the sender is in Settings → Blocked people, and Unblock works', async () => {
    const bob = await user('bob2', 'Bob Marley');
    const mallory = await stranger('mallory', 'Mallory Hex');
    const { conversation } = await mallory.socket.request('conversation.openDirect', { userId: await userId(bob) });
    await mallory.socket.send(conversation.id, 'Cheap watches, click here: https://spam.example/');

    await openConversation(bob.page, 'Mallory Hex');
    await requestBar(bob.page).getByRole('button', { name: 'Block' }).click();
    const confirm = bob.page.getByRole('group', { name: /^Block Mallory Hex\?/ });
    await confirm.getByRole('button', { name: 'Block' }).click();
    await expect.poll(() => sidebarItem(bob.page, 'Mallory Hex').count()).toBe(0);
    await expect.poll(() => conversationView(bob.page, 'Mallory Hex').count()).toBe(0);
    expect((await bob.call('conversations.list', null)).map((c) => c.id)).not.toContain(conversation.id);

    await openSettingsAt(bob.page, 'Blocked people');
    const list = bob.page.getByRole('list', { name: 'Blocked people' });
    await expect.poll(() => list.getByRole('listitem').allTextContents()).toEqual(['Mallory Hex@malloryUnblock']);
    await list.getByRole('button', { name: 'Unblock Mallory Hex' }).click();
    await bob.page.getByRole('group', { name: /^Unblock Mallory Hex\?/ }).getByRole('button', { name: 'Unblock' }).click();
    await bob.page.getByText(/^Nobody\. Block someone from/).waitFor();
    expect(await bob.call('blocks.list', null)).toEqual([]);
    await mallory.socket.close();
  }, 60_000);

  it('a group invitation from a stranger is declined: it leaves the sidebar and the group hears it', async () => {
    const bob = await user('bob3', 'Bob Marley');
    const carol = await stranger('carol', 'Carol Danvers');
    const { conversation } = await carol.socket.request('conversation.createGroup', { title: 'Weekend plans', memberIds: [await userId(bob)] });
    await carol.socket.send(conversation.id, 'Hiking on Saturday?');

    await expect.poll(() => sidebarItemName(bob.page, 'Weekend plans')).toMatch(/^Weekend plans, group invitation, Carol: Hiking on Saturday\?, /);
    await openConversation(bob.page, 'Weekend plans');
    const bar = requestBar(bob.page);
    expect(await bar.getByText(/invited you to/).textContent()).toBe('Carol Danvers invited you to Weekend plans');
    await expect.poll(() => messageRows(bob.page, 'Hiking on Saturday?').count()).toBe(1);
    const declined = nextEvent(carol.socket, 'message.new', (e) => e.message.kind === 'system' && e.message.system.event === 'request.declined');
    await bar.getByRole('button', { name: 'Decline' }).click();
    expect((await declined).message.senderId).toBe(await userId(bob));
    await expect.poll(() => sidebarItem(bob.page, 'Weekend plans').count()).toBe(0);
    expect(await bob.call('conversations.list', null)).toEqual([]);
    await carol.socket.close();
  }, 60_000);
});

/** Checks the screen as it is now and keeps a picture of it. */
async function photograph(page: Page, name: string, found: string[]): Promise<void> {
  await page.waitForTimeout(150); // let transitions and live regions settle
  found.push(...(await checkA11y(page, name)));
  await screenshot(page, name);
}

describe.each(['light', 'dark'] as const)('the consent screens in %s', (theme) => {
  it('pass axe-core and are photographed', async () => {
    const s = theme === 'light' ? 'l' : 'd';
    const zoe = await user(`zoe${s}`, 'Zoe Quinn', { colorScheme: theme });
    const page = zoe.page;
    const zoeId = await userId(zoe);
    const found: string[] = [];
    const [bob, chloe, dmitri, eve] = await Promise.all([
      stranger(`bob${s}`, 'Bob Marley'),
      stranger(`chloe${s}`, 'Chloé Dubois'),
      stranger(`dmitri${s}`, 'Dmitri Petrov'),
      stranger(`eve${s}`, 'Eve Moneypenny'),
    ]);

    // A request from Bob.
    const direct = (await bob.socket.request('conversation.openDirect', { userId: zoeId })).conversation;
    await bob.socket.send(direct.id, 'Hi Zoe! Bob from the climbing gym. Are you coming on Friday?');
    await bob.socket.send(direct.id, 'We are booking the wall at 7.');
    // An invitation from Chloé, to a group with Dmitri and Eve (Eve has not answered hers).
    const group = (await chloe.socket.request('conversation.createGroup', { title: 'Launch team', memberIds: [zoeId, dmitri.id, eve.id] })).conversation;
    await chloe.socket.send(group.id, 'Welcome! Agenda for today: pricing, the FAQ and the launch post.');
    await expect.poll(async () => (await zoe.call('conversations.list', null)).length).toBe(2);

    await openConversation(page, 'Bob Marley');
    await expect.poll(() => messageRows(page, 'booking the wall').count()).toBe(1);
    await photograph(page, `${theme}-request-bar`, found);
    await requestBar(page).getByRole('button', { name: 'Delete' }).click();
    await photograph(page, `${theme}-request-delete-confirm`, found);
    await page.keyboard.press('Escape');
    await acceptRequest(page);

    await openConversation(page, 'Launch team');
    await expect.poll(() => messageRows(page, 'Agenda for today').count()).toBe(1);
    await photograph(page, `${theme}-group-invitation`, found);
    await acceptRequest(page);

    // Dmitri writes in the group; Zoe blocks him: his messages become one muted line each.
    await dmitri.socket.send(group.id, 'BUY FOLLOWERS NOW at https://spam.example/cheap');
    await chloe.socket.send(group.id, 'Dmitri, please stop. Zoe, can you draft the FAQ?');
    await dmitri.socket.send(group.id, 'last chance!!!');
    await expect.poll(() => messageRows(page, 'last chance').count()).toBe(1);
    await page.getByRole('button', { name: 'Group info' }).click();
    await page.getByRole('button', { name: 'Block Dmitri Petrov' }).click();
    await page.getByRole('group', { name: /^Block Dmitri Petrov\?/ }).getByRole('button', { name: 'Block' }).click();
    await page.getByRole('button', { name: 'Unblock Dmitri Petrov' }).waitFor();
    await expect.poll(() => messageRows(page, 'Message from someone you blocked').count()).toBe(2);
    expect(await messageRows(page, 'BUY FOLLOWERS').count()).toBe(0);
    expect(await page.getByRole('log').getByRole('link').count()).toBe(0);
    await photograph(page, `${theme}-group-info-blocked-member`, found);
    await page.keyboard.press('Escape');
    await expect.poll(() => sidebarItemName(page, 'Launch team')).toContain('Message from someone you blocked');
    await photograph(page, `${theme}-blocked-line`, found);

    // Contact info of a DM: the Block row and its question.
    await openConversation(page, 'Bob Marley');
    await page.getByRole('button', { name: 'Contact info' }).click();
    await page.getByRole('button', { name: 'Block Bob Marley' }).click();
    await photograph(page, `${theme}-contact-info-block`, found);
    await page.getByRole('group', { name: /^Block Bob Marley\?/ }).getByRole('button', { name: 'Cancel' }).click();
    await page.keyboard.press('Escape');

    // Zoe asks someone new: a quiet note above the composer.
    await startDirectChat(page, `eve${s}`, 'Eve Moneypenny');
    await send(page, 'Hi Eve, welcome to the team!');
    await page.getByText('Eve Moneypenny hasn’t accepted your request yet.').waitFor();
    await photograph(page, `${theme}-request-sent`, found);

    // Settings: Privacy and Blocked people, with someone in it and then empty.
    await openSettingsAt(page, 'Blocked people');
    await page.getByRole('list', { name: 'Blocked people' }).getByText('Dmitri Petrov').waitFor();
    await photograph(page, `${theme}-settings-privacy-blocked`, found);
    const lastSeen = page.getByRole('switch', { name: 'Show when I was last online' });
    expect(await lastSeen.getAttribute('aria-checked')).toBe('true');
    await lastSeen.click();
    await expect.poll(() => lastSeen.getAttribute('aria-checked')).toBe('false');
    await expect.poll(async () => (await zoe.call('privacy.get', null))?.lastSeen).toBe('nobody');
    await page.getByRole('button', { name: 'Unblock Dmitri Petrov' }).click();
    await page.getByRole('group', { name: /^Unblock Dmitri Petrov\?/ }).getByRole('button', { name: 'Unblock' }).click();
    await page.getByText(/^Nobody\. Block someone from/).waitFor();
    await photograph(page, `${theme}-settings-blocked-empty`, found);

    expect(found).toEqual([]);
    await Promise.all([bob, chloe, dmitri, eve].map((p) => p.socket.close()));
  }, 120_000);
});
