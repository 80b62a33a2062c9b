import { describe, expect, it } from 'vitest';
import { ambiguousPeople, imitatesHandle, NameIndex, nameWithHandle, skeleton, skeletons } from './confusable';

const person = (userId: string, username: string, displayName: string | null) => ({ userId, username, displayName });

describe('confusable names (UTS #39 skeletons)', () => {
  it('maps look-alikes across scripts, case and invisible characters to one skeleton', () => {
    expect(skeleton('Аlice')).toBe(skeleton('Alice')); // Cyrillic А
    expect(skeleton('аlісе')).toBe(skeleton('alice')); // Cyrillic а, і, с, е
    expect(skeleton('ΑLICE')).toBe(skeleton('alice')); // Greek Α, any case
    expect(skeleton('Bo\u200Bb')).toBe(skeleton('Bob'));
    expect(skeleton('rn')).toBe(skeleton('m'));
    expect(skeletons('Ian')[0]).toBe(skeletons('lan')[0]); // capital I and small L, as written
    expect(skeleton('Zoe\u0301')).toBe(skeleton('Zoé'));
    expect(skeleton('Alice')).not.toBe(skeleton('Alina'));
  });

  it('flags every member whose shown name collides with another one, display name or username', () => {
    const people = [
      person('u1', 'alice', 'Alice'),
      person('u2', 'alice2', 'Аlice'),
      person('u3', 'bob', null),
      person('u4', 'robert', 'bob'),
      person('u5', 'carol', 'Carol'),
      person('u6', 'ian', 'Ian'),
      person('u7', 'lan', 'lan'),
    ];
    const ambiguous = ambiguousPeople(people);
    expect([...ambiguous].sort()).toEqual(['u1', 'u2', 'u3', 'u4', 'u6', 'u7']);
    expect(nameWithHandle(people[1]!, ambiguous)).toBe('Аlice (@alice2)');
    expect(nameWithHandle(people[4]!, ambiguous)).toBe('Carol');
  });
});

describe('names that imitate what the UI adds or says', () => {
  it('flags a name with an @ in it, alone or not, so "Alice (@alice)" cannot pass for Alice with her handle', () => {
    expect(imitatesHandle('Alice (@alice)')).toBe(true);
    expect(imitatesHandle('Alice (＠alice)')).toBe(true); // full-width @
    expect(imitatesHandle('Alice')).toBe(false);
    const forger = person('u9', 'mallory', 'Alice (@alice)');
    expect([...ambiguousPeople([forger, person('u1', 'alice', 'Alice')])]).toEqual(['u9']);
    expect(nameWithHandle(forger, ambiguousPeople([forger]))).toBe('Alice (@alice) (@mallory)');
  });

  it('flags a name that could pass for a reserved word such as "You"', () => {
    const people = [person('u1', 'you', null), person('u2', 'yu', 'Yоu'), person('u3', 'ann', 'Ann')]; // Cyrillic о
    expect([...ambiguousPeople(people, { reserved: ['You'] })].sort()).toEqual(['u1', 'u2']);
    expect([...ambiguousPeople([person('u3', 'ann', 'Ann')], { reserved: ['You'] })]).toEqual([]);
  });
});

describe('NameIndex', () => {
  const alice = person('u_alice', 'alice', 'Alice');
  const alice2 = person('u_alice2', 'alice2', 'Аlice'); // Cyrillic А
  const bob = person('u_bob', 'bob', null);
  const me = person('u_me', 'me', 'Mia');

  it('computes a conversation’s ambiguity once and keeps it while its members’ names stay the same', () => {
    const index = new NameIndex();
    const members = [me, alice, alice2, bob];
    const first = index.set('g', members);
    expect([...first.ambiguous].sort()).toEqual(['u_alice', 'u_alice2']);
    // The same array, or a new snapshot whose names are equal (read marks moved): the same entry and set.
    expect(index.set('g', members)).toBe(first);
    const again = index.set(
      'g',
      members.map((m) => ({ ...m, readSeq: 9 })),
    );
    expect(again).toBe(first);
    expect(again.ambiguous).toBe(first.ambiguous);
    // A rename is a change.
    const renamed = index.set('g', [me, alice, { ...alice2, displayName: 'Alicia' }, bob]);
    expect(renamed).not.toBe(first);
    expect(renamed.ambiguous.size).toBe(0);
    expect(renamed.byId.get('u_alice2')?.displayName).toBe('Alicia');
  });

  it('peeks without changing anything: an older snapshot is not the entry', () => {
    const index = new NameIndex();
    const before = [me, alice, alice2];
    const entry = index.set('g', before);
    expect(index.peek('g', before)).toBe(entry);
    expect(index.peek('g', before.map((m) => ({ ...m })))).toBe(entry);
    const after = [me, alice, { ...alice2, displayName: 'Alicia' }];
    index.set('g', after);
    expect(index.peek('g', before)).toBeUndefined();
    expect(index.get('g')?.ambiguous.size).toBe(0);
    expect(index.peek('other', before)).toBeUndefined();
  });

  it('caches the skeletons of each name', () => {
    const index = new NameIndex();
    expect(index.keys('Alice')).toBe(index.keys('Alice'));
    expect(index.keys('Аlice')).toEqual(index.keys('Alice'));
  });

  it('tells whether a name collides with anyone in any conversation, and forgets conversations', () => {
    const index = new NameIndex(['You']);
    index.set('d1', [me, alice]);
    index.set('d2', [me, bob]);
    expect(index.collides(alice)).toBe(false);
    expect(index.collides(me)).toBe(false);
    // Another direct chat, with someone named the same: both titles need the handle.
    index.set('d3', [me, alice2]);
    expect(index.collides(alice)).toBe(true);
    expect(index.collides(alice2)).toBe(true);
    expect(index.get('d3')?.ambiguous.size).toBe(0);
    // Someone met only in a group counts too; in several conversations they are still one person.
    index.delete('d3');
    expect(index.collides(alice)).toBe(false);
    index.set('g', [me, alice, bob, person('u_bobby', 'bobby', 'bob')]);
    expect(index.collides(bob)).toBe(true);
    expect(index.collides(alice)).toBe(false);
    // Someone not in the index (a search result) collides with whoever is.
    expect(index.collides(person('u_new', 'newalice', 'ALICE'))).toBe(true);
    expect(index.collides(person('u_new', 'you2', 'you'))).toBe(true);
    expect(index.collides(person('u_new', 'x', 'Alice (@alice)'))).toBe(true);
    index.clear();
    expect(index.collides(bob)).toBe(false);
    expect(index.get('g')).toBeUndefined();
  });
});
