// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { VirtuosoMockContext } from 'react-virtuoso';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalConversation, Member, User } from '../state/types';
import { FakeCourier } from '../test-support/fake-courier';
import { member, ME } from '../test-support/fixtures';
import { FakeHistory } from '../test-support/timeline-harness';
import { renderWithApp, signedInApp } from '../test-support/app-harness';
import { useApp } from '../state/app-context';
import { useStoreValue } from '../state/use-store';
import { ConversationView } from './conversation-view';

afterEach(cleanup);

const ann = member('u_ann', { displayName: 'Ann Lee', username: 'ann' });
const bob = member('u_bob', { displayName: 'Bob Stone', username: 'bob' });
const pendingMe = member(ME, { state: 'pending', invitedBy: 'u_ann' });

function sized(ui: ReactElement): ReactElement {
  return <VirtuosoMockContext.Provider value={{ viewportHeight: 300, itemHeight: 30 }}>{ui}</VirtuosoMockContext.Provider>;
}

/** The open conversation `id` with three messages from `sender`, rendered as the window shows it. */
async function open(members: Member[], o: { kind?: 'direct' | 'group'; title?: string; blocked?: User[]; sender?: string } = {}) {
  const fake = new FakeCourier();
  const history = new FakeHistory(fake, 'c1', 3, { sender: () => o.sender ?? 'u_ann', members });
  history.stored[2] = { ...history.stored[2]!, body: 'hi, are you coming tonight?' };
  const c: LocalConversation = { ...history.conversation, kind: o.kind ?? 'direct', title: o.title ?? null };
  const { app } = await signedInApp({ fake, conversations: [c], ...(o.blocked ? { blocked: o.blocked } : {}) });
  app.ui.openConversation('c1');
  renderWithApp(app, sized(<Open />));
  return { app, fake, c, user: userEvent.setup() };
}

/** The open conversation as App shows it: following the store, gone when it leaves. */
function Open(): ReactElement | null {
  const app = useApp();
  const c = useStoreValue(app.conversations, (s) => s.byId.get('c1'));
  return c ? <ConversationView conversation={c} /> : null;
}

const composer = () => screen.queryByRole('textbox', { name: /^Message / });

describe('a DM request', () => {
  it('shows the first messages and, instead of the composer, who asks and what accepting changes', async () => {
    await open([pendingMe, ann]);
    const bar = screen.getByRole('region', { name: 'Message request' });
    expect(within(bar).getByText(/wants to message you/).textContent).toBe(
      'Ann Lee (@ann) wants to message you. They won’t see that you’ve read their messages or when you’re online until you accept.',
    );
    expect(within(bar).getAllByRole('button').map((b) => b.textContent)).toEqual(['Block', 'Delete', 'Accept']);
    expect(composer()).toBeNull();
    expect(await screen.findByText('hi, are you coming tonight?')).toBeTruthy();
  });

  it('Accept makes it an ordinary conversation and puts the focus in the composer', async () => {
    const { fake, c, user } = await open([pendingMe, ann]);
    fake.handle('conversation.accept', () => ({ ...c, members: [member(ME, { invitedBy: 'u_ann' }), ann] }));
    await user.click(screen.getByRole('button', { name: 'Accept' }));
    expect(fake.callsOf('conversation.accept')).toEqual([{ conversationId: 'c1' }]);
    await waitFor(() => expect(composer()).not.toBeNull());
    expect(document.activeElement).toBe(composer());
    expect(screen.queryByRole('region', { name: 'Message request' })).toBeNull();
  });

  it('shows why Accept failed, in the bar', async () => {
    const { fake, user } = await open([pendingMe, ann]);
    fake.fail('conversation.accept', 'offline', "You're offline. Try again when Courier has reconnected.");
    await user.click(screen.getByRole('button', { name: 'Accept' }));
    const bar = screen.getByRole('region', { name: 'Message request' });
    expect((await within(bar).findByRole('alert')).textContent).toBe("You're offline. Try again when Courier has reconnected.");
    expect(composer()).toBeNull();
  });

  it('Delete declines after a confirmation that says what it means, and closes the conversation', async () => {
    const { app, fake, user } = await open([pendingMe, ann]);
    fake.handle('conversation.decline', () => null);
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const confirm = screen.getByRole('group', { name: /^Delete this request\?/ });
    expect(confirm.textContent).toContain('Ann Lee won’t be able to message you again unless you message them.');
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsOf('conversation.decline')).toEqual([]);
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    expect(fake.callsOf('conversation.decline')).toEqual([{ conversationId: 'c1' }]);
    await waitFor(() => expect(app.ui.getSnapshot().activeConversationId).toBeNull());
    expect(app.conversations.get('c1')).toBeUndefined();
  });

  it('Block blocks the sender after confirming (Esc on the question changes nothing)', async () => {
    const { app, fake, user } = await open([pendingMe, ann]);
    await user.click(screen.getByRole('button', { name: 'Block' }));
    expect(screen.getByRole('group', { name: /^Block Ann Lee\?/ })).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('group', { name: /^Block Ann Lee\?/ })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Block' }));
    await user.click(within(screen.getByRole('group', { name: /^Block Ann Lee\?/ })).getByRole('button', { name: 'Block' }));
    expect(fake.callsOf('user.block')).toEqual([{ userId: 'u_ann' }]);
    await waitFor(() => expect(app.blocks.isBlocked('u_ann')).toBe(true));
    expect(app.ui.getSnapshot().activeConversationId).toBeNull();
  });
});

