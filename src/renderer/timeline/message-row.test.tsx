// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clockTime } from '../format/time';
import { ME, message } from '../test-support/fixtures';
import { renderWithApp, signedInApp } from '../test-support/app-harness';
import type { LocalMessage } from '../state/types';
import { MessageRow, type MessageRowProps } from './message-row';

afterEach(cleanup);

function props(m: LocalMessage, over: Partial<MessageRowProps> = {}): MessageRowProps {
  return {
    message: m,
    own: m.senderId === ME,
    dayLabel: null,
    unreadStart: false,
    groupStart: true,
    sender: { name: 'Ann', handle: null, text: 'Ann' },
    systemText: null,
    status: null,
    highlighted: false,
    onRetry: () => undefined,
    onDelete: () => undefined,
    ...over,
  };
}

describe('MessageRow', () => {
  it("shows others' messages as a named group with seq, state and an auto direction bubble", async () => {
    const { app } = await signedInApp();
    const m = message('c1', 42, { body: 'hello <b>there</b>' });
    const { container } = renderWithApp(app, <MessageRow {...props(m, { dayLabel: 'Today', unreadStart: true })} />);
    const article = screen.getByRole('article', { name: `Ann at ${clockTime(m.ts)}` });
    expect(article.getAttribute('data-seq')).toBe('42');
    expect(article.getAttribute('data-state')).toBe('sent');
    expect(within(article).getByText('Ann')).toBeTruthy();
    expect(container.querySelector('.message__bubble')?.getAttribute('dir')).toBe('auto');
    expect(container.querySelector('b')).toBeNull();
    expect(screen.getByText('Today')).toBeTruthy();
    expect(screen.getByText('New messages')).toBeTruthy();
    // Inside a group: no name, no avatar.
    cleanup();
    renderWithApp(app, <MessageRow {...props(m, { groupStart: false })} />);
    expect(screen.queryByText('Ann')).toBeNull();
    expect(document.querySelector('.avatar')).toBeNull();
  });

  it('labels the state of my messages: Sending, Sent, Delivered, Read', async () => {
    const { app } = await signedInApp();
    const pending = message('c1', null, { senderId: ME, clientId: 'k1' });
    const { rerender } = renderWithApp(app, <MessageRow {...props(pending, { sender: { name: 'You', handle: null, text: 'You' }, status: 'pending' })} />);
    const article = screen.getByRole('article', { name: /^You at / });
    expect(article.getAttribute('data-client-id')).toBe('k1');
    expect(article.hasAttribute('data-seq')).toBe(false);
    expect(article.getAttribute('data-state')).toBe('pending');
    expect(screen.getByRole('img', { name: 'Sending' })).toBeTruthy();
    expect(screen.queryByText('You')).toBeNull();
    for (const [status, label] of [
      ['sent', 'Sent'],
      ['delivered', 'Delivered'],
      ['read', 'Read'],
    ] as const) {
      const sent = { ...pending, seq: 7, state: 'sent' as const };
      rerender(<MessageRow {...props(sent, { sender: { name: 'You', handle: null, text: 'You' }, status })} />);
      expect(screen.getByRole('img', { name: label })).toBeTruthy();
      expect(screen.getByRole('article').getAttribute('data-state')).toBe(status);
      expect(screen.getByRole('article').getAttribute('data-seq')).toBe('7');
    }
    expect(document.querySelector('.message__status--read')).not.toBeNull();
  });

  it('offers Retry and Delete on a failed message, with the reason', async () => {
    const user = userEvent.setup();
    const { app } = await signedInApp();
    const failed = message('c1', null, { senderId: ME, clientId: 'k9', state: 'failed', error: { code: 'too_long', message: 'The message is too long.' } });
    const onRetry = vi.fn();
    const onDelete = vi.fn();
    renderWithApp(app, <MessageRow {...props(failed, { sender: { name: 'You', handle: null, text: 'You' }, status: 'failed', onRetry, onDelete })} />);
    expect(screen.getByText('The message is too long.')).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Not sent' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    expect(onRetry).toHaveBeenCalledWith('k9');
    expect(onDelete).toHaveBeenCalledWith('k9');
  });

  it('shows system entries as centred text and marks a highlighted target', async () => {
    const { app } = await signedInApp();
    const sys = message('c1', 3, { kind: 'system', body: null, system: { event: 'renamed', title: 'Launch' } });
    const { container } = renderWithApp(app, <MessageRow {...props(sys, { systemText: 'Ann renamed the group to “Launch”', highlighted: true })} />);
    expect(screen.getByText('Ann renamed the group to “Launch”')).toBeTruthy();
    expect(container.querySelector('[data-seq="3"]')?.classList.contains('message--highlight')).toBe(true);
  });
});
