// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { conversation, member, message, ME } from '../test-support/fixtures';
import { renderWithApp, signedInApp } from '../test-support/app-harness';
import { Sidebar } from './sidebar';

afterEach(cleanup);

const ann = member('u_ann', { displayName: 'Ann Lee', username: 'ann' });
const bob = member('u_bob', { displayName: 'Bob Stone', username: 'bob' });
const zoe = member('u_zoe', { displayName: 'Zoë Martin', username: 'zoe' });

function fixtures() {
  return [
    conversation('d_ann', { members: [member(ME), ann], lastActivityAt: 3000, unread: 3, lastMessage: message('d_ann', 5, { senderId: 'u_ann', body: 'See you\nat noon' }) }),
    conversation('g_team', {
      kind: 'group',
      title: 'Launch team',
      members: [member(ME, { role: 'owner' }), ann, bob],
      lastActivityAt: 5000,
      lastMessage: message('g_team', 9, { senderId: 'u_bob', body: 'shipping' }),
    }),
    conversation('d_zoe', { members: [member(ME), zoe], lastActivityAt: 1000, muted: true, unread: 1, lastMessage: message('d_zoe', null, { senderId: ME, body: 'on my way' }) }),
  ];
}

function items(): HTMLElement[] {
  return within(screen.getByRole('navigation', { name: 'Conversations' })).getAllByRole('button', { name: /, / });
}

/** What a screen reader announces for an item (its hidden name sentence). */
function itemName(button: HTMLElement): string | null {
  return button.querySelector('[data-item-name]')?.textContent ?? null;
}

