import type { LocalMessage } from '../state/types';

/**
 * The timeline's loaded window as a list: stored entries in seq order, then the outbox
 * (seq null) in compose order. Pure helpers, shared by the store and its tests.
 */

/** How many entries the view shows (the first is hidden context while older ones exist). */
export function visibleCount(messages: readonly LocalMessage[], hasOlder: boolean): number {
  return hasOlder && messages.length > 0 ? messages.length - 1 : messages.length;
}

export function sameEntry(a: LocalMessage, b: LocalMessage): boolean {
  if (a.clientId !== null && b.clientId !== null) return a.clientId === b.clientId;
  return a.seq !== null && a.seq === b.seq;
}

/** Index of the first outbox entry (seq null), i.e. the length of the stored prefix. */
export function storedLength(messages: readonly LocalMessage[]): number {
  let i = messages.length;
  while (i > 0 && messages[i - 1]?.seq === null) i--;
  return i;
}

/** Position for a stored entry with `seq` among the stored prefix (binary search). */
function insertionPoint(messages: readonly LocalMessage[], end: number, seq: number): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid]?.seq ?? 0) < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Puts an entry where it belongs: stored ones by seq, outbox entries at the end. */
export function insertEntry(list: LocalMessage[], m: LocalMessage): void {
  if (m.seq === null) {
    list.push(m);
    return;
  }
  list.splice(insertionPoint(list, storedLength(list), m.seq), 0, m);
}

export function oldestSeq(messages: readonly LocalMessage[]): number | null {
  return messages[0]?.seq ?? null;
}

export function newestSeq(messages: readonly LocalMessage[]): number | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const seq = messages[i]?.seq ?? null;
    if (seq !== null) return seq;
  }
  return null;
}
