import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ME, conversation, seqs, tempStore, texts, type TempStore } from './test-fixtures';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
  t.store.upsertConversations([conversation('c1'), conversation('c2')], ME);
  t.store.applyMessages(texts('c1', 1, 100), ME);
  t.store.applyMessages(texts('c2', 1, 5), ME);
});
afterEach(() => t.dispose());

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('page', () => {
  it('without beforeSeq: the newest entries, oldest first', () => {
    expect(seqs(t.store.page('c1', { limit: 5 }))).toEqual([96, 97, 98, 99, 100]);
  });

  it('with beforeSeq: the entries just before it', () => {
    expect(seqs(t.store.page('c1', { beforeSeq: 50, limit: 5 }))).toEqual([45, 46, 47, 48, 49]);
    expect(seqs(t.store.page('c1', { beforeSeq: 3, limit: 5 }))).toEqual([1, 2]);
    expect(seqs(t.store.page('c1', { beforeSeq: 1, limit: 5 }))).toEqual([]);
  });

  it('stays within its conversation', () => {
    expect(seqs(t.store.page('c2', { limit: 50 }))).toEqual([1, 2, 3, 4, 5]);
    expect(t.store.page('nope', { limit: 50 })).toEqual([]);
  });

  it('returns nothing for a limit of zero or less', () => {
    expect(t.store.page('c1', { limit: 0 })).toEqual([]);
    expect(t.store.page('c1', { limit: -1 })).toEqual([]);
  });
});

describe('around', () => {
  it('centres on the seq', () => {
    expect(seqs(t.store.around('c1', 50, 6))).toEqual(range(47, 52));
    expect(seqs(t.store.around('c1', 50, 5))).toEqual(range(48, 52));
  });

  it('fills from the other side near either end', () => {
    expect(seqs(t.store.around('c1', 2, 6))).toEqual(range(1, 6));
    expect(seqs(t.store.around('c1', 99, 6))).toEqual(range(95, 100));
    expect(seqs(t.store.around('c2', 3, 50))).toEqual(range(1, 5));
  });

  it('works for a seq that is not stored', () => {
    expect(seqs(t.store.around('c1', 500, 4))).toEqual(range(97, 100));
    expect(t.store.around('c1', 50, 0)).toEqual([]);
  });
});

describe('oldestSeq', () => {
  it('is the lowest stored seq, or null', () => {
    expect(t.store.oldestSeq('c1')).toBe(1);
    t.store.upsertConversations([conversation('c3')], ME);
    expect(t.store.oldestSeq('c3')).toBeNull();
    t.store.applyMessages(texts('c3', 40, 3), ME);
    expect(t.store.oldestSeq('c3')).toBe(40);
  });
});
