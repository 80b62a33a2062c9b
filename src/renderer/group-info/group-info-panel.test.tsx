// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalConversation } from '../state/types';
import { conversation, member, ME } from '../test-support/fixtures';
import { renderWithApp, signedInApp } from '../test-support/app-harness';
import { GroupInfoPanel } from './group-info-panel';

afterEach(cleanup);

const ann = member('u_ann', { displayName: 'Ann Lee', username: 'ann' });
const bob = member('u_bob', { displayName: 'Bob Stone', username: 'bob' });

function team(myRole: 'owner' | 'member'): LocalConversation {
  return conversation('g_team', {
    kind: 'group',
    title: 'Launch team',
    members: [member(ME, { role: myRole, displayName: 'Mia Example', username: 'me' }), { ...ann, role: myRole === 'owner' ? 'member' : 'owner' }, bob],
  });
}

async function setup(c: LocalConversation) {
  const { app, fake } = await signedInApp({ conversations: [c], presence: [{ userId: 'u_ann', status: 'online', lastSeenAt: null }] });
  fake
    .handle('conversation.rename', ({ title }) => ({ ...app.conversations.get(c.id)!, title }))
    .handle('conversation.removeMember', ({ userId }) => {
      const cur = app.conversations.get(c.id)!;
      return { ...cur, members: cur.members.filter((m) => m.userId !== userId) };
    })
    .handle('conversation.addMembers', ({ userIds }) => {
      const cur = app.conversations.get(c.id)!;
      return { ...cur, members: [...cur.members, ...userIds.map((id) => member(id, { displayName: 'Cara Doe', username: 'cara' }))] };
    })
    .handle('conversation.leave', () => null)
    .handle('conversation.setMuted', () => null)
    .handle('users.search', () => [
      { id: 'u_ann', username: 'ann', displayName: 'Ann Lee' },
      { id: 'u_cara', username: 'cara', displayName: 'Cara Doe' },
    ]);
  app.ui.openConversation(c.id);
  app.ui.openPanel('groupInfo');
  renderWithApp(app, <GroupInfoPanel conversationId={c.id} />);
  return { app, fake, user: userEvent.setup() };
}

function memberNames(): string[] {
  return within(screen.getByRole('region', { name: 'Members' }))
    .getAllByRole('listitem')
    .map((li) => li.querySelector('.group-info__member-text')?.textContent ?? '');
}

