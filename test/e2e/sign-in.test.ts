import { describe, expect, it } from 'vitest';
import { PASSWORD } from '../helpers/child-courier';
import { startTestServer } from '../helpers/server';
import { freePort } from '../helpers/engine';
import { waitForMainWindow } from './driver';
import { e2eSession } from './session';

/** The sign-in screen against a real server: each failure says what happened and what to do. */

const e2e = e2eSession(() => startTestServer({ registrationOpen: false }), { allowPageErrors: true });

describe('sign-in', () => {
  it('says when the password is wrong, when the server cannot be reached, and when registration is closed; then signs in', async () => {
    // Registration is closed, so the account is made as an administrator would (admin CLI's path).
    await e2e.server.auth.createUser('zoe', PASSWORD, 'Zoë');
    const me = await e2e.user('zoe');
    const page = me.page;
    const alert = page.getByRole('alert').filter({ hasText: /./ });

    // Unreachable: a port where nothing listens.
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    await page.getByLabel('Server address').fill(deadUrl);
    await page.getByLabel('Username').fill('zoe');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => alert.textContent()).toMatch(/^Can't reach 127\.0\.0\.1:\d+\. Check the address and your connection\./);

    // Wrong password on the real server.
    await page.getByLabel('Server address').fill(e2e.server.url);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => alert.textContent()).toBe('Wrong username or password.');

    // This server does not take new accounts: Create account says so and stays disabled.
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByLabel('Server address').focus();
    await page.getByLabel('Username').focus(); // leaving the address field checks the server
    await expect.poll(() => page.getByText('Registration is closed on this server.').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Create account', exact: true }).isDisabled()).toBe(true);

    // And the right password signs in.
    await page.getByRole('tab', { name: 'Sign in' }).click();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitForMainWindow(page);
    // Failed requests show up as console errors in Chromium ("Failed to load resource"): that is the network, not the app.
    expect(me.pageErrors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
  }, 60_000);
});