describe('Sidebar', () => {
  it('lists conversations newest first with names that carry title, unread count and preview', async () => {
    const { app } = await signedInApp({ conversations: fixtures(), presence: [{ userId: 'u_ann', status: 'online', lastSeenAt: null }] });
    renderWithApp(app, <Sidebar />);
    const names = items().map((b) => itemName(b) ?? '');
    expect(names).toHaveLength(3);
    expect(names[0]).toMatch(/^Launch team, Bob: shipping, /);
    expect(names[1]).toMatch(/^Ann Lee, 3 unread messages, See you at noon, /);
    expect(names[2]).toMatch(/^Zoë Martin, muted, 1 unread message, Sending: You: on my way, /);
    const annItem = screen.getByRole('button', { name: /^Ann Lee/ });
    expect(within(annItem).getByText('3').className).toContain('unread-badge');
    // The preview is one line of text.
    expect(annItem.textContent).toContain('See you at noon');
    expect(screen.getByText('Mia Example')).toBeTruthy();
  });

  it('opens a conversation on click and marks it current', async () => {
    const user = userEvent.setup();
    const { app, fake } = await signedInApp({ conversations: fixtures() });
    renderWithApp(app, <Sidebar />);
    await user.click(screen.getByRole('button', { name: /^Ann Lee/ }));
    expect(app.ui.getSnapshot().activeConversationId).toBe('d_ann');
    expect(screen.getByRole('button', { name: /^Ann Lee/ }).getAttribute('aria-current')).toBe('true');
    expect(screen.getByRole('button', { name: /^Launch team/ }).hasAttribute('aria-current')).toBe(false);
    expect(fake.callsOf('conversation.setActive')).toEqual([{ conversationId: 'd_ann' }]);
  });

  it('shows who is typing instead of the preview, and the preview again when they stop', async () => {
    const { app, fake } = await signedInApp({ conversations: fixtures() });
    renderWithApp(app, <Sidebar />);
    act(() => {
      fake.emit('typing', { conversationId: 'g_team', userId: 'u_ann', typing: true, ttlMs: 6000 });
      fake.emit('typing', { conversationId: 'd_ann', userId: 'u_ann', typing: true, ttlMs: 6000 });
    });
    const team = screen.getByRole('button', { name: /^Launch team/ });
    expect(itemName(team)).toMatch(/^Launch team, Ann is typing…, /);
    expect(within(team).queryByText(/shipping/)).toBeNull();
    expect(within(team).getByText('Ann is typing…').className).toContain('sidebar-item__preview--typing');
    expect(itemName(screen.getByRole('button', { name: /^Ann Lee/ }))).toContain('3 unread messages, typing…');
    act(() => fake.emit('typing', { conversationId: 'g_team', userId: 'u_ann', typing: false, ttlMs: 0 }));
    expect(within(screen.getByRole('button', { name: /^Launch team/ })).getByText('Bob: shipping')).toBeTruthy();
  });

  it('reorders when a conversation gets a new message', async () => {
    const { app, fake } = await signedInApp({ conversations: fixtures() });
    renderWithApp(app, <Sidebar />);
    act(() => fake.emit('conversations.changed', { conversations: [{ ...fixtures()[2]!, lastActivityAt: 9000 }] }));
    expect(items().map((b) => itemName(b)?.split(',')[0])).toEqual(['Zoë Martin', 'Launch team', 'Ann Lee']);
  });

  it('filters by title and member names, ignoring case and accents, and says when nothing matches', async () => {
    const user = userEvent.setup();
    const { app } = await signedInApp({ conversations: fixtures() });
    renderWithApp(app, <Sidebar />);
    const filter = screen.getByRole('searchbox', { name: 'Filter conversations' });
    await user.type(filter, 'ZOE');
    expect(items().map((b) => itemName(b)?.split(',')[0])).toEqual(['Zoë Martin']);
    await user.clear(filter);
    await user.type(filter, 'bob');
    expect(items().map((b) => itemName(b)?.split(',')[0])).toEqual(['Launch team']);
    await user.clear(filter);
    await user.type(filter, 'nobody');
    expect(screen.getByText('No matches')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Clear filter' }));
    expect(items()).toHaveLength(3);
    expect(app.ui.getSnapshot().filter).toBe('');
  });

  it('moves from the filter into the list with the arrow keys', async () => {
    const user = userEvent.setup();
    const { app } = await signedInApp({ conversations: fixtures() });
    renderWithApp(app, <Sidebar />);
    await user.click(screen.getByRole('searchbox', { name: 'Filter conversations' }));
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(items()[0]);
    await user.keyboard('{ArrowDown}{Enter}');
    expect(app.ui.getSnapshot().activeConversationId).toBe('d_ann');
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(document.activeElement).toBe(screen.getByRole('searchbox'));
  });

  it('offers to start a chat when there are no conversations, and wires the header actions', async () => {
    const user = userEvent.setup();
    const { app } = await signedInApp({ conversations: [] });
    renderWithApp(app, <Sidebar />);
    expect(screen.getByText('No conversations yet')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Start a chat' }));
    expect(app.ui.getSnapshot().panel).toBe('newDirect');
    await user.click(screen.getByRole('button', { name: 'New group' }));
    expect(app.ui.getSnapshot().panel).toBe('newGroup');
    const settings = screen.getByRole('button', { name: 'Settings' });
    await user.click(settings);
    expect(app.ui.getSnapshot().panel).toBe('settings');
    expect(settings.getAttribute('aria-pressed')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Search messages' }));
    expect(app.ui.getSnapshot().panel).toBe('search');
    expect(settings.getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByRole('button', { name: 'New chat' }).getAttribute('title')).toBe('New chat (Ctrl+N)');
  });

  it('renders hostile text as text', async () => {
    const evil = conversation('g_evil', {
      kind: 'group',
      title: '<b>bold</b>',
      members: [member(ME), bob],
      lastMessage: message('g_evil', 1, { senderId: 'u_bob', body: '<img src=x onerror="window.__pwned=1">' }),
    });
    const { app } = await signedInApp({ conversations: [evil] });
    const { container } = renderWithApp(app, <Sidebar />);
    expect(container.querySelector('img, b')).toBeNull();
    expect(screen.getByText('<b>bold</b>')).toBeTruthy();
    expect(screen.getByText('Bob: <img src=x onerror="window.__pwned=1">')).toBeTruthy();
  });

  it('marks a request and an invitation in place of the unread badge, and says so in their names', async () => {
    const pendingMe = member(ME, { state: 'pending', invitedBy: 'u_ann' });
    const { app } = await signedInApp({
      conversations: [
        conversation('d_req', { members: [pendingMe, ann], unread: 2, lastActivityAt: 9000, lastMessage: message('d_req', 2, { senderId: 'u_ann', body: 'hello stranger' }) }),
        conversation('g_inv', { kind: 'group', title: 'Secret club', members: [pendingMe, ann, bob], unread: 4, lastActivityAt: 8000 }),
        ...fixtures(),
      ],
    });
    renderWithApp(app, <Sidebar />);
    const request = screen.getByRole('button', { name: /^Ann Lee, message request/ });
    expect(itemName(request)).toMatch(/^Ann Lee, message request, hello stranger, /);
    expect(within(request).getByText('Request')).toBeTruthy();
    expect(request.querySelector('.unread-badge')).toBeNull();
    const invitation = screen.getByRole('button', { name: /^Secret club/ });
    expect(itemName(invitation)).toMatch(/^Secret club, group invitation, /);
    expect(within(invitation).getByText('Invitation')).toBeTruthy();
    // An accepted conversation keeps its count.
    expect(itemName(screen.getByRole('button', { name: /^Ann Lee, 3 unread/ }))).toMatch(/3 unread messages/);
  });

  it('never previews what someone I blocked wrote', async () => {
    const mal = member('u_mal', { displayName: 'Mallory', username: 'mal' });
    const group = conversation('g_x', { kind: 'group', title: 'Neighbours', members: [member(ME), ann, mal], lastMessage: message('g_x', 7, { senderId: 'u_mal', body: 'click my link' }) });
    const { app, fake } = await signedInApp({ conversations: [group], blocked: [{ id: 'u_mal', username: 'mal', displayName: 'Mallory' }] });
    renderWithApp(app, <Sidebar />);
    const item = screen.getByRole('button', { name: /^Neighbours/ });
    expect(item.textContent).toContain('Message from someone you blocked');
    expect(item.textContent).not.toContain('click my link');
    expect(itemName(item)).toMatch(/^Neighbours, Message from someone you blocked, /);
    act(() => fake.emit('blocks.changed', { users: [] }));
    expect(screen.getByRole('button', { name: /^Neighbours/ }).textContent).toContain('Mallory: click my link');
  });

  it('titles two direct chats whose people look alike with their handles, visibly and in their names', async () => {
    const alice = member('u_alice', { displayName: 'Alice', username: 'alice' });
    const alice2 = member('u_alice2', { displayName: 'Аlice', username: 'alice2' }); // Cyrillic А
    const { app, fake } = await signedInApp({
      conversations: [
        conversation('d_alice', { members: [member(ME), alice], lastActivityAt: 2000, lastMessage: message('d_alice', 1, { senderId: 'u_alice', body: 'hi' }) }),
        conversation('d_zoe', { members: [member(ME), member('u_zoe', { displayName: 'Zoë' })], lastActivityAt: 1000 }),
      ],
    });
    renderWithApp(app, <Sidebar />);
    expect(items().map((b) => itemName(b)?.split(',')[0])).toEqual(['Alice', 'Zoë']);
    act(() => fake.emit('conversations.changed', { conversations: [conversation('d_alice2', { members: [member(ME), alice2], lastActivityAt: 3000 })] }));
    expect(items().map((b) => itemName(b)?.split(',')[0])).toEqual(['Аlice (@alice2)', 'Alice (@alice)', 'Zoë']);
    const title = items()[0]!.querySelector('.sidebar-item__title');
    expect(title?.textContent).toBe('Аlice (@alice2)');
    expect(title?.querySelector('.person-name__handle')?.textContent).toBe('(@alice2)');
  });
});
