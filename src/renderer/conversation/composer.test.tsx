// @vitest-environment jsdom
import { act, cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { message } from '../test-support/fixtures';
import { renderWithApp, signedInApp } from '../test-support/app-harness';
import { Composer } from './composer';

afterEach(cleanup);

async function setup() {
  const { app, fake } = await signedInApp();
  fake.handle('message.send', (p) => message(p.conversationId, null, { body: p.body })).handle('typing.set', () => null);
  const view = renderWithApp(app, <Composer conversationId="c1" label="Message Ann" />);
  return { app, fake, view, user: userEvent.setup(), box: () => screen.getByRole('textbox', { name: 'Message Ann' }) };
}

describe('Composer', () => {
  it('sends on Enter, breaks the line on Shift+Enter, and empties itself', async () => {
    const { fake, user, box } = await setup();
    await user.type(box(), 'first line{Shift>}{Enter}{/Shift}second line');
    expect((box() as HTMLTextAreaElement).value).toBe('first line\nsecond line');
    await user.keyboard('{Enter}');
    expect(fake.callsOf('message.send')).toEqual([{ conversationId: 'c1', body: 'first line\nsecond line' }]);
    expect((box() as HTMLTextAreaElement).value).toBe('');
  });

  it('does not send blank text', async () => {
    const { fake, user, box } = await setup();
    await user.type(box(), '   {Enter}');
    expect(fake.callsOf('message.send')).toEqual([]);
    expect(screen.getByRole('button', { name: 'Send' }).hasAttribute('disabled')).toBe(true);
  });

  it('announces typing once while typing and stops when the message is sent', async () => {
    const { fake, user, box } = await setup();
    await user.type(box(), 'hello');
    expect(fake.callsOf('typing.set')).toEqual([{ conversationId: 'c1', typing: true }]);
    await user.keyboard('{Enter}');
    expect(fake.callsOf('typing.set')).toEqual([
      { conversationId: 'c1', typing: true },
      { conversationId: 'c1', typing: false },
    ]);
  });

  it('keeps a draft per conversation', async () => {
    const { app, user, box, view } = await setup();
    await user.type(box(), 'half a thought');
    view.unmount();
    expect(app.drafts.get('c1')).toBe('half a thought');
    renderWithApp(app, <Composer conversationId="c2" label="Message Bob" />).unmount();
    renderWithApp(app, <Composer conversationId="c1" label="Message Ann" />);
    expect((box() as HTMLTextAreaElement).value).toBe('half a thought');
  });

  it('gives the text back with the reason when the message cannot be queued', async () => {
    const { fake, user, box } = await setup();
    fake.fail('message.send', 'invalid_argument', 'body: a message is at most 16384 bytes of UTF-8');
    await user.type(box(), 'keep me{Enter}');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'body: a message is at most 16384 bytes of UTF-8');
    expect((box() as HTMLTextAreaElement).value).toBe('keep me');
  });

  it('refuses text over the size limit before sending, and says by how much', async () => {
    const { fake, box } = await setup();
    const user = userEvent.setup();
    await user.click(box());
    await act(async () => {
      await user.paste('é'.repeat(9000));
    });
    expect(screen.getByText(/Too long to send: 18,000 of 16,384 bytes/)).toBeTruthy();
    await user.keyboard('{Enter}');
    expect(fake.callsOf('message.send')).toEqual([]);
  });
});
