import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY_SLOTS } from './hot-queries';
import { SearchKeys } from './search-keys';
import { ME, conversation, tempStore, text, type TempStore } from './test-fixtures';

let t: TempStore;
let keys: SearchKeys;
beforeEach(() => {
  t = tempStore();
  t.store.upsertConversations([conversation('c1')], ME);
  keys = new SearchKeys(t.store.db);
});
afterEach(() => t.dispose());

const storedKeys = () => t.store.db.prepare('SELECT id FROM messages ORDER BY seq').pluck().all() as number[];

describe('SearchKeys', () => {
  it('orders keys by time, then by arrival within a millisecond', () => {
    expect(keys.allocate([5, 3, 5, 4])).toEqual([5 * KEY_SLOTS, 3 * KEY_SLOTS, 5 * KEY_SLOTS + 1, 4 * KEY_SLOTS]);
  });

  it('continues after keys already stored, also for older timestamps', () => {
    t.store.applyMessages([text('c1', 1, { ts: 100 }), text('c1', 2, { ts: 100 }), text('c1', 3, { ts: 200 })], ME);
    expect(storedKeys()).toEqual([100 * KEY_SLOTS, 100 * KEY_SLOTS + 1, 200 * KEY_SLOTS]);
    expect(keys.allocate([100, 150, 200])).toEqual([100 * KEY_SLOTS + 2, 150 * KEY_SLOTS, 200 * KEY_SLOTS + 1]);
  });

  it('spills a full millisecond into the next one without reusing a key', () => {
    const many = keys.allocate(Array.from({ length: KEY_SLOTS + 2 }, () => 7));
    expect(new Set(many).size).toBe(KEY_SLOTS + 2);
    expect(many.at(-1)).toBe(8 * KEY_SLOTS + 1);
  });

  it('keeps absurd timestamps exact', () => {
    const [key] = keys.allocate([Number.MAX_SAFE_INTEGER]);
    expect(Number.isSafeInteger(key)).toBe(true);
    expect(keys.allocate([-5])).toEqual([0]);
  });
});
