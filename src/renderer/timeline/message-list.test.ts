import { describe, expect, it } from 'vitest';
import { message } from '../test-support/fixtures';
import { insertEntry, newestSeq, oldestSeq, sameEntry, storedLength, visibleCount } from './message-list';

describe('the loaded window as a list', () => {
  it('inserts stored entries by seq before the outbox, and outbox entries at the end', () => {
    const pending = message('c', null, { clientId: '0190a000-0000-7000-8000-000000000001' });
    const list = [message('c', 2), message('c', 5), pending];
    insertEntry(list, message('c', 3));
    insertEntry(list, message('c', 9));
    insertEntry(list, message('c', 1));
    const later = message('c', null, { clientId: '0190a000-0000-7000-8000-000000000002' });
    insertEntry(list, later);
    expect(list.map((m) => m.seq ?? m.clientId)).toEqual([1, 2, 3, 5, 9, pending.clientId, later.clientId]);
    expect(storedLength(list)).toBe(5);
    expect([oldestSeq(list), newestSeq(list)]).toEqual([1, 9]);
  });

  it('matches a pending entry with its acked twin by client id, and stored entries by seq', () => {
    const pending = message('c', null, { clientId: '0190a000-0000-7000-8000-00000000000a' });
    expect(sameEntry(pending, { ...pending, seq: 7, state: 'sent' })).toBe(true);
    expect(sameEntry(message('c', 4), message('c', 4))).toBe(true);
    expect(sameEntry(message('c', 4), message('c', 5))).toBe(false);
    expect(sameEntry(pending, message('c', null, { clientId: '0190a000-0000-7000-8000-00000000000b' }))).toBe(false);
  });

  it('hides the oldest loaded entry while older ones exist (it only gives the next row its context)', () => {
    const list = [message('c', 1), message('c', 2)];
    expect(visibleCount(list, true)).toBe(1);
    expect(visibleCount(list, false)).toBe(2);
    expect(visibleCount([], true)).toBe(0);
    expect([oldestSeq([]), newestSeq([])]).toEqual([null, null]);
  });
});
