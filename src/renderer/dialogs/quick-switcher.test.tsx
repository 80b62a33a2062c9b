// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { conversation, member, ME } from '../test-support/fixtures';
import { renderWithApp, signedInApp } from '../test-support/app-harness';
import { QuickSwitcher } from './quick-switcher';

afterEach(cleanup);

const list = [
  conversation('d_ann', { members: [member(ME), member('u_ann', { displayName: 'Ann Lee' })], lastActivityAt: 3000, unread: 4 }),
  conversation('g_design', { kind: 'group', title: 'Redesign', lastActivityAt: 9000 }),
  conversation('g_plan', { kind: 'group', title: 'Design plan', lastActivityAt: 1000 }),
  conversation('g_other', { kind: 'group', title: 'Other', lastActivityAt: 5000 }),
];

async function setup() {
  const { app, fake } = await signedInApp({ conversations: list });
  app.ui.openPanel('quickSwitcher');
  renderWithApp(app, <QuickSwitcher />);
  return { app, fake, user: userEvent.setup() };
}

function options(): string[] {
  return within(screen.getByRole('listbox')).getAllByRole('option').map((o) => o.querySelector('[data-option-name]')?.textContent ?? '');
}

describe('QuickSwitcher', () => {
  it('starts with recent conversations, focus in the combobox, unread counts announced', async () => {
    await setup();
    const box = screen.getByRole('combobox', { name: 'Conversation name' });
    expect(document.activeElement).toBe(box);
    expect(box.getAttribute('aria-expanded')).toBe('true');
    expect(box.getAttribute('aria-controls')).toBe(screen.getByRole('listbox').id);
    expect(options()).toEqual(['Redesign', 'Other', 'Ann Lee, 4 unread messages', 'Design plan']);
    expect(box.getAttribute('aria-activedescendant')).toBe(screen.getAllByRole('option')[0]!.id);
  });

  it('ranks by the query, moves with the arrows, opens with Enter and closes', async () => {
    const { app, user } = await setup();
    await user.keyboard('design');
    // A title prefix beats a newer substring match.
    expect(options()).toEqual(['Design plan', 'Redesign']);
    const box = screen.getByRole('combobox');
    await user.keyboard('{ArrowDown}');
    const second = screen.getAllByRole('option')[1]!;
    expect(box.getAttribute('aria-activedescendant')).toBe(second.id);
    expect(second.getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{ArrowDown}');
    expect(box.getAttribute('aria-activedescendant')).toBe(screen.getAllByRole('option')[0]!.id);
    await user.keyboard('{ArrowUp}{Enter}');
    expect(app.ui.getSnapshot()).toMatchObject({ activeConversationId: 'g_design', panel: 'none' });
  });

  it('says when nothing matches, and Esc closes without opening anything', async () => {
    const { app, user } = await setup();
    await user.keyboard('zzz');
    expect(screen.getByRole('status').textContent).toBe('No conversation matches');
    expect(screen.getByRole('combobox').getAttribute('aria-expanded')).toBe('false');
    await user.keyboard('{Enter}{Escape}');
    expect(app.ui.getSnapshot()).toMatchObject({ activeConversationId: null, panel: 'none' });
  });

  it('opens a conversation on click', async () => {
    const { app, user } = await setup();
    await user.click(screen.getByRole('option', { name: /^Ann Lee/ }));
    expect(app.ui.getSnapshot()).toMatchObject({ activeConversationId: 'd_ann', panel: 'none' });
  });
});
