import { describe, expect, it } from 'vitest';
import { conversation, member, message, ME } from '../test-support/fixtures';
import { itemLabel, previewOf, singleLine, typingHint } from './preview';

const group = conversation('g', {
  kind: 'group',
  title: 'Team',
  members: [member(ME), member('u_ann', { displayName: 'Ann Lee' }), member('u_bob')],
});

describe('previewOf', () => {
  it('says when there is nothing yet', () => {
    expect(previewOf(conversation('a'), ME).text).toBe('No messages yet');
  });

  it('prefixes my messages with "You:" and group messages with the sender’s first name', () => {
    expect(previewOf({ ...group, lastMessage: message('g', 1, { senderId: ME, body: 'hi' }) }, ME).text).toBe('You: hi');
    expect(previewOf({ ...group, lastMessage: message('g', 1, { senderId: 'u_ann', body: 'hello' }) }, ME).text).toBe('Ann: hello');
    expect(previewOf({ ...group, lastMessage: message('g', 1, { senderId: 'u_gone', body: 'x' }) }, ME).text).toBe('Someone: x');
    const direct = conversation('a', { lastMessage: message('a', 1, { senderId: 'u_a', body: 'yo' }) });
    expect(previewOf(direct, ME).text).toBe('yo');
  });

  it('hides the text of someone I blocked, never my own', () => {
    const blocked = (id: string) => id === 'u_ann' || id === ME;
    expect(previewOf({ ...group, lastMessage: message('g', 1, { senderId: 'u_ann', body: 'spam' }) }, ME, blocked).text).toBe('Message from someone you blocked');
    expect(previewOf({ ...group, lastMessage: message('g', 1, { senderId: ME, body: 'mine' }) }, ME, blocked).text).toBe('You: mine');
  });

  it('says who declined a request or an invitation', () => {
    const declined = message('g', 3, { kind: 'system', body: null, senderId: 'u_ann', system: { event: 'request.declined' } });
    expect(previewOf({ ...group, lastMessage: declined }, ME).text).toBe('Ann Lee declined the invitation');
    // In a DM the person who declined is gone, and so is their name.
    const direct = conversation('d', { members: [member(ME)], lastMessage: { ...declined, conversationId: 'd' } });
    expect(previewOf(direct, ME).text).toBe('Your request was declined');
    expect(previewOf({ ...direct, members: [member(ME), member('u_ann', { displayName: 'Ann Lee' })] }, ME).text).toBe('Ann Lee declined your request');
  });

  it('describes system entries', () => {
    const c = { ...group, lastMessage: message('g', 2, { kind: 'system', body: null, senderId: 'u_ann', system: { event: 'members.added', userIds: ['u_bob'] } }) };
    expect(previewOf(c, ME).text).toBe('Ann Lee added bob');
  });

  it('flags pending and failed messages', () => {
    expect(previewOf({ ...group, lastMessage: message('g', null, { senderId: ME }) }, ME)).toMatchObject({ pending: true, failed: false });
    expect(previewOf({ ...group, lastMessage: message('g', null, { senderId: ME, state: 'failed' }) }, ME)).toMatchObject({ pending: false, failed: true });
  });

  it('keeps hostile text as one line of text', () => {
    const body = '<img src=x onerror=alert(1)>\nline two\r\n\u2028three\t four';
    expect(previewOf({ ...group, lastMessage: message('g', 1, { senderId: 'u_bob', body }) }, ME).text).toBe('bob: <img src=x onerror=alert(1)> line two three four');
  });
});

describe('singleLine', () => {
  it('cuts long text with an ellipsis without splitting a surrogate pair', () => {
    expect(singleLine('a'.repeat(10), 5)).toBe('aaaaa…');
    expect(singleLine('😀😀😀', 2)).toBe('😀😀…');
  });
});

describe('typingHint', () => {
  it('is "typing…" in a direct chat and names people in a group, never me', () => {
    expect(typingHint(conversation('a'), ['u_a'], ME)).toBe('typing…');
    expect(typingHint(group, ['u_ann', ME], ME)).toBe('Ann is typing…');
    expect(typingHint(group, [ME], ME)).toBeNull();
    expect(typingHint(group, undefined, ME)).toBeNull();
  });
});

describe('itemLabel', () => {
  it('includes the title, unread count and preview', () => {
    expect(itemLabel({ title: 'Ann', muted: true, unread: 3, line: 'hi', pending: false, failed: false, time: '10:00' })).toBe('Ann, muted, 3 unread messages, hi, 10:00');
    expect(itemLabel({ title: 'Ann', muted: false, unread: 1, line: 'hi', pending: true, failed: false, time: '10:00' })).toBe('Ann, 1 unread message, Sending: hi, 10:00');
  });
});
