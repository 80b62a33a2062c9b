// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../state/types';
import { fakeCourier, renderApp } from '../test-support/account-search-harness';
import { conversation, member } from '../test-support/fixtures';
import { SettingsPanel } from './settings-panel';

afterEach(cleanup);

const NOW = Date.now();
const sessions: SessionInfo[] = [
  { id: 's_here', deviceName: 'Work laptop', createdAt: NOW - 86_400_000 * 30, lastSeenAt: NOW, current: true },
  { id: 's_phone', deviceName: 'Old desktop', createdAt: NOW - 86_400_000 * 90, lastSeenAt: NOW - 5 * 60_000, current: false },
];

function setup() {
  let list = sessions;
  const fake = fakeCourier({
    conversations: [
      conversation('c_muted', { kind: 'group', title: 'Noisy group', muted: true }),
      conversation('c_quiet', { members: [member('u_me'), member('u_bob', { displayName: 'Bob' })] }),
    ],
  })
    .handle('session.list', () => list)
    .handle('session.revoke', ({ sessionId }) => {
      list = list.filter((s) => s.id !== sessionId);
      return null;
    })
    .handle('conversation.setMuted', () => null)
    .handle('session.signOut', () => null);
  return { fake, user: userEvent.setup() };
}

describe('SettingsPanel', () => {
  it('saves a switch with the matching patch and reflects the new value', async () => {
    const { fake, user } = setup();
    await renderApp(fake, <SettingsPanel />);
    const start = screen.getByRole('switch', { name: 'Start Courier when you log in' });
    expect(start.getAttribute('aria-checked')).toBe('false');
    await user.click(start);
    expect(fake.callsOf('settings.update')).toEqual([{ startAtLogin: true }]);
    await waitFor(() => expect(start.getAttribute('aria-checked')).toBe('true'));
    await user.click(screen.getByRole('switch', { name: 'Keep running in the tray when the window is closed' }));
    await user.click(screen.getByRole('switch', { name: 'Pause notifications' }));
    expect(fake.callsOf('settings.update')).toEqual([{ startAtLogin: true }, { closeToTray: false }, { notificationsPaused: true }]);
  });

  it('sets the status and theme through radio groups, and shows a failed save', async () => {
    const { fake, user } = setup();
    await renderApp(fake, <SettingsPanel />);
    const dnd = screen.getByRole('radio', { name: 'Do not disturb' });
    expect(dnd.getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText('No notifications; others see you online.')).toBeTruthy();
    await user.click(dnd);
    await user.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(fake.callsOf('settings.update')).toEqual([{ status: 'dnd' }, { theme: 'dark' }]);
    await waitFor(() => expect((screen.getByRole('radio', { name: 'Dark' }) as HTMLInputElement).checked).toBe(true));
    fake.fail('settings.update', 'internal', 'Disk full.');
    await user.click(screen.getByRole('switch', { name: 'Show notifications' }));
    expect((await screen.findByRole('alert')).textContent).toBe("Couldn't save the change: Disk full.");
    expect(screen.getByRole('switch', { name: 'Show notifications' }).getAttribute('aria-checked')).toBe('true');
  });

  it('lists muted conversations and unmutes one', async () => {
    const { fake, user } = setup();
    const { app } = await renderApp(fake, <SettingsPanel />);
    const list = screen.getByRole('list', { name: 'Muted conversations' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Noisy groupUnmute']);
    await user.click(screen.getByRole('button', { name: 'Unmute Noisy group' }));
    expect(fake.callsOf('conversation.setMuted')).toEqual([{ conversationId: 'c_muted', muted: false }]);
    expect(app.conversations.get('c_muted')?.muted).toBe(false);
    await screen.findByText(/No muted conversations/);
  });

  it('revokes another session only after confirming, then refreshes the list', async () => {
    const { fake, user } = setup();
    await renderApp(fake, <SettingsPanel />);
    const list = await screen.findByRole('list', { name: 'Devices signed in to this account' });
    expect(within(list).getByText('This device')).toBeTruthy();
    expect(within(list).getByText(/Last active 5 min ago/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Revoke Work laptop' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Revoke Old desktop' }));
    expect(fake.callsOf('session.revoke')).toEqual([]);
    const confirm = screen.getByRole('button', { name: 'Revoke session' });
    expect(document.activeElement).toBe(confirm);
    await user.click(confirm);
    expect(fake.callsOf('session.revoke')).toEqual([{ sessionId: 's_phone' }]);
    await waitFor(() => expect(screen.queryByText('Old desktop')).toBeNull());
    expect(fake.callsOf('session.list')).toHaveLength(2);
  });

  it('shows a failed session list and retries with Refresh', async () => {
    const { fake, user } = setup();
    fake.fail('session.list', 'offline', "You're offline. Try again when Courier has reconnected.");
    await renderApp(fake, <SettingsPanel />);
    expect((await screen.findByRole('alert')).textContent).toContain("You're offline");
    fake.handle('session.list', () => sessions);
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    await screen.findByText('Old desktop');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows who is signed in and signs out only after a confirmation that explains the data loss', async () => {
    const { fake, user } = setup();
    await renderApp(fake, <SettingsPanel />);
    expect(screen.getByText(/Signed in as/).textContent).toBe('Signed in as Me Myself (me) on chat.example.com');
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(fake.callsOf('session.signOut')).toEqual([]);
    expect(screen.getByText(/removes this account's message history and any unsent messages from this computer/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Sign out' }));
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await user.click(screen.getByRole('button', { name: 'Sign out and remove data' }));
    expect(fake.callsOf('session.signOut')).toEqual([null]);
  });

  it('closes with its close button', async () => {
    const { fake, user } = setup();
    const { app } = await renderApp(fake, <SettingsPanel />);
    app.ui.openPanel('settings');
    await user.click(screen.getByRole('button', { name: 'Close settings' }));
    expect(app.ui.getSnapshot().panel).toBe('none');
  });

  it('shows the last-seen setting from privacy.get, saves a change, follows the privacy event and shows a refusal', async () => {
    const { fake, user } = setup();
    await renderApp(fake, <SettingsPanel />);
    const section = screen.getByRole('region', { name: 'Privacy' });
    const lastSeen = within(section).getByRole('switch', { name: 'Show when I was last online' });
    expect(lastSeen.getAttribute('aria-checked')).toBe('true');
    expect(lastSeen.getAttribute('aria-describedby')).toBeTruthy();
    await user.click(lastSeen);
    expect(fake.callsOf('privacy.set')).toEqual([{ lastSeen: 'nobody' }]);
    await waitFor(() => expect(lastSeen.getAttribute('aria-checked')).toBe('false'));
    act(() => fake.emit('privacy', { lastSeen: 'contacts' }));
    expect(lastSeen.getAttribute('aria-checked')).toBe('true');
    fake.fail('privacy.set', 'offline', "You're offline. Try again when Courier has reconnected.");
    await user.click(lastSeen);
    expect((await within(section).findByRole('alert')).textContent).toBe("Couldn't save the change: You're offline. Try again when Courier has reconnected.");
    expect(lastSeen.getAttribute('aria-checked')).toBe('true');
  });

  it('cannot change last seen before the first connection told it', async () => {
    const fake = fakeCourier({ privacy: null }).handle('session.list', () => []);
    await renderApp(fake, <SettingsPanel />);
    const section = screen.getByRole('region', { name: 'Privacy' });
    expect(within(section).getByRole('switch', { name: 'Show when I was last online' }).hasAttribute('disabled')).toBe(true);
    expect(within(section).getByText('Available once Courier has connected to your server.')).toBeTruthy();
  });

  it('lists blocked people with their usernames and unblocks one after confirming', async () => {
    const fake = fakeCourier({
      blocked: [
        { id: 'u_mal', username: 'mallory', displayName: 'Mallory Hex' },
        { id: 'u_eve', username: 'eve', displayName: null },
      ],
    }).handle('session.list', () => []);
    const user = userEvent.setup();
    await renderApp(fake, <SettingsPanel />);
    const list = screen.getByRole('list', { name: 'Blocked people' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Mallory Hex@malloryUnblock', 'eve@eveUnblock']);
    await user.click(within(list).getByRole('button', { name: 'Unblock Mallory Hex' }));
    const confirm = screen.getByRole('group', { name: /^Unblock Mallory Hex\?/ });
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsOf('user.unblock')).toEqual([]);
    await user.click(within(confirm).getByRole('button', { name: 'Unblock' }));
    expect(fake.callsOf('user.unblock')).toEqual([{ userId: 'u_mal' }]);
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1));
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Blocked people' }));
  });

  it('says when nobody is blocked', async () => {
    const { fake } = setup();
    await renderApp(fake, <SettingsPanel />);
    const section = screen.getByRole('region', { name: 'Blocked people' });
    expect(within(section).getByText(/^Nobody\. Block someone from their contact info/)).toBeTruthy();
    expect(within(section).queryByRole('list')).toBeNull();
  });
});

