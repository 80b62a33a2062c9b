// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../state/types';
import { conversation, member, ME } from '../test-support/fixtures';
import { renderWithApp, signedInApp } from '../test-support/app-harness';
import { NewGroupDialog } from './new-group-dialog';

afterEach(cleanup);

const people: User[] = [
  { id: ME, username: 'me', displayName: 'Mia Example' },
  { id: 'u_ann', username: 'ann', displayName: 'Ann Lee' },
  { id: 'u_andy', username: 'andy', displayName: 'Andy Roe' },
  { id: 'u_bob', username: 'bob', displayName: null },
];

async function setup() {
  const { app, fake } = await signedInApp({ conversations: [] });
  fake.handle('users.search', ({ query }) => people.filter((p) => p.username.includes(query.toLowerCase()) || (p.displayName ?? '').toLowerCase().includes(query.toLowerCase())));
  fake.handle('conversation.createGroup', ({ title, memberIds }) =>
    conversation('g_new', { kind: 'group', title, members: [member(ME, { role: 'owner' }), ...memberIds.map((id) => member(id))] }),
  );
  app.ui.openPanel('newGroup');
  renderWithApp(app, <NewGroupDialog />);
  return { app, fake, user: userEvent.setup() };
}

describe('NewGroupDialog', () => {
  it('creates a group with a trimmed name and the two people picked, opens it and closes', async () => {
    const { app, fake, user } = await setup();
    const create = screen.getByRole('button', { name: 'Create group' });
    expect(create).toHaveProperty('disabled', true);
    await user.type(screen.getByRole('textbox', { name: 'Group name' }), '  Launch  ');
    expect(create).toHaveProperty('disabled', false);

    const search = screen.getByRole('combobox', { name: 'Add people' });
    await user.type(search, 'an');
    const listbox = await screen.findByRole('listbox', { name: 'People found' });
    // Myself is never offered.
    await waitFor(() => expect(within(listbox).getAllByRole('option').map((o) => o.textContent)).toEqual(['ALAnn Lee@ann', 'ARAndy Roe@andy']));
    await user.keyboard('{ArrowDown}{Enter}');
    expect(screen.getByRole('list', { name: /Members/ }).textContent).toContain('Andy Roe');
    expect((search as HTMLInputElement).value).toBe('');

    await user.type(search, 'a');
    // Andy is picked already: only Ann is offered now.
    await waitFor(() => expect(within(listbox).getAllByRole('option').map((o) => o.textContent)).toEqual(['ALAnn Lee@ann']));
    await user.click(within(listbox).getByRole('option', { name: /Ann Lee/ }));
    await user.type(search, 'bob');
    await user.click(await within(listbox).findByRole('option', { name: /bob/ }));

    // Remove Bob again with his chip's labelled button.
    await user.click(screen.getByRole('button', { name: 'Remove bob' }));
    expect(screen.queryByRole('button', { name: 'Remove bob' })).toBeNull();

    await user.click(create);
    await waitFor(() => expect(app.ui.getSnapshot()).toMatchObject({ activeConversationId: 'g_new', panel: 'none' }));
    expect(fake.callsOf('conversation.createGroup')).toEqual([{ title: 'Launch', memberIds: ['u_andy', 'u_ann'] }]);
  });

  it('keeps Create disabled for a blank name', async () => {
    const { user } = await setup();
    await user.type(screen.getByRole('textbox', { name: 'Group name' }), '   ');
    expect(screen.getByRole('button', { name: 'Create group' })).toHaveProperty('disabled', true);
  });

  it('shows the server’s refusal and stays open', async () => {
    const { app, fake, user } = await setup();
    fake.fail('conversation.createGroup', 'limit_reached', 'You are in too many conversations.');
    await user.type(screen.getByRole('textbox', { name: 'Group name' }), 'Team{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('You are in too many conversations.');
    expect(app.ui.getSnapshot().panel).toBe('newGroup');
    expect(screen.getByRole('button', { name: 'Create group' })).toHaveProperty('disabled', false);
  });

  it('shows a failed search as an alert and says when no one is found', async () => {
    const { fake, user } = await setup();
    await user.type(screen.getByRole('combobox', { name: 'Add people' }), 'zed');
    expect(await screen.findByText('No one found')).toBeTruthy();
    fake.fail('users.search', 'offline', 'You are offline.');
    await user.type(screen.getByRole('combobox', { name: 'Add people' }), 'x');
    expect((await screen.findByRole('alert')).textContent).toContain('You are offline.');
  });

  it('marks look-alike people found, and names look-alike people picked with their handles', async () => {
    const { user } = await setup();
    people.push({ id: 'u_alice', username: 'alice', displayName: 'Alice' }, { id: 'u_alice2', username: 'alice2', displayName: 'Аlice' }); // Cyrillic А
    try {
      await user.type(screen.getByRole('combobox', { name: 'Add people' }), 'alice');
      const options = await screen.findAllByRole('option');
      expect(options.map((o) => o.querySelector('.user-picker__names')?.textContent)).toEqual(['Alice@alice Similar name', 'Аlice@alice2 Similar name']);
      await user.clear(screen.getByRole('combobox', { name: 'Add people' }));
      await user.type(screen.getByRole('combobox', { name: 'Add people' }), 'ann');
      expect((await screen.findByRole('option', { name: /Ann Lee/ })).textContent).not.toContain('Similar name');

      await user.clear(screen.getByRole('combobox', { name: 'Add people' }));
      await user.type(screen.getByRole('combobox', { name: 'Add people' }), 'alice');
      await user.click(await screen.findByRole('option', { name: /@alice2/ }));
      // One of them picked: a chip with the name alone, nothing to mix it up with yet.
      const chips = () => within(screen.getByRole('list', { name: /Members/ })).getAllByRole('listitem');
      expect(chips().map((c) => c.querySelector('.chip__name')?.textContent)).toEqual(['Аlice']);
      await user.type(screen.getByRole('combobox', { name: 'Add people' }), 'alice');
      await user.click(await screen.findByRole('option', { name: /@alice Similar/ }));
      expect(chips().map((c) => c.querySelector('.chip__name')?.textContent)).toEqual(['Аlice (@alice2)', 'Alice (@alice)']);
      expect(screen.getByRole('button', { name: 'Remove Аlice (@alice2)' })).toBeTruthy();
    } finally {
      people.splice(-2);
    }
  });
});
