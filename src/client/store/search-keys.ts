import type { Db } from './database';
import { KEY_SLOTS as SLOTS, TOP_IDS } from './hot-queries';

/**
 * Allocates messages.id, the rowid and full-text key: `ts * 1024 + n`, the next free slot
 * in the message's millisecond. Rowid order is then time order, whatever order messages
 * arrive in (a history page fetched today holds last year's messages), so "newest hits
 * first" is a backwards walk of the index. 1024 slots per millisecond is far beyond what
 * one account receives; a full millisecond spills into the next one.
 */
/** Keys stay below 2^53, so they are exact as JS numbers (a timestamp in the year 2248). */
const MAX_TS = Math.floor(Number.MAX_SAFE_INTEGER / SLOTS) - 1_000_000;

export class SearchKeys {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      tops: db.prepare<[string], { base: number; top: number | null }>(TOP_IDS),
      max: db.prepare<[], number | null>('SELECT MAX(id) FROM messages').pluck(),
    };
  }

  /** One key per timestamp, in order; at most one query for the whole batch. */
  allocate(timestamps: readonly number[]): number[] {
    const bases = timestamps.map((ts) => Math.min(Math.max(0, Math.trunc(ts)), MAX_TS) * SLOTS);
    const max = this.q.max.get() ?? -1;
    /** The highest key taken per millisecond range (null: none yet), for the ranges looked up. */
    const taken = new Map<number, number | null>();
    const lookUp = (list: readonly number[]) => {
      for (const base of list) taken.set(base, null);
      // Live and catch-up messages are newer than everything stored: their ranges are empty.
      const older = list.filter((base) => base <= max);
      if (older.length > 0) for (const row of this.q.tops.all(JSON.stringify(older))) taken.set(row.base, row.top);
    };
    lookUp([...new Set(bases)]);
    return bases.map((first) => {
      for (let base = first; ; base += SLOTS) {
        if (!taken.has(base)) lookUp([base]);
        const top = taken.get(base) ?? null;
        const id = top === null ? base : top + 1;
        if (id < base + SLOTS) {
          taken.set(base, id);
          return id;
        }
      }
    });
  }
}
