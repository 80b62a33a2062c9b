import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DraftsStore } from './drafts-store';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

describe('DraftsStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps drafts per account and conversation across a new window', () => {
    const storage = memoryStorage();
    const drafts = new DraftsStore(storage);
    drafts.useAccount('u_ann');
    drafts.setDraft('c1', 'half a thought');
    drafts.setDraft('c2', 'another');
    drafts.setDraft('c2', '');
    vi.advanceTimersByTime(1000);
    const reopened = new DraftsStore(storage);
    reopened.useAccount('u_ann');
    expect(reopened.get('c1')).toBe('half a thought');
    expect(reopened.get('c2')).toBe('');
    reopened.useAccount('u_bob');
    expect(reopened.get('c1')).toBe('');
  });

  it('saves a pending change when the account switches, and forgets an account on sign-out', () => {
    const storage = memoryStorage();
    const drafts = new DraftsStore(storage);
    drafts.useAccount('u_ann');
    drafts.setDraft('c1', 'unsaved yet');
    drafts.useAccount(null);
    expect(storage.map.get('courier.drafts.u_ann')).toContain('unsaved yet');
    drafts.clearAccount('u_ann');
    expect(storage.map.size).toBe(0);
  });

  it('ignores damaged storage instead of failing', () => {
    const storage = memoryStorage();
    storage.map.set('courier.drafts.u_ann', '{not json');
    const drafts = new DraftsStore(storage);
    drafts.useAccount('u_ann');
    expect(drafts.get('c1')).toBe('');
  });
});
