// @vitest-environment jsdom
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { VirtuosoMockContext } from 'react-virtuoso';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCourier } from '../test-support/fake-courier';
import { ME, member, message } from '../test-support/fixtures';
import { FakeHistory } from '../test-support/timeline-harness';
import { renderWithApp, signedInApp } from '../test-support/app-harness';
import { Timeline } from './timeline';

afterEach(cleanup);

/** Virtuoso measures nothing under jsdom: give it a 300px viewport of 30px rows (ten rows). */
function sized(ui: ReactElement): ReactElement {
  return <VirtuosoMockContext.Provider value={{ viewportHeight: 300, itemHeight: 30 }}>{ui}</VirtuosoMockContext.Provider>;
}

const shownSeqs = () => [...document.querySelectorAll('[data-seq]')].map((e) => Number(e.getAttribute('data-seq')));

describe('Timeline', () => {
  it('is a labelled log that opens at the newest entries, and stops listening when closed', async () => {
    const fake = new FakeCourier();
    const history = new FakeHistory(fake, 'c1', 120);
    const { app } = await signedInApp({ fake, conversations: [history.conversation] });
    const listeners = fake.listenerCount();
    const { unmount } = renderWithApp(app, sized(<Timeline conversationId="c1" />));
    const log = await screen.findByRole('log', { name: 'Messages' });
    expect(log.getAttribute('aria-relevant')).toBe('additions');
    expect(fake.callsOf('messages.page')).toEqual([{ conversationId: 'c1', limit: 50 }]);
    await waitFor(() => expect(shownSeqs().at(-1)).toBe(120));
    const seqs = shownSeqs();
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    unmount();
    expect(fake.listenerCount()).toBe(listeners);
  });

  it('shows the "New messages" divider before the first unread entry, and appends live entries', async () => {
    const fake = new FakeCourier();
    const history = new FakeHistory(fake, 'c1', 40, { readSeq: 35 });
    const { app } = await signedInApp({ fake, conversations: [history.conversation] });
    renderWithApp(app, sized(<Timeline conversationId="c1" />));
    const divider = await screen.findByText('New messages');
    expect(divider.closest('.timeline-row')?.querySelector('[data-seq]')?.getAttribute('data-seq')).toBe('36');
    // Opened at an entry, the window follows the bottom only once it has settled there.
    await waitFor(() => expect(document.querySelector('.timeline')?.getAttribute('data-following')).toBe('true'));
    act(() => fake.emit('messages.changed', { conversationId: 'c1', messages: [history.add({ body: 'fresh' })], origin: 'live' }));
    const store = await screen.findByText('fresh');
    expect(store.closest('[data-seq]')?.getAttribute('data-seq')).toBe('41');
  });

  it('offers Retry and Delete on my failed message through the IPC', async () => {
    const user = userEvent.setup();
    const fake = new FakeCourier();
    const history = new FakeHistory(fake, 'c1', 3);
    const failed = message('c1', null, { senderId: ME, clientId: 'k1', state: 'failed', error: { code: 'x', message: 'Refused.' } });
    history.outbox = [failed];
    fake.handle('message.retry', () => ({ ...failed, state: 'pending', error: null })).handle('message.delete', () => null);
    const { app } = await signedInApp({ fake, conversations: [history.conversation] });
    renderWithApp(app, sized(<Timeline conversationId="c1" />));
    await user.click(await screen.findByRole('button', { name: 'Retry' }));
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    expect(fake.callsOf('message.retry')).toEqual([{ conversationId: 'c1', clientId: 'k1' }]);
    expect(fake.callsOf('message.delete')).toEqual([{ conversationId: 'c1', clientId: 'k1' }]);
    expect(document.querySelector('[data-client-id="k1"]')?.getAttribute('data-state')).toBe('failed');
  });

  it('opens at a search result, clears the jump, and offers "Jump to latest" from the detached window', async () => {
    const user = userEvent.setup();
    const fake = new FakeCourier();
    const history = new FakeHistory(fake, 'c1', 500);
    const { app } = await signedInApp({ fake, conversations: [history.conversation] });
    act(() => app.ui.openConversation('c1', 123));
    renderWithApp(app, sized(<Timeline conversationId="c1" />));
    await waitFor(() => expect(app.ui.getSnapshot().jump).toBeNull());
    expect(fake.callsOf('messages.around')).toEqual([{ conversationId: 'c1', seq: 123, limit: 100 }]);
    await waitFor(() => expect(shownSeqs()).toContain(123));
    expect(document.querySelector('[data-seq="123"]')?.classList.contains('message--highlight')).toBe(true);
    // A second result inside the loaded window only scrolls.
    act(() => app.ui.openConversation('c1', 130));
    await waitFor(() => expect(app.ui.getSnapshot().jump).toBeNull());
    expect(fake.callsOf('messages.around')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: /Jump to latest/ }));
    await waitFor(() => expect(shownSeqs()).toContain(500));
  });

  it('shows a message from someone I blocked as one muted line, without its text or links, and its text again once unblocked', async () => {
    const fake = new FakeCourier();
    const members = [member(ME), member('u_ann', { displayName: 'Ann Lee' }), member('u_mal', { displayName: 'Mallory' })];
    const history = new FakeHistory(fake, 'g1', 4, { sender: (seq) => (seq === 3 ? 'u_mal' : 'u_ann'), members });
    history.stored[2] = { ...history.stored[2]!, body: 'buy now at https://spam.example/' };
    const blocked = [{ id: 'u_mal', username: 'mal', displayName: 'Mallory' }];
    const { app } = await signedInApp({ fake, conversations: [{ ...history.conversation, kind: 'group', title: 'Team' }], blocked });
    renderWithApp(app, sized(<Timeline conversationId="g1" />));
    const line = await screen.findByText('Message from someone you blocked');
    const row = line.closest('[data-seq]')!;
    expect(row.getAttribute('data-seq')).toBe('3');
    expect(row.getAttribute('role')).toBe('article');
    expect(screen.queryByText(/buy now/)).toBeNull();
    expect(document.querySelector('[role="log"] a')).toBeNull();
    expect(screen.queryByText('Mallory')).toBeNull();
    // Ann's next message starts a new group (her name again) after the hidden one.
    expect(document.querySelector('[data-seq="4"] .message__sender')?.textContent).toBe('Ann Lee');
    act(() => fake.emit('blocks.changed', { users: [] }));
    expect(await screen.findByText(/buy now/)).toBeTruthy();
    expect(screen.queryByText('Message from someone you blocked')).toBeNull();
  });

  it('shows the handle beside look-alike senders and in system lines, where the name alone could mislead', async () => {
    const fake = new FakeCourier();
    const members = [
      member(ME),
      member('u_alice', { username: 'alice', displayName: 'Alice' }),
      member('u_alice2', { username: 'alice2', displayName: 'Аlice' }), // Cyrillic А
      member('u_carol', { username: 'carol', displayName: 'Carol' }),
    ];
    const history = new FakeHistory(fake, 'g1', 4, { sender: (seq) => (seq === 2 ? 'u_alice2' : seq === 3 ? 'u_carol' : 'u_alice'), members });
    history.stored[0] = { ...history.stored[0]!, kind: 'system', body: null, system: { event: 'members.added', userIds: ['u_alice2', 'u_carol'] } };
    const { app } = await signedInApp({ fake, conversations: [{ ...history.conversation, kind: 'group', title: 'Team' }] });
    renderWithApp(app, sized(<Timeline conversationId="g1" />));
    const system = await screen.findByText(/ added /);
    expect(system.textContent).toBe('Alice (@alice) added Аlice (@alice2), Carol');
    const sender = (seq: number) => document.querySelector(`[data-seq="${seq}"] .message__sender`);
    expect(sender(2)?.textContent).toBe('Аlice (@alice2)');
    expect(sender(2)?.querySelector('.person-name__handle')?.textContent).toBe('(@alice2)');
    expect(sender(3)?.textContent).toBe('Carol');
    expect(sender(4)?.textContent).toBe('Alice (@alice)');
    // What is announced says the same as what is shown.
    const label = (seq: number) => document.querySelector(`[data-seq="${seq}"]`)?.getAttribute('aria-label');
    expect(label(2)).toMatch(/^Аlice \(@alice2\) at /);
    expect(label(3)).toMatch(/^Carol at /);
    // The look-alike renames herself: the handles go.
    act(() => fake.emit('conversations.changed', { conversations: [{ ...app.conversations.get('g1')!, members: members.map((m) => (m.userId === 'u_alice2' ? { ...m, displayName: 'Alicia' } : m)) }] }));
    await waitFor(() => expect(sender(2)?.textContent).toBe('Alicia'));
    expect(sender(4)?.textContent).toBe('Alice');
  });
});
