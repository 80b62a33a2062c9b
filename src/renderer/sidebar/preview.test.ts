import { describe, expect, it } from 'vitest';
import { conversation, member, message, ME } from '../test-support/fixtures';
import { PeopleNames } from '../state/people-names';
import type { LocalConversation } from '../state/types';
import { itemLabel, previewOf, singleLine, typingHint } from './preview';

const people = new PeopleNames();
const pv = (c: LocalConversation, blocked?: (id: string) => boolean) => previewOf(c, people.of(c, ME), blocked);
const th = (c: LocalConversation, typing: readonly string[] | undefined) => typingHint(c, typing, people.of(c, ME));

const group = conversation('g', {
  kind: 'group',
  title: 'Team',
  members: [member(ME), member('u_ann', { displayName: 'Ann Lee' }), member('u_bob')],
});

describe('previewOf', () => {
  it('says when there is nothing yet', () => {
    expect(pv(conversation('a')).text).toBe('No messages yet');
  });

  it('prefixes my messages with "You:" and group messages with the sender’s first name', () => {
    expect(pv({ ...group, lastMessage: message('g', 1, { senderId: ME, body: 'hi' }) }).text).toBe('You: hi');
    expect(pv({ ...group, lastMessage: message('g', 1, { senderId: 'u_ann', body: 'hello' }) }).text).toBe('Ann: hello');
    expect(pv({ ...group, lastMessage: message('g', 1, { senderId: 'u_gone', body: 'x' }) }).text).toBe('Someone: x');
    const direct = conversation('a', { lastMessage: message('a', 1, { senderId: 'u_a', body: 'yo' }) });
    expect(pv(direct).text).toBe('yo');
  });

  it('hides the text of someone I blocked, never my own', () => {
    const blocked = (id: string) => id === 'u_ann' || id === ME;
    expect(pv({ ...group, lastMessage: message('g', 1, { senderId: 'u_ann', body: 'spam' }) }, blocked).text).toBe('Message from someone you blocked');
    expect(pv({ ...group, lastMessage: message('g', 1, { senderId: ME, body: 'mine' }) }, blocked).text).toBe('You: mine');
  });

  it('says who declined a request or an invitation', () => {
    const declined = message('g', 3, { kind: 'system', body: null, senderId: 'u_ann', system: { event: 'request.declined' } });
    expect(pv({ ...group, lastMessage: declined }).text).toBe('Ann Lee declined the invitation');
    // In a DM the person who declined is gone, and so is their name.
    const direct = conversation('d', { members: [member(ME)], lastMessage: { ...declined, conversationId: 'd' } });
    expect(pv(direct).text).toBe('Your request was declined');
    expect(pv({ ...direct, members: [member(ME), member('u_ann', { displayName: 'Ann Lee' })] }).text).toBe('Ann Lee declined your request');
  });

  it('describes system entries', () => {
    const c = { ...group, lastMessage: message('g', 2, { kind: 'system', body: null, senderId: 'u_ann', system: { event: 'members.added', userIds: ['u_bob'] } }) };
    expect(pv(c).text).toBe('Ann Lee added bob');
  });

  it('flags pending and failed messages', () => {
    expect(pv({ ...group, lastMessage: message('g', null, { senderId: ME }) })).toMatchObject({ pending: true, failed: false });
    expect(pv({ ...group, lastMessage: message('g', null, { senderId: ME, state: 'failed' }) })).toMatchObject({ pending: false, failed: true });
  });

  it('keeps hostile text as one line of text', () => {
    const body = '<img src=x onerror=alert(1)>\nline two\r\n\u2028three\t four';
    expect(pv({ ...group, lastMessage: message('g', 1, { senderId: 'u_bob', body }) }).text).toBe('bob: <img src=x onerror=alert(1)> line two three four');
  });
});

describe('look-alike names in the sidebar', () => {
  const lookalikes = conversation('g2', {
    kind: 'group',
    title: 'Team',
    members: [member(ME), member('u_alice', { displayName: 'Alice' }), member('u_alice2', { displayName: 'Аlice' }), member('u_you', { displayName: 'Yоu' })], // Cyrillic А, о
  });

  it('names the sender, the people of a system entry and who types with their handles', () => {
    expect(pv({ ...lookalikes, lastMessage: message('g2', 1, { senderId: 'u_alice2', body: 'send me the code' }) }).text).toBe('Аlice (@alice2): send me the code');
    // Someone called "You" cannot pass for me.
    expect(pv({ ...lookalikes, lastMessage: message('g2', 1, { senderId: 'u_you', body: 'hi' }) }).text).toBe('Yоu (@you): hi');
    const added = message('g2', 2, { kind: 'system', body: null, senderId: 'u_alice', system: { event: 'members.added', userIds: ['u_alice2'] } });
    expect(pv({ ...lookalikes, lastMessage: added }).text).toBe('Alice (@alice) added Аlice (@alice2)');
    expect(th(lookalikes, ['u_alice2'])).toBe('Аlice (@alice2) is typing…');
  });

  it('shows the whole name where the first name alone would be the same as another member’s', () => {
    const c = conversation('g3', {
      kind: 'group',
      title: 'Team',
      members: [member(ME), member('u_as', { displayName: 'Alice Smith' }), member('u_aj', { displayName: 'Аlice Jones' }), member('u_bo', { displayName: 'Bob Lee' })], // Cyrillic А
    });
    expect(pv({ ...c, lastMessage: message('g3', 1, { senderId: 'u_aj', body: 'hi' }) }).text).toBe('Аlice Jones: hi');
    expect(pv({ ...c, lastMessage: message('g3', 1, { senderId: 'u_bo', body: 'hi' }) }).text).toBe('Bob: hi');
    expect(th(c, ['u_as', 'u_bo'])).toBe('Alice Smith and Bob are typing…');
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
    expect(th(conversation('a'), ['u_a'])).toBe('typing…');
    expect(th(group, ['u_ann', ME])).toBe('Ann is typing…');
    expect(th(group, [ME])).toBeNull();
    expect(th(group, undefined)).toBeNull();
  });
});

describe('itemLabel', () => {
  it('includes the title, unread count and preview', () => {
    expect(itemLabel({ title: 'Ann', muted: true, unread: 3, line: 'hi', pending: false, failed: false, time: '10:00' })).toBe('Ann, muted, 3 unread messages, hi, 10:00');
    expect(itemLabel({ title: 'Ann', muted: false, unread: 1, line: 'hi', pending: true, failed: false, time: '10:00' })).toBe('Ann, 1 unread message, Sending: hi, 10:00');
  });
});
