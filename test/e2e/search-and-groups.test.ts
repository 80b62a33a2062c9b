import { describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server';
import { type HarnessUser } from './harness/harness';
import { e2eSession } from './session';
import { composer, messageRows, openConversation, registerDirect, send, sidebar, sidebarItem, startDirectChat } from './driver';

const e2e = e2eSession(() => startTestServer({ rateMessagesPerSec: 100_000, rateFramesPerSec: 100_000 }));

async function user(name: string, displayName: string): Promise<HarnessUser> {
  const started = await e2e.user(name);
  await registerDirect(started, e2e.server.url, name, displayName);
  return started;
}

describe('search', () => {
  it('finds a message far back in history and jumps to it in its conversation', async () => {
    const alice = await user('alice', 'Alice');
    const bob = await e2e.server.user('bob');
    const socket = await bob.connect();
    const aliceId = (await alice.call('session.get', null)).account!.userId;
    const { conversation } = await socket.request('conversation.openDirect', { userId: aliceId });
    for (let i = 1; i <= 400; i++) await socket.send(conversation.id, i === 37 ? 'the quarterly zeppelin budget' : `filler message ${i}`);
    await expect.poll(async () => (await alice.call('conversations.list', null))[0]?.lastSeq).toBe(401);
    await alice.call('conversation.markRead', { conversationId: conversation.id, seq: 401 });

    await alice.page.getByRole('button', { name: 'Search messages' }).first().click();
    await alice.page.getByRole('combobox', { name: 'Search messages' }).fill('zeppel');
    const result = alice.page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
    await expect.poll(() => result.count()).toBe(1);
    expect(await result.locator('mark').textContent()).toMatch(/^zeppel/i);
    await result.click();
    // Seq 38 (37th message after the "created" entry) is in view, though it was never loaded before.
    const target = messageRows(alice.page, 'the quarterly zeppelin budget');
    await expect.poll(() => target.getAttribute('data-seq')).toBe('38');
    await expect.poll(() => target.isVisible()).toBe(true);
    await socket.close();
  }, 60_000);
});

describe('groups', () => {
  it('is created, renamed, and a removed member loses access', async () => {
    const alice = await user('alice2', 'Alice');
    const bob = await user('bob2', 'Bob');
    const carol = await user('carol2', 'Carol');

    await sidebar(alice.page).getByRole('button', { name: 'New group' }).click();
    const dialog = alice.page.getByRole('dialog', { name: 'New group' });
    await dialog.getByLabel('Group name').fill('Launch team');
    for (const [query, name] of [
      ['bob2', 'Bob'],
      ['carol2', 'Carol'],
    ] as const) {
      await dialog.getByRole('combobox').fill(query);
      await dialog.getByRole('option', { name: new RegExp(name) }).click();
    }
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await composer(alice.page).waitFor();
    await send(alice.page, 'welcome to the launch');
    for (const u of [bob, carol]) {
      await openConversation(u.page, 'Launch team');
      await expect.poll(() => messageRows(u.page, 'welcome to the launch').count()).toBe(1);
    }

    // Rename from the group info panel: everyone sees the new name.
    await alice.page.getByRole('button', { name: 'Group info' }).click();
    await alice.page.getByRole('button', { name: 'Rename group' }).click();
    const nameField = alice.page.getByRole('textbox', { name: 'Group name' });
    await nameField.fill('Launch crew');
    await nameField.press('Enter');
    for (const u of [alice, bob, carol]) await expect.poll(() => sidebarItem(u.page, 'Launch crew').count()).toBe(1);

    // Remove Carol (with the confirmation): the group disappears from her window.
    await alice.page.getByRole('button', { name: 'Remove Carol from the group' }).click();
    await alice.page.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => sidebarItem(carol.page, 'Launch crew').count()).toBe(0);
    await expect.poll(() => carol.page.getByRole('region', { name: 'Launch crew' }).count()).toBe(0);
    await send(alice.page, 'carol cannot read this');
    await expect.poll(() => messageRows(bob.page, 'carol cannot read this').count()).toBe(1);
    expect((await carol.call('conversations.list', null)).map((c) => c.title)).not.toContain('Launch crew');

    // And a direct chat still works for her.
    await startDirectChat(carol.page, 'alice2', 'Alice');
  }, 60_000);
});
