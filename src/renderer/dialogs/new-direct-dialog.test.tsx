// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { conversation, member, ME } from '../test-support/fixtures';
import { renderWithApp, signedInApp } from '../test-support/app-harness';
import { NewDirectDialog } from './new-direct-dialog';

afterEach(cleanup);

async function setup() {
  const { app, fake } = await signedInApp({ conversations: [] });
  fake.handle('users.search', () => [
    { id: ME, username: 'me', displayName: null },
    { id: 'u_ann', username: 'ann', displayName: 'Ann Lee' },
  ]);
  fake.handle('conversation.openDirect', ({ userId }) => conversation('d_ann', { members: [member(ME), member(userId)] }));
  app.ui.openPanel('newDirect');
  renderWithApp(app, <NewDirectDialog />);
  return { app, fake, user: userEvent.setup() };
}

describe('NewDirectDialog', () => {
  it('searches once the typing pauses and opens the chat with the person chosen by keyboard', async () => {
    const { app, fake, user } = await setup();
    const box = screen.getByRole('combobox', { name: 'Search people' });
    expect(document.activeElement).toBe(box);
    await user.keyboard('ann');
    expect(await screen.findByRole('option', { name: /Ann Lee/ })).toBeTruthy();
    // Debounced: one search for the three keystrokes.
    expect(fake.callsOf('users.search')).toEqual([{ query: 'ann' }]);
    expect(screen.queryByRole('option', { name: /@me/ })).toBeNull();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(app.ui.getSnapshot()).toMatchObject({ activeConversationId: 'd_ann', panel: 'none' }));
    expect(fake.callsOf('conversation.openDirect')).toEqual([{ userId: 'u_ann' }]);
  });

  it('shows an error from openDirect', async () => {
    const { app, fake, user } = await setup();
    fake.fail('conversation.openDirect', 'not_found', 'No such user.');
    await user.keyboard('ann');
    await user.click(await screen.findByRole('option', { name: /Ann Lee/ }));
    expect((await screen.findByRole('alert')).textContent).toBe('No such user.');
    expect(app.ui.getSnapshot().panel).toBe('newDirect');
  });

  it('marks results whose names look alike, so the username is what decides', async () => {
    const { fake, user } = await setup();
    fake.handle('users.search', () => [
      { id: 'u_alice', username: 'alice', displayName: 'Alice' },
      { id: 'u_alice2', username: 'alice2', displayName: 'Аlice' }, // Cyrillic А
      { id: 'u_alina', username: 'alina', displayName: 'Alina' },
    ]);
    await user.keyboard('ali');
    const names = (await screen.findAllByRole('option')).map((o) => o.querySelector('.user-picker__names')?.textContent);
    expect(names).toEqual(['Alice@alice Similar name', 'Аlice@alice2 Similar name', 'Alina@alina']);
    expect(screen.getByRole('option', { name: /@alice2 Similar name/ })).toBeTruthy();
  });
});
