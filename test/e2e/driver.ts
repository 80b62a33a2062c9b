import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { PASSWORD } from '../helpers/child-courier';
import type { HarnessUser } from './harness/harness';

/**
 * How the E2E tests drive the app: by roles and accessible names, as a screen-reader user
 * would find things, plus the timeline's data-seq / data-state attributes.
 */

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Polls until `check` passes (an E2E assertion against a live UI). */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export function sidebar(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Conversations' });
}

/** A conversation in the sidebar; its accessible name starts with the title ("Title, N unread messages, preview, time"). */
export function sidebarItem(page: Page, title: string): Locator {
  return sidebar(page).getByRole('button', { name: new RegExp(`^${escapeRegExp(title)},`) });
}

/** The accessible name of a conversation's sidebar item, as a screen reader announces it. */
export async function sidebarItemName(page: Page, title: string): Promise<string> {
  return (await sidebarItem(page, title).locator('[data-item-name]').textContent()) ?? '';
}

/**
 * Opens a conversation from the sidebar and waits until it is shown. A request or an
 * invitation not answered yet has a request bar where the composer would be.
 */
export async function openConversation(page: Page, title: string): Promise<void> {
  await sidebarItem(page, title).click();
  await conversationView(page, title).waitFor();
  await page.getByRole('region', { name: /^(Message request|Group invitation|Blocked)$/ }).or(composer(page)).first().waitFor();
}

/** The open conversation (a region named by its title). */
export function conversationView(page: Page, title: string): Locator {
  return page.getByRole('region', { name: title, exact: true });
}

/** The bar a request or invitation shows instead of the composer. */
export function requestBar(page: Page): Locator {
  return page.getByRole('region', { name: /^(Message request|Group invitation)$/ });
}

/** Answers the open request or invitation with Accept, through its bar, and waits for the composer. */
export async function acceptRequest(page: Page): Promise<void> {
  await requestBar(page).getByRole('button', { name: 'Accept' }).click();
  await composer(page).waitFor();
}

/** The id of the conversation titled `title` in a user's engine (for set-up through the core). */
export async function conversationId(user: HarnessUser, title: string): Promise<string> {
  let id: string | undefined;
  await eventually(async () => {
    const list = await user.call('conversations.list', null);
    const me = (await user.call('session.get', null)).account?.userId;
    id = list.find((c) => (c.kind === 'group' ? c.title === title : c.members.some((m) => m.userId !== me && (m.displayName ?? m.username) === title)))?.id;
    expect(id, `a conversation titled ${title}`).toBeDefined();
  });
  return id!;
}

export function composer(page: Page): Locator {
  return page.getByRole('textbox', { name: /^Message / });
}

export async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

export function timeline(page: Page): Locator {
  return page.getByRole('log');
}

/** Message rows (sent ones carry data-seq, pending ones data-client-id) containing `text`. */
export function messageRows(page: Page, text?: string): Locator {
  const rows = timeline(page).locator('[data-seq], [data-client-id]');
  return text === undefined ? rows : rows.filter({ hasText: text });
}

/** The app shows the signed-in window. */
export async function waitForMainWindow(page: Page): Promise<void> {
  await sidebar(page).waitFor({ timeout: 15_000 });
}

/** Registers through the sign-in screen, as a new user would. */
export async function registerInUi(page: Page, serverUrl: string, username: string, displayName?: string): Promise<void> {
  await page.getByRole('tab', { name: 'Create account' }).click();
  const server = page.getByLabel('Server address');
  await server.fill(serverUrl);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  if (displayName !== undefined) await page.getByLabel(/^Display name/).fill(displayName);
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
  await waitForMainWindow(page);
}

/** Registers through the core (quicker; for the people a test is not about). */
export async function registerDirect(user: HarnessUser, serverUrl: string, username: string, displayName?: string): Promise<void> {
  await user.call('session.register', { serverUrl, username, password: PASSWORD, ...(displayName ? { displayName } : {}) });
  await waitForMainWindow(user.page);
}

/** Opens a direct chat with `username` through the New chat dialog. */
export async function startDirectChat(page: Page, query: string, name: string): Promise<void> {
  await sidebar(page).getByRole('button', { name: 'New chat' }).click();
  const dialog = page.getByRole('dialog', { name: 'New chat' });
  await dialog.getByRole('combobox').fill(query);
  await dialog.getByRole('option', { name: new RegExp(escapeRegExp(name)) }).click();
  await expect.poll(() => dialog.count()).toBe(0);
  await composer(page).waitFor();
}

/** The seqs of the message rows currently in the DOM, in DOM order. */
export function renderedSeqs(page: Page): Promise<number[]> {
  return timeline(page)
    .locator('[data-seq]')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
}
