import { describe, expect, it } from 'vitest';
import { ME, conversation, member, message } from '../test-support/fixtures';
import type { LocalMessage } from '../state/types';
import { buildRows, GROUP_GAP_MS, ownState } from './rows';

const C = 'c1';
const T0 = new Date(2024, 2, 4, 10, 0).getTime();
const at = (seq: number, minutes: number, over: Partial<LocalMessage> = {}) => message(C, seq, { ts: T0 + minutes * 60_000, ...over });
const opts = { myUserId: ME, unreadSeq: null, skipFirst: false };

describe('buildRows', () => {
  it('groups consecutive text messages of one sender within five minutes', () => {
    const rows = buildRows(
      [
        at(1, 0),
        at(2, 1),
        at(3, 1 + GROUP_GAP_MS / 60_000), // five minutes later: a new group
        at(4, 7, { senderId: ME, clientId: 'k4' }),
        at(5, 7.5, { senderId: ME, clientId: 'k5' }),
        at(6, 8, { kind: 'system', body: null, system: { event: 'member.left' } }),
        at(7, 8.5, { senderId: ME }),
      ],
      opts,
    );
    expect(rows.map((r) => r.groupStart)).toEqual([true, false, true, true, false, true, true]);
    expect(rows.map((r) => r.own)).toEqual([false, false, false, true, true, false, true]);
    expect(rows.map((r) => r.key).slice(2, 5)).toEqual(['s:3', 'c:k4', 'c:k5']);
  });

  it('puts a day separator before the first message of each day and breaks groups there', () => {
    const rows = buildRows([at(1, 0), at(2, 14 * 60 - 2), at(3, 14 * 60 + 1), at(4, 14 * 60 + 2)], opts);
    expect(rows.map((r) => r.dayStart)).toEqual([true, false, true, false]);
    // 23:58 and 00:01 are three minutes apart, but on different days.
    expect(rows.map((r) => r.groupStart)).toEqual([true, true, true, false]);
  });

  it('puts the unread divider before its message and starts a group there', () => {
    const rows = buildRows([at(1, 0), at(2, 1), at(3, 2)], { ...opts, unreadSeq: 2 });
    expect(rows.map((r) => r.unreadStart)).toEqual([false, true, false]);
    expect(rows.map((r) => r.groupStart)).toEqual([true, true, false]);
  });

  it('with skipFirst, the first message is context: the rows after it render as they will once older pages load', () => {
    const all = [at(1, 0), at(2, 1), at(3, 2), at(4, 3)];
    const full = buildRows(all, opts);
    const partial = buildRows(all.slice(1), { ...opts, skipFirst: true });
    expect(partial).toEqual(full.slice(2));
    expect(partial[0]).toMatchObject({ dayStart: false, groupStart: false });
    expect(buildRows(all.slice(0, 1), { ...opts, skipFirst: true })).toEqual([]);
    // Rows keep the message objects (memoised row components compare them by identity).
    expect(full[1]?.message).toBe(all[1]);
  });
});

describe('ownState', () => {
  const group = (a: [number, number], b: [number, number]) =>
    conversation(C, {
      kind: 'group',
      members: [member(ME, { deliveredSeq: 0, readSeq: 0 }), member('u_a', { deliveredSeq: a[0], readSeq: a[1] }), member('u_b', { deliveredSeq: b[0], readSeq: b[1] })],
    });
  const mine = (over: Partial<LocalMessage> = {}) => message(C, 10, { senderId: ME, clientId: 'k', ...over });

  it('is sent until every other member has it, delivered then, read when every other member has seen it', () => {
    expect(ownState(mine(), group([9, 0], [10, 10]), ME)).toBe('sent');
    expect(ownState(mine(), group([10, 0], [12, 10]), ME)).toBe('delivered');
    expect(ownState(mine(), group([10, 10], [12, 9]), ME)).toBe('delivered');
    expect(ownState(mine(), group([10, 10], [12, 11]), ME)).toBe('read');
  });

  it('passes pending and failed through, and says nothing for others or system entries', () => {
    expect(ownState(mine({ seq: null, state: 'pending' }), group([99, 99], [99, 99]), ME)).toBe('pending');
    expect(ownState(mine({ seq: null, state: 'failed' }), group([99, 99], [99, 99]), ME)).toBe('failed');
    expect(ownState(message(C, 10), group([99, 99], [99, 99]), ME)).toBeNull();
    expect(ownState(mine({ kind: 'system', body: null, system: { event: 'member.left' } }), group([99, 99], [99, 99]), ME)).toBeNull();
    // A note to myself has nobody else to deliver to.
    expect(ownState(mine(), conversation(C, { members: [member(ME, { readSeq: 99 })] }), ME)).toBe('sent');
  });

  it('marks text from blocked people (never mine, never system entries) and breaks groups around them', () => {
    const rows = buildRows(
      [at(1, 0), at(2, 0.5, { senderId: 'u_mal' }), at(3, 1), at(4, 1.5, { senderId: 'u_mal', kind: 'system', body: null, system: { event: 'member.left' } })],
      { ...opts, blocked: new Set(['u_mal', ME]) },
    );
    expect(rows.map((r) => r.blocked)).toEqual([false, true, false, false]);
    expect(rows.map((r) => r.groupStart)).toEqual([true, true, true, true]);
    expect(buildRows([at(5, 0, { senderId: ME })], { ...opts, blocked: new Set([ME]) })[0]!.blocked).toBe(false);
  });
});
