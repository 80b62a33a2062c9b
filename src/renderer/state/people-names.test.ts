import { afterEach, describe, expect, it, vi } from 'vitest';
import { conversation, member, ME } from '../test-support/fixtures';
import { FakeCourier } from '../test-support/fake-courier';
import { conversationTitle } from '../format/names';
import { ConversationsStore } from './conversations-store';
import { named, PeopleNames } from './people-names';

afterEach(() => vi.restoreAllMocks());

const alice = member('u_alice', { username: 'alice', displayName: 'Alice' });
const alice2 = member('u_alice2', { username: 'alice2', displayName: 'Аlice' }); // Cyrillic А
const bob = member('u_bob', { username: 'bob', displayName: null });
const robert = member('u_robert', { username: 'robert', displayName: 'bob' });
const me = member(ME, { username: 'me', displayName: 'Mia' });

const group = conversation('g', { kind: 'group', title: 'Team', members: [me, alice, alice2, bob, robert] });
const dmAlice = conversation('d_alice', { members: [me, alice] });
const dmAlice2 = conversation('d_alice2', { members: [me, alice2] });

describe('PeopleNames', () => {
  it('gives the handle to the members whose shown names collide, and to no one else', () => {
    const people = new PeopleNames();
    people.set(group);
    const names = people.of(group, ME);
    expect(names.text('u_alice')).toBe('Alice (@alice)');
    expect(names.text('u_alice2')).toBe('Аlice (@alice2)');
    // A username without a display name meets a display name equal to it.
    expect(names.text('u_bob')).toBe('bob (@bob)');
    expect(names.text('u_robert')).toBe('bob (@robert)');
    expect(names.text(ME)).toBe('You');
    expect(names.member(ME)?.text).toBe('Mia');
    expect(names.text('u_gone')).toBe('Someone');
    expect(names.of('u_alice2')).toEqual({ name: 'Аlice', handle: 'alice2', text: 'Аlice (@alice2)' });
  });

  it('hands out the same names, without a single skeleton, while only read marks change', () => {
    const people = new PeopleNames();
    people.set(group);
    const first = people.of(group, ME);
    const shownAlice = first.of('u_alice');
    const normalize = vi.spyOn(String.prototype, 'normalize');
    const receipt = { ...group, members: group.members.map((m) => ({ ...m, readSeq: m.readSeq + 5, deliveredSeq: m.deliveredSeq + 5 })) };
    people.set(receipt);
    const again = people.of(receipt, ME);
    expect(again).toBe(first);
    expect(again.of('u_alice')).toBe(shownAlice);
    expect(again.text('u_alice2')).toBe('Аlice (@alice2)');
    expect(normalize).not.toHaveBeenCalled();
    // A rename is a change: new names, the collision gone.
    normalize.mockRestore();
    const renamed = { ...group, members: [me, alice, { ...alice2, displayName: 'Alicia' }, bob, robert] };
    people.set(renamed);
    const after = people.of(renamed, ME);
    expect(after).not.toBe(first);
    expect(after.text('u_alice')).toBe('Alice');
    expect(after.text('u_alice2')).toBe('Alicia');
  });

  it('names an older snapshot still on screen on its own, without turning the index back', () => {
    const people = new PeopleNames();
    people.set(dmAlice);
    people.set(dmAlice2);
    const renamed = { ...dmAlice2, members: [me, { ...alice2, displayName: 'Alicia' }] };
    people.set(renamed);
    // A reader still holding the old snapshot sees its own names...
    expect(people.of(dmAlice2, ME).text('u_alice2')).toBe('Аlice (@alice2)');
    // ...and the list is as the store last said: nobody looks like Alice any more.
    expect(conversationTitle(dmAlice, people.of(dmAlice, ME))).toBe('Alice');
    expect(conversationTitle(renamed, people.of(renamed, ME))).toBe('Alicia');
  });

  it('names a direct chat with the handle when its person looks like someone in another conversation', () => {
    const people = new PeopleNames();
    people.set(dmAlice);
    expect(conversationTitle(dmAlice, people.of(dmAlice, ME))).toBe('Alice');
    // Two direct chats titled "Alice" would look the same in the sidebar.
    people.set(dmAlice2);
    expect(conversationTitle(dmAlice, people.of(dmAlice, ME))).toBe('Alice (@alice)');
    expect(conversationTitle(dmAlice2, people.of(dmAlice2, ME))).toBe('Аlice (@alice2)');
    // Inside the chat, its person is named as its title names them.
    expect(people.of(dmAlice2, ME).text('u_alice2')).toBe('Аlice (@alice2)');
    people.delete('d_alice2');
    expect(conversationTitle(dmAlice, people.of(dmAlice, ME))).toBe('Alice');
    // Someone met only in a group counts too: an impostor's DM with the real one in a group.
    people.set(conversation('g2', { kind: 'group', title: 'Book club', members: [me, alice] }));
    people.set(dmAlice2);
    expect(conversationTitle(dmAlice2, people.of(dmAlice2, ME))).toBe('Аlice (@alice2)');
    // Someone who takes my own name.
    const mimic = conversation('d_mimic', { members: [me, member('u_mimic', { username: 'mimic', displayName: 'Mia' })] });
    people.set(mimic);
    expect(conversationTitle(mimic, people.of(mimic, ME))).toBe('Mia (@mimic)');
  });

  it('never lets a member pass for "You" or "Someone" in what the screen says', () => {
    const people = new PeopleNames();
    const c = conversation('g', { kind: 'group', title: 'T', members: [me, member('u_you', { username: 'youu', displayName: 'Yоu' }), member('u_someone', { username: 'someone', displayName: null })] });
    people.set(c);
    const names = people.of(c, ME);
    expect(names.text('u_you')).toBe('Yоu (@youu)');
    expect(names.text('u_someone')).toBe('someone (@someone)');
  });

  it('marks search results that look alike, or like someone the user shares a conversation with', () => {
    const people = new PeopleNames();
    people.set(dmAlice);
    const results = [
      { id: 'u_alice2', username: 'alice2', displayName: 'Аlice' },
      { id: 'u_carol', username: 'carol', displayName: 'Carol' },
      { id: 'u_karol', username: 'karol', displayName: 'CaroI' }, // capital I for l
      { id: 'u_alice', username: 'alice', displayName: 'Alice' },
    ];
    expect([...people.among(results)].sort()).toEqual(['u_alice', 'u_alice2', 'u_carol', 'u_karol']);
    expect([...people.among([results[0]!])]).toEqual(['u_alice2']);
    expect([...people.among([results[3]!])]).toEqual([]);
    expect(people.standalone(named(results[0]!)).text).toBe('Аlice (@alice2)');
  });
});

describe('ConversationsStore keeps the names in step', () => {
  it('follows the list, its changes and its removals, and forgets everything when cleared', async () => {
    const fake = new FakeCourier().handle('conversations.list', () => [dmAlice]);
    const store = new ConversationsStore(fake);
    await store.load();
    expect(conversationTitle(dmAlice, store.names.of(store.get('d_alice'), ME))).toBe('Alice');
    fake.emit('conversations.changed', { conversations: [dmAlice2] });
    expect(conversationTitle(dmAlice, store.names.of(store.get('d_alice'), ME))).toBe('Alice (@alice)');
    fake.emit('conversation.removed', { conversationId: 'd_alice2' });
    expect(conversationTitle(dmAlice, store.names.of(store.get('d_alice'), ME))).toBe('Alice');
    fake.emit('conversations.changed', { conversations: [dmAlice2] });
    store.clear();
    expect(store.names.among([{ id: 'u_alice', username: 'alice', displayName: 'Alice' }]).size).toBe(0);
    store.dispose();
  });
});