describe('a group invitation', () => {
  it('names the inviter and the group, offers Block <inviter>, Decline (unconfirmed) and Accept', async () => {
    const { app, fake, user } = await open([pendingMe, ann, bob], { kind: 'group', title: 'Launch team' });
    const bar = screen.getByRole('region', { name: 'Group invitation' });
    expect(within(bar).getByText(/invited you to/).textContent).toBe('Ann Lee invited you to Launch team');
    expect(within(bar).getAllByRole('button').map((b) => b.textContent)).toEqual(['Block Ann Lee', 'Decline', 'Accept']);
    expect(composer()).toBeNull();
    fake.handle('conversation.decline', () => null);
    await user.click(within(bar).getByRole('button', { name: 'Decline' }));
    expect(fake.callsOf('conversation.decline')).toEqual([{ conversationId: 'c1' }]);
    await waitFor(() => expect(app.ui.getSnapshot().activeConversationId).toBeNull());
  });
});

describe('around the composer', () => {
  it('a DM I started whose other person has not accepted: a quiet note, and the composer still works', async () => {
    await open([member(ME), member('u_bob', { displayName: 'Bob Stone', state: 'pending', invitedBy: ME })], { sender: ME });
    expect(document.querySelector('.conversation__note')?.textContent).toBe('Bob Stone hasn’t accepted your request yet.');
    expect(composer()).not.toBeNull();
    expect(screen.queryByRole('region', { name: 'Message request' })).toBeNull();
  });

  it('no note once they accepted', async () => {
    await open([member(ME), bob], { sender: ME });
    expect(screen.queryByText(/hasn’t accepted/)).toBeNull();
  });

  it('a DM with someone I blocked: no composer, and Unblock (confirmed) brings it back', async () => {
    const { fake, user } = await open([member(ME), ann], { blocked: [{ id: 'u_ann', username: 'ann', displayName: 'Ann Lee' }] });
    const bar = screen.getByRole('region', { name: 'Blocked' });
    expect(bar.textContent).toContain('You blocked Ann Lee. Unblock them to send messages.');
    expect(composer()).toBeNull();
    await user.click(within(bar).getByRole('button', { name: 'Unblock' }));
    await user.click(within(screen.getByRole('group', { name: /^Unblock Ann Lee\?/ })).getByRole('button', { name: 'Unblock' }));
    expect(fake.callsOf('user.unblock')).toEqual([{ userId: 'u_ann' }]);
    await waitFor(() => expect(composer()).not.toBeNull());
  });

  it('a DM whose other person declined: says so, with no composer', async () => {
    await open([member(ME)], { sender: ME });
    expect(screen.getByText('Your request was declined, so you can’t send messages here.')).toBeTruthy();
    expect(composer()).toBeNull();
  });
});

describe('look-alike names in the header and the invitation bar', () => {
  const alice = member('u_alice', { displayName: 'Alice', username: 'alice' });
  const alice2 = member('u_alice2', { displayName: 'Аlice', username: 'alice2' }); // Cyrillic А

  it('titles a direct chat with the handle when another chat’s person has a look-alike name, and says the same to assistive tech', async () => {
    const fake = new FakeCourier();
    const history = new FakeHistory(fake, 'c1', 3, { sender: () => 'u_alice2', members: [member(ME), alice2] });
    const other: LocalConversation = { ...history.conversation, id: 'c2', members: [member(ME), alice] };
    const { app } = await signedInApp({ fake, conversations: [history.conversation, other] });
    app.ui.openConversation('c1');
    renderWithApp(app, sized(<Open />));
    const heading = screen.getByRole('heading', { level: 2 });
    expect(heading.textContent).toBe('Аlice (@alice2)');
    expect(heading.querySelector('bdi')?.textContent).toBe('Аlice');
    expect(screen.getByRole('region', { name: 'Аlice (@alice2)' })).toBeTruthy();
    expect(composer()?.getAttribute('aria-label')).toBe('Message Аlice (@alice2)');
    // The other Alice goes: the name is enough again.
    act(() => fake.emit('conversation.removed', { conversationId: 'c2' }));
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Аlice');
  });

  it('says who is typing with their handle where the group has a look-alike', async () => {
    const { fake } = await open([member(ME), alice, alice2, bob], { kind: 'group', title: 'Team' });
    act(() => fake.emit('typing', { conversationId: 'c1', userId: 'u_alice2', typing: true, ttlMs: 6000 }));
    expect(document.querySelector('.conversation-header__subtitle')?.textContent).toBe('Аlice (@alice2) is typing…');
    act(() => fake.emit('typing', { conversationId: 'c1', userId: 'u_bob', typing: true, ttlMs: 6000 }));
    expect(document.querySelector('.conversation-header__subtitle')?.textContent).toBe('Аlice (@alice2) and Bob Stone are typing…');
  });

  it('names whoever invites me with their handle when they look like someone I know', async () => {
    const fake = new FakeCourier();
    const history = new FakeHistory(fake, 'c1', 2, { sender: () => 'u_alice2', members: [member(ME, { state: 'pending', invitedBy: 'u_alice2' }), alice2] });
    const invitation: LocalConversation = { ...history.conversation, kind: 'group', title: 'Payroll' };
    const known: LocalConversation = { ...history.conversation, id: 'c2', members: [member(ME), alice] };
    const { app, user } = { ...(await signedInApp({ fake, conversations: [invitation, known] })), user: userEvent.setup() };
    app.ui.openConversation('c1');
    renderWithApp(app, sized(<Open />));
    const bar = screen.getByRole('region', { name: 'Group invitation' });
    expect(within(bar).getByText(/invited you to/).textContent).toBe('Аlice (@alice2) invited you to Payroll');
    await user.click(within(bar).getByRole('button', { name: 'Block Аlice (@alice2)' }));
    expect(screen.getByRole('group', { name: /^Block Аlice \(@alice2\)\? / })).toBeTruthy();
  });
});
