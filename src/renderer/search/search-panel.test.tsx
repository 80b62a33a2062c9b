// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HIGHLIGHT_END as E, HIGHLIGHT_START as S } from '../../shared/ipc/models';
import type { SearchHit } from '../state/types';
import { fakeCourier, renderApp } from '../test-support/account-search-harness';
import { conversation, member, message } from '../test-support/fixtures';
import { SearchPanel } from './search-panel';

const conversations = [
  conversation('c_launch', { kind: 'group', title: 'Launch', members: [member('u_me'), member('u_ann', { displayName: 'Ann' })] }),
  conversation('c_bob', { members: [member('u_me'), member('u_bob', { displayName: 'Bob' })] }),
];

const hits: SearchHit[] = [
  { message: message('c_bob', 3, { senderId: 'u_bob', ts: 1_700_000_100_000 }), snippet: `the ${S}launch${E} moved` },
  { message: message('c_launch', 12, { senderId: 'u_ann', ts: 1_700_000_900_000 }), snippet: `<b>${S}launch${E}</b> is Friday` },
];

beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

async function setup(result: () => SearchHit[] | Promise<SearchHit[]> = () => hits) {
  const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
  const fake = fakeCourier({ conversations }).handle('search.messages', result);
  const rendered = await renderApp(fake, <SearchPanel />);
  return { user, fake, ...rendered };
}

describe('SearchPanel', () => {
  it('takes focus, queries once after typing pauses, and shows highlighted results newest first', async () => {
    const { user, fake } = await setup();
    const input = screen.getByRole('combobox', { name: 'Search messages' });
    expect(document.activeElement).toBe(input);
    expect(screen.getByText(/Search the messages stored on this computer/)).toBeTruthy();
    await user.type(input, 'launch');
    expect(fake.callsOf('search.messages')).toEqual([]);
    await act(() => vi.advanceTimersByTimeAsync(250));
    expect(fake.callsOf('search.messages')).toEqual([{ query: 'launch', limit: 50 }]);
    expect(screen.getByRole('status').textContent).toBe('2 messages found');
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map((o) => o.querySelector('.search-result__title')?.textContent)).toEqual(['Launch', 'Bob']);
    expect(options[0]?.textContent).toContain('Ann: ');
    // Matched terms are marked; markup in a body is text, never elements.
    expect([...(options[0]?.querySelectorAll('mark') ?? [])].map((m) => m.textContent)).toEqual(['launch']);
    expect(options[0]?.querySelector('b')).toBeNull();
    expect(options[0]?.textContent).toContain('<b>launch</b> is Friday');
    expect(options[0]?.textContent).not.toContain(S);
  });

  it('opens the conversation at the chosen message with ↓ and Enter', async () => {
    const { user, app } = await setup();
    const input = screen.getByRole('combobox', { name: 'Search messages' });
    await user.type(input, 'launch');
    await act(() => vi.advanceTimersByTimeAsync(250));
    await user.keyboard('{ArrowDown}{ArrowDown}');
    const second = screen.getAllByRole('option')[1];
    expect(second?.getAttribute('aria-selected')).toBe('true');
    expect(input.getAttribute('aria-activedescendant')).toBe(second?.id);
    await user.keyboard('{Enter}');
    expect(app.ui.getSnapshot()).toMatchObject({ activeConversationId: 'c_bob', jump: { conversationId: 'c_bob', seq: 3 } });
  });

  it('opens a result on click', async () => {
    const { user, app } = await setup();
    await user.type(screen.getByRole('combobox', { name: 'Search messages' }), 'launch');
    await act(() => vi.advanceTimersByTimeAsync(250));
    await user.click(screen.getByText('Friday', { exact: false }));
    expect(app.ui.getSnapshot().jump).toMatchObject({ conversationId: 'c_launch', seq: 12 });
  });

  it('says when nothing matches, and when the search failed', async () => {
    const { user, fake } = await setup(() => []);
    const input = screen.getByRole('combobox', { name: 'Search messages' });
    await user.type(input, 'zebra');
    await act(() => vi.advanceTimersByTimeAsync(250));
    expect(screen.getByRole('status').textContent).toBe('No messages match');
    fake.fail('search.messages', 'internal', 'Something went wrong inside Courier.');
    await user.type(input, 's');
    await act(() => vi.advanceTimersByTimeAsync(250));
    expect(screen.getByRole('alert').textContent).toBe('Search failed: Something went wrong inside Courier.');
  });

  it('closes with the close button', async () => {
    const { user, app } = await setup();
    app.ui.openPanel('search');
    await user.click(screen.getByRole('button', { name: 'Close search' }));
    expect(app.ui.getSnapshot().panel).toBe('none');
  });

  it('never shows what someone I blocked wrote', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const fake = fakeCourier({ conversations, blocked: [{ id: 'u_bob', username: 'bob', displayName: 'Bob' }] }).handle('search.messages', () => hits);
    await renderApp(fake, <SearchPanel />);
    await user.type(screen.getByRole('combobox', { name: 'Search messages' }), 'launch');
    await act(() => vi.advanceTimersByTimeAsync(250));
    expect(screen.getByRole('status').textContent).toBe('1 message found');
    expect(within(screen.getByRole('listbox')).getAllByRole('option').map((o) => o.textContent)).toEqual([expect.stringContaining('is Friday')]);
  });
});