describe('GroupInfoPanel', () => {
  it('lists members with You and Owner tags', async () => {
    await setup(team('owner'));
    expect(screen.getByRole('complementary', { name: 'Group info' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Launch team' })).toBeTruthy();
    expect(screen.getByText('3 members')).toBeTruthy();
    expect(memberNames()).toEqual(['Mia Example', 'Ann Lee', 'Bob Stone']);
    const mine = screen.getAllByRole('listitem')[0]!;
    expect(within(mine).getByText('You')).toBeTruthy();
    expect(within(mine).getByText('Owner')).toBeTruthy();
    expect(within(screen.getAllByRole('listitem')[1]!).getByText(/online/)).toBeTruthy();
  });

  it('renames the group in place', async () => {
    const { fake, user } = await setup(team('member'));
    await user.click(screen.getByRole('button', { name: 'Rename group' }));
    const input = screen.getByRole('textbox', { name: 'Group name' });
    expect(document.activeElement).toBe(input);
    await user.clear(input);
    await user.type(input, '  Launch crew {Enter}');
    expect(await screen.findByRole('heading', { name: 'Launch crew' })).toBeTruthy();
    expect(fake.callsOf('conversation.rename')).toEqual([{ conversationId: 'g_team', title: 'Launch crew' }]);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Rename group' }));
  });

  it('shows the server’s refusal of a rename and keeps the form', async () => {
    const { fake, user } = await setup(team('member'));
    fake.fail('conversation.rename', 'not_allowed', 'You cannot rename this group.');
    await user.click(screen.getByRole('button', { name: 'Rename group' }));
    await user.type(screen.getByRole('textbox', { name: 'Group name' }), 'X{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('You cannot rename this group.');
    expect(screen.getByRole('textbox', { name: 'Group name' })).toBeTruthy();
  });

  it('removes a member only after confirming, and offers Remove to owners only', async () => {
    const { fake, user } = await setup(team('owner'));
    expect(screen.queryByRole('button', { name: 'Remove Mia Example from the group' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Remove Bob Stone from the group' }));
    expect(fake.callsOf('conversation.removeMember')).toEqual([]);
    const confirm = screen.getByRole('group', { name: 'Remove Bob Stone from the group?' });
    // The safe choice has the focus; cancelling keeps Bob.
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
    await user.keyboard('{Enter}');
    expect(fake.callsOf('conversation.removeMember')).toEqual([]);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove Bob Stone from the group' }));

    await user.click(screen.getByRole('button', { name: 'Remove Bob Stone from the group' }));
    await user.click(within(screen.getByRole('group', { name: /Remove Bob Stone/ })).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(memberNames()).toEqual(['Mia Example', 'Ann Lee']));
    expect(fake.callsOf('conversation.removeMember')).toEqual([{ conversationId: 'g_team', userId: 'u_bob' }]);
    expect(screen.getByRole('status').textContent).toBe('Bob Stone was removed');
  });

  it('does not offer Remove to a plain member', async () => {
    await setup(team('member'));
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Add people' })).toBeTruthy();
  });

  it('adds people found with the picker, never offering current members', async () => {
    const { fake, user } = await setup(team('member'));
    await user.click(screen.getByRole('button', { name: 'Add people' }));
    await user.type(screen.getByRole('combobox', { name: 'Find people to add' }), 'a');
    const cara = await screen.findByRole('option', { name: /Cara Doe/ });
    expect(screen.queryByRole('option', { name: /Ann Lee/ })).toBeNull();
    await user.click(cara);
    await waitFor(() => expect(memberNames()).toContain('Cara Doe'));
    expect(fake.callsOf('conversation.addMembers')).toEqual([{ conversationId: 'g_team', userIds: ['u_cara'] }]);
  });

  it('leaves after confirming and closes the conversation', async () => {
    const { app, fake, user } = await setup(team('member'));
    await user.click(screen.getByRole('button', { name: 'Leave group' }));
    expect(fake.callsOf('conversation.leave')).toEqual([]);
    await user.click(within(screen.getByRole('group', { name: /^Leave “Launch team”\?/ })).getByRole('button', { name: 'Leave' }));
    await waitFor(() => expect(app.ui.getSnapshot()).toMatchObject({ activeConversationId: null, panel: 'none' }));
    expect(fake.callsOf('conversation.leave')).toEqual([{ conversationId: 'g_team' }]);
    expect(app.conversations.get('g_team')).toBeUndefined();
  });

  it('toggles mute as a switch', async () => {
    const { fake, user } = await setup(team('member'));
    const sw = screen.getByRole('switch', { name: 'Mute notifications' });
    expect(sw.getAttribute('aria-checked')).toBe('false');
    await user.click(sw);
    await waitFor(() => expect(screen.getByRole('switch', { name: 'Mute notifications' }).getAttribute('aria-checked')).toBe('true'));
    expect(fake.callsOf('conversation.setMuted')).toEqual([{ conversationId: 'g_team', muted: true }]);
  });

  it('shows the other person of a direct chat, with mute and none of a group’s actions', async () => {
    const direct = conversation('d_ann', { members: [member(ME), ann] });
    await setup(direct);
    expect(screen.getByRole('heading', { name: 'Ann Lee' })).toBeTruthy();
    expect(screen.getByText('@ann')).toBeTruthy();
    expect(screen.getByText('Online')).toBeTruthy();
    expect(screen.getByRole('switch', { name: 'Mute notifications' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Rename|Leave|Add people|Remove/ })).toBeNull();
  });

  it('marks members who have not accepted yet as Invited', async () => {
    const c = team('owner');
    await setup({ ...c, members: [...c.members, member('u_dan', { displayName: 'Dan Roe', username: 'dan', state: 'pending', invitedBy: ME })] });
    const dan = screen.getAllByRole('listitem').find((li) => li.textContent?.includes('Dan Roe'))!;
    expect(within(dan).getByText('Invited')).toBeTruthy();
    expect(within(screen.getAllByRole('listitem')[1]!).queryByText('Invited')).toBeNull();
  });

  it('blocks and unblocks another member from their row after confirming, never offering it for me', async () => {
    const { app, fake, user } = await setup(team('member'));
    expect(screen.queryByRole('button', { name: 'Block Mia Example' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Block Bob Stone' }));
    const confirm = screen.getByRole('group', { name: /^Block Bob Stone\?/ });
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
    await user.click(within(confirm).getByRole('button', { name: 'Block' }));
    expect(fake.callsOf('user.block')).toEqual([{ userId: 'u_bob' }]);
    await waitFor(() => expect(app.blocks.isBlocked('u_bob')).toBe(true));
    const bobRow = screen.getAllByRole('listitem').find((li) => li.textContent?.includes('Bob Stone'))!;
    expect(within(bobRow).getByText('Blocked')).toBeTruthy();
    const unblock = screen.getByRole('button', { name: 'Unblock Bob Stone' });
    expect(document.activeElement).toBe(unblock);
    await user.click(unblock);
    await user.click(within(screen.getByRole('group', { name: /^Unblock Bob Stone\?/ })).getByRole('button', { name: 'Unblock' }));
    expect(fake.callsOf('user.unblock')).toEqual([{ userId: 'u_bob' }]);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Block Bob Stone' })).toBeTruthy());
  });

  it('offers nothing the server refuses to someone who has not accepted the invitation', async () => {
    const c = team('member');
    await setup({ ...c, members: [member(ME, { displayName: 'Mia Example', username: 'me', state: 'pending', invitedBy: 'u_ann' }), ...c.members.slice(1)] });
    expect(screen.queryByRole('button', { name: /Rename group|Add people|Leave group/ })).toBeNull();
    expect(screen.getByText('Accept the invitation to rename the group or add people.')).toBeTruthy();
    expect(within(screen.getAllByRole('listitem')[0]!).getByText('Invited')).toBeTruthy();
  });

  it('blocks the other person of a direct chat from a text row, after confirming, and unblocks them the same way', async () => {
    const direct = conversation('d_ann', { members: [member(ME), ann] });
    const { app, fake, user } = await setup(direct);
    const row = screen.getByRole('button', { name: 'Block Ann Lee' });
    expect(row.className).toContain('group-info__row-action--danger');
    expect(row.className).not.toContain('btn--danger');
    await user.click(row);
    const confirm = screen.getByRole('group', { name: /^Block Ann Lee\?/ });
    expect(confirm.textContent).toContain('won’t be able to message you or add you to groups');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsOf('user.block')).toEqual([]);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Block Ann Lee' }));
    await user.click(screen.getByRole('button', { name: 'Block Ann Lee' }));
    await user.click(within(screen.getByRole('group', { name: /^Block Ann Lee\?/ })).getByRole('button', { name: 'Block' }));
    expect(fake.callsOf('user.block')).toEqual([{ userId: 'u_ann' }]);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Unblock Ann Lee' })).toBeTruthy());
    expect(app.blocks.isBlocked('u_ann')).toBe(true);
    expect(screen.getByText('Blocked')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Ann Lee was blocked');

    fake.fail('user.unblock', 'offline', "You're offline. Try again when Courier has reconnected.");
    await user.click(screen.getByRole('button', { name: 'Unblock Ann Lee' }));
    await user.click(within(screen.getByRole('group', { name: /^Unblock Ann Lee\?/ })).getByRole('button', { name: 'Unblock' }));
    expect((await screen.findByRole('alert')).textContent).toBe("You're offline. Try again when Courier has reconnected.");
    expect(app.blocks.isBlocked('u_ann')).toBe(true);
  });

  it('marks look-alike members and names them with their handles wherever a name is read on its own', async () => {
    const alice = member('u_alice', { displayName: 'Alice', username: 'alice' });
    const alice2 = member('u_alice2', { displayName: 'Аlice', username: 'alice2' }); // Cyrillic А
    const c = conversation('g_look', { kind: 'group', title: 'Look-alikes', members: [member(ME, { role: 'owner', displayName: 'Mia Example', username: 'me' }), alice, alice2, bob] });
    const { user } = await setup(c);
    const rows = within(screen.getByRole('region', { name: 'Members' })).getAllByRole('listitem');
    const row = (name: RegExp) => rows.find((li) => name.test(li.textContent ?? ''))!.querySelector('.group-info__member-names')!;
    // Each row shows the @username; the look-alikes also say so, and Bob does not.
    expect(row(/@alice2/).textContent).toMatch(/^Аlice@alice2 Similar name, /);
    expect(row(/@alice /).textContent).toMatch(/^Alice@alice Similar name, /);
    expect(row(/@bob/).textContent).not.toContain('Similar name');
    // The buttons and the questions are read without the row around them.
    expect(screen.getByRole('button', { name: 'Remove Аlice (@alice2) from the group' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Remove Alice (@alice) from the group' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Remove Bob Stone from the group' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Block Аlice (@alice2)' }));
    expect(screen.getByRole('group', { name: /^Block Аlice \(@alice2\)\? / })).toBeTruthy();
  });
});
