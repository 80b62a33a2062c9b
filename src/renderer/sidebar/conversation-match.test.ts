import { describe, expect, it } from 'vitest';
import { conversation, member, ME } from '../test-support/fixtures';
import { filterConversations, fold, rankConversations } from './conversation-match';

const group = (id: string, title: string, lastActivityAt = 1, others: string[] = []) =>
  conversation(id, { kind: 'group', title, lastActivityAt, members: [member(ME), ...others.map((u) => member(u))] });

describe('fold', () => {
  it('ignores case and accents', () => {
    expect(fold('Zoë ÅNGSTRÖM José')).toBe('zoe angstrom jose');
  });
});

describe('filterConversations', () => {
  const list = [
    group('g1', 'Launch Plans', 3, ['u_bob']),
    conversation('zoe', { members: [member(ME), member('u_zoe', { displayName: 'Zoë Martin', username: 'zmartin' })] }),
    group('g2', 'Café crew', 1),
  ];

  it('keeps the given order and returns everything for an empty query', () => {
    expect(filterConversations(list, '  ', ME).map((c) => c.id)).toEqual(['g1', 'zoe', 'g2']);
  });

  it('matches titles, member names and usernames, case- and accent-insensitively', () => {
    expect(filterConversations(list, 'ZOE', ME).map((c) => c.id)).toEqual(['zoe']);
    expect(filterConversations(list, 'zmart', ME).map((c) => c.id)).toEqual(['zoe']);
    expect(filterConversations(list, 'cafe', ME).map((c) => c.id)).toEqual(['g2']);
    expect(filterConversations(list, 'bob', ME).map((c) => c.id)).toEqual(['g1']);
  });

  it('needs every word of the query and never matches on my own name', () => {
    expect(filterConversations(list, 'launch bob', ME).map((c) => c.id)).toEqual(['g1']);
    expect(filterConversations(list, 'launch zoe', ME)).toEqual([]);
    expect(filterConversations(list, 'me', ME)).toEqual([]);
  });
});

describe('rankConversations', () => {
  it('lists the most recent first for an empty query', () => {
    const list = [group('a', 'A', 1), group('b', 'B', 3), group('c', 'C', 2)];
    expect(rankConversations(list, '', ME).map((c) => c.id)).toEqual(['b', 'c', 'a']);
  });

  it('ranks exact > prefix > word start > substring > member match, ties by activity', () => {
    const list = [
      group('member', 'Other', 9, ['u_design']),
      group('substring', 'Redesigners', 8),
      group('word', 'Team design', 7),
      group('prefix-old', 'Design review', 1),
      group('prefix-new', 'Design sync', 5),
      group('exact', 'design', 0),
      group('none', 'Nothing', 10),
    ];
    expect(rankConversations(list, 'DESIGN', ME).map((c) => c.id)).toEqual(['exact', 'prefix-new', 'prefix-old', 'word', 'substring', 'member']);
  });

  it('counts a later word-start occurrence even after an earlier mid-word one', () => {
    const list = [group('x', 'redo do', 1), group('y', 'undo', 2)];
    expect(rankConversations(list, 'do', ME).map((c) => c.id)).toEqual(['x', 'y']);
  });

  it('honours the limit', () => {
    const list = Array.from({ length: 80 }, (_, i) => group(`g${i}`, `Group ${i}`, i));
    expect(rankConversations(list, 'group', ME, 10)).toHaveLength(10);
  });
});
