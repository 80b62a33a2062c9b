import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CourierSocket } from '../../src/client';
import { PASSWORD } from '../helpers/child-courier';
import { startTestServer } from '../helpers/server';
import { checkA11y, screenshot } from './harness/harness';
import { e2eSession } from './session';
import { acceptRequest, composer, messageRows, openConversation, registerInUi, send, sidebar } from './driver';

/**
 * Every screen, in light and in dark: axe-core finds no serious or critical violation, and
 * a screenshot of each is written to test-results/screenshots (the README shows some).
 */

const e2e = e2eSession(() => startTestServer({ rateMessagesPerSec: 100_000, rateFramesPerSec: 100_000 }));

/** Checks the screen as it is now and keeps a picture of it. */
async function screen(page: Page, name: string, found: string[]): Promise<void> {
  await page.waitForTimeout(150); // let transitions and live regions settle
  found.push(...(await checkA11y(page, name)));
  await screenshot(page, name);
}

describe.each(['light', 'dark'] as const)('every screen in %s', (theme) => {
  it('passes axe-core and is photographed', async () => {
    const suffix = theme === 'light' ? 'l' : 'd';
    const me = await e2e.user(`ann${suffix}`, { colorScheme: theme });
    const found: string[] = [];
    const page = me.page;

    await page.getByRole('tab', { name: 'Sign in' }).waitFor();
    await screen(page, `${theme}-sign-in`, found);
    await page.getByRole('tab', { name: 'Create account' }).click();
    await screen(page, `${theme}-create-account`, found);
    await registerInUi(page, e2e.server.url, `ann${suffix}`, 'Ann Lee');
    const annId = (await me.call('session.get', null)).account!.userId;

    // A few people and conversations, so the screens show what they are for.
    const people = await Promise.all(
      [`bob${suffix}`, `chloe${suffix}`, `dmitri${suffix}`].map((u, i) =>
        e2e.server.http.register({ username: u, password: PASSWORD, displayName: ['Bob Marley', 'Chloé Dubois', 'Dmitri Petrov'][i]!, deviceName: 'phone' }),
      ),
    );
    const sockets = await Promise.all(people.map((p) => CourierSocket.connect({ serverUrl: e2e.server.url, accessToken: p.tokens.accessToken })));
    const [bob, chloe] = sockets as [CourierSocket, CourierSocket, CourierSocket];
    const direct = (await bob.request('conversation.openDirect', { userId: annId })).conversation;
    await bob.send(direct.id, 'Morning! Did you see the release notes? https://example.com/notes');
    await bob.send(direct.id, 'I think we can ship on Thursday.');
    const group = (await chloe.request('conversation.createGroup', { title: 'Launch team', memberIds: [annId, people[0]!.user.id, people[2]!.user.id] })).conversation;
    await chloe.send(group.id, 'Agenda for today: pricing, the FAQ and the launch post.');
    await expect.poll(async () => (await me.call('conversations.list', null)).length).toBe(2);

    await screen(page, `${theme}-no-conversation`, found);
    // Bob and Chloé are new to Ann: his chat is a request and her group an invitation, which
    // Ann accepts (test/e2e/consent.test.ts photographs those screens).
    await openConversation(page, 'Bob Marley');
    await acceptRequest(page);
    await send(page, 'Yes — Thursday works for me.');
    await expect.poll(() => messageRows(page, 'Thursday works').getAttribute('data-state')).not.toBe('pending');
    await composer(page).fill('Draft: the FAQ needs');
    await screen(page, `${theme}-conversation`, found);

    await page.getByRole('button', { name: 'Contact info' }).click();
    await screen(page, `${theme}-contact-info`, found);
    await openConversation(page, 'Launch team');
    await acceptRequest(page);
    await page.getByRole('button', { name: 'Group info' }).click();
    await screen(page, `${theme}-group-info`, found);
    await page.keyboard.press('Escape');

    await sidebar(page).getByRole('button', { name: 'Search messages' }).click();
    await page.getByRole('combobox', { name: 'Search messages' }).fill('thursday');
    await expect.poll(() => page.getByRole('listbox', { name: 'Search results' }).getByRole('option').count()).toBeGreaterThan(0);
    await screen(page, `${theme}-search`, found);

    await sidebar(page).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Active sessions' }).waitFor();
    await screen(page, `${theme}-settings`, found);
    // The theme setting overrides the system's choice, and "System" follows it again.
    const background = () => page.evaluate(() => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string }; document: { body: unknown } }).getComputedStyle((globalThis as unknown as { document: { body: unknown } }).document.body).backgroundColor);
    const systemBackground = await background();
    const other = theme === 'light' ? 'Dark' : 'Light';
    await page.getByRole('radio', { name: other }).click();
    await expect.poll(background).toBe(theme === 'light' ? 'rgb(21, 23, 28)' : 'rgb(255, 255, 255)');
    await page.getByRole('radio', { name: /^System/ }).click();
    await expect.poll(background).toBe(systemBackground);
    await page.keyboard.press('Escape');

    await page.keyboard.press('Control+n');
    // The directory matches names from three characters on (MIN_SEARCH_PREFIX).
    await page.getByRole('dialog', { name: 'New chat' }).getByRole('combobox').fill('dmi');
    await expect.poll(() => page.getByRole('dialog', { name: 'New chat' }).getByRole('option').count()).toBeGreaterThan(0);
    await screen(page, `${theme}-new-chat`, found);
    await page.keyboard.press('Escape');

    await sidebar(page).getByRole('button', { name: 'New group' }).click();
    await page.getByRole('dialog', { name: 'New group' }).getByLabel('Group name').fill('Design review');
    await screen(page, `${theme}-new-group`, found);
    await page.keyboard.press('Escape');

    await page.keyboard.press('Control+k');
    await page.getByRole('dialog').getByRole('combobox').fill('la');
    await screen(page, `${theme}-quick-switcher`, found);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    expect(found).toEqual([]);
    expect(me.pageErrors).toEqual([]);
    await Promise.all(sockets.map((s) => s.close()));
  }, 90_000);
});
