import type { SearchHit } from '../state/types';
import { Store } from '../state/store';
import { LatestAfterPause, realTimers, type Timers } from '../state/timers';

export type SearchStatus = 'idle' | 'searching' | 'done' | 'error';

export interface SearchState {
  query: string;
  status: SearchStatus;
  /** Newest first; kept while a refined query runs, so the list does not flicker. */
  hits: readonly SearchHit[];
  error: string | null;
  /** The result ↑/↓ has moved to (-1: none). */
  active: number;
}

export const SEARCH_DELAY_MS = 200;
export const SEARCH_LIMIT = 50;
/** The contract's limit on a query (src/shared/ipc/contract.ts, `search.messages`). */
const MAX_QUERY = 256;

export type SearchFn = (query: string, limit: number) => Promise<SearchHit[]>;

function newestFirst(a: SearchHit, b: SearchHit): number {
  return b.message.ts - a.message.ts || (b.message.seq ?? Infinity) - (a.message.seq ?? Infinity);
}

/**
 * Search-as-you-type over the local history: one query per pause in typing, and only the
 * answer to the latest query is shown (an earlier, slower one that arrives after it is dropped).
 */
export class SearchStore extends Store<SearchState> {
  private readonly pause: LatestAfterPause;

  constructor(
    private readonly search: SearchFn,
    timers: Timers = realTimers,
    delayMs = SEARCH_DELAY_MS,
  ) {
    super({ query: '', status: 'idle', hits: [], error: null, active: -1 });
    this.pause = new LatestAfterPause(timers, delayMs);
  }

  setQuery(query: string): void {
    if (query === this.current.query) return;
    // Whatever is in flight answers an older query now.
    this.pause.cancel();
    const term = query.trim().slice(0, MAX_QUERY);
    if (term === '') {
      this.set({ query, status: 'idle', hits: [], error: null, active: -1 });
      return;
    }
    this.update({ query, status: 'searching', error: null });
    this.pause.schedule((isCurrent) => this.run(term, isCurrent));
  }

  /** ↑/↓ through the results, stopping at the ends. */
  move(step: 1 | -1): void {
    const { hits, active } = this.current;
    if (hits.length === 0) return;
    const next = active === -1 ? (step === 1 ? 0 : hits.length - 1) : Math.min(hits.length - 1, Math.max(0, active + step));
    if (next !== active) this.update({ active: next });
  }

  setActive(index: number): void {
    if (index >= -1 && index < this.current.hits.length && index !== this.current.active) this.update({ active: index });
  }

  get activeHit(): SearchHit | undefined {
    return this.current.hits[this.current.active];
  }

  dispose(): void {
    this.pause.cancel();
  }

  private async run(term: string, isCurrent: () => boolean): Promise<void> {
    try {
      const hits = [...(await this.search(term, SEARCH_LIMIT))].sort(newestFirst);
      if (!isCurrent()) return;
      this.update({ status: 'done', hits, error: null, active: -1 });
    } catch (error) {
      if (!isCurrent()) return;
      this.update({ status: 'error', hits: [], error: error instanceof Error ? error.message : 'Search failed.', active: -1 });
    }
  }
}
