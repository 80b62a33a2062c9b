import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CourierSocket } from '../../src/client';
import { PASSWORD } from '../helpers/child-courier';
import { startTestServer, syncAll } from '../helpers/server';
import { checkA11y, screenshot, type HarnessUser } from './harness/harness';
import { e2eSession } from './session';
import { acceptRequest, messageRows, openConversation, registerDirect, sidebarItemName } from './driver';

/**
 * Look-alike names with a real server and engine: a group with "Alice" and "Аlice" (a
 * Cyrillic А) shows both @usernames beside the names in the timeline, its system lines and
 * what is announced, marks both in the group info, and leaves everyone else's name alone;
 * in light and dark, checked by axe-core and photographed.
 */

const e2e = e2eSession(() => startTestServer({ rateMessagesPerSec: 100_000, rateFramesPerSec: 100_000 }));

/** Someone the test only needs on the server: registered, with a socket (a device) online. */
async function member(username: string, displayName: string): Promise<{ id: string; socket: CourierSocket }> {
  const auth = await e2e.server.http.register({ username, password: PASSWORD, displayName, deviceName: 'phone' });
  const socket = await CourierSocket.connect({ serverUrl: e2e.server.url, accessToken: auth.tokens.accessToken });
  await syncAll(socket);
  return { id: auth.user.id, socket };
}

async function photograph(page: Page, name: string, found: string[]): Promise<void> {
  await page.waitForTimeout(150); // let transitions and live regions settle
  found.push(...(await checkA11y(page, name)));
  await screenshot(page, name);
}

describe.each(['light', 'dark'] as const)('look-alike names in %s', (theme) => {
  it('show their @usernames in the timeline and the group info, and pass axe-core', async () => {
    const s = `-${theme}`;
    const mia: HarnessUser = await e2e.user(`mia${s}`, { colorScheme: theme });
    await registerDirect(mia, e2e.server.url, `mia${s}`, 'Mia Example');
    const miaId = (await mia.call('session.get', null)).account!.userId;
    const [alice, impostor, bob] = await Promise.all([member(`alice${s}`, 'Alice'), member(`alice2${s}`, 'Аlice'), member(`bob${s}`, 'Bob Marley')]);

    const { conversation } = await alice.socket.request('conversation.createGroup', { title: 'Payroll', memberIds: [miaId, impostor.id, bob.id] });
    for (const other of [impostor, bob]) await other.socket.request('conversation.accept', { conversationId: conversation.id });
    await alice.socket.send(conversation.id, 'Hi all, the March invoice is in the shared folder.');
    await impostor.socket.send(conversation.id, 'Change of plan: please pay it to my new account, I will send the number.');
    await bob.socket.send(conversation.id, 'Which account? The usual one is fine by me.');

    await openConversation(mia.page, 'Payroll');
    await acceptRequest(mia.page);
    const page = mia.page;
    await expect.poll(() => messageRows(page, 'usual one').count()).toBe(1);

    // Cluster headers: both look-alikes carry their handles, Bob does not; and the rows say the same.
    const sender = (text: string) => messageRows(page, text).locator('.message__sender');
    expect(await sender('March invoice').textContent()).toBe(`Alice (@alice${s})`);
    expect(await sender('new account').textContent()).toBe(`Аlice (@alice2${s})`);
    expect(await sender('usual one').textContent()).toBe('Bob Marley');
    expect(await messageRows(page, 'new account').getAttribute('aria-label')).toMatch(new RegExp(`^Аlice \\(@alice2${s}\\) at `));
    // System lines name them the same way.
    expect(await page.locator('.timeline-system').first().textContent()).toMatch(new RegExp(`^Alice \\(@alice${s}\\) created the group “Payroll”`));
    expect(await sidebarItemName(page, 'Payroll')).toContain('Bob: Which account?');
    const found: string[] = [];
    await photograph(page, `${theme}-lookalike-timeline`, found);

    // Group info: each row shows the @username; the look-alikes are marked, and their buttons say who.
    await page.getByRole('button', { name: 'Group info' }).click();
    const members = page.getByRole('region', { name: 'Members' }).getByRole('listitem');
    await expect.poll(() => members.count()).toBe(4);
    const rows = (await members.locator('.group-info__member-names').allTextContents()).map((t) => t.replace(/,.*$/, ''));
    expect(rows).toEqual(expect.arrayContaining([`AliceOwner@alice-${theme} Similar name`, `Аlice@alice2-${theme} Similar name`, `Bob Marley@bob-${theme}`]));
    expect(await page.getByRole('button', { name: `Block Аlice (@alice2${s})` }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Block Bob Marley' }).count()).toBe(1);
    await photograph(page, `${theme}-lookalike-group-info`, found);
    expect(found).toEqual([]);

    await Promise.all([alice, impostor, bob].map((m) => m.socket.close()));
  }, 60_000);
});
