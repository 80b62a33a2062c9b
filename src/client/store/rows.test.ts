import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSystem } from './rows';
import { ME, conversation, system, tempStore, type TempStore } from './test-fixtures';

describe('parseSystem', () => {
  it('reads the events this version knows', () => {
    expect(parseSystem('{"event":"members.added","userIds":["u_a"]}')).toEqual({ event: 'members.added', userIds: ['u_a'] });
    expect(parseSystem(null)).toBeNull();
  });

  it('turns what it cannot read into null instead of throwing', () => {
    expect(parseSystem('{not json')).toBeNull();
    expect(parseSystem('{"event":"pinned"}')).toBeNull();
    expect(parseSystem('{"event":"renamed"}')).toBeNull();
    expect(parseSystem('42')).toBeNull();
  });
});

describe('stored system entries', () => {
  let t: TempStore;
  beforeEach(() => {
    t = tempStore();
    t.store.upsertConversations([conversation('c1')], ME);
  });
  afterEach(() => t.dispose());

  it('round-trip, and a damaged one does not break the page', () => {
    t.store.applyMessages([system('c1', 1, { event: 'created', title: null }), system('c1', 2, { event: 'member.removed', userId: 'u_x' })], ME);
    t.store.db.prepare("UPDATE messages SET system = '{\"event\":\"from-the-future\"}' WHERE seq = 2").run();
    expect(t.reopen().page('c1', { limit: 10 }).map((m) => [m.kind, m.body, m.system])).toEqual([
      ['system', null, { event: 'created', title: null }],
      ['system', null, null],
    ]);
  });
});
