import { errorMessage } from '../state/bridge';
import { Store } from '../state/store';
import { LatestAfterPause, realTimers, type Timers } from '../state/timers';
import type { User } from '../state/types';

export interface UserSearchState {
  query: string;
  /** 'idle': nothing typed; 'loading': waiting for the debounce or the answer. */
  status: 'idle' | 'loading' | 'done' | 'error';
  /** The answer for `query` (never an older query's answer). */
  results: readonly User[];
  error: string | null;
}

/** users.search accepts at most this many characters. */
const MAX_QUERY = 64;

/**
 * People search as you type: waits `delayMs` after the last keystroke, then asks the
 * server. Answers can come back out of order (a slow "an" after a fast "ann"); only the
 * answer to the latest request is shown, and nothing arrives after dispose().
 */
export class UserSearch extends Store<UserSearchState> {
  private readonly pause: LatestAfterPause;

  constructor(
    private readonly search: (query: string) => Promise<User[]>,
    private readonly o: { delayMs?: number; timers?: Timers; exclude?: readonly string[] } = {},
  ) {
    super({ query: '', status: 'idle', results: [], error: null });
    this.pause = new LatestAfterPause(o.timers ?? realTimers, o.delayMs ?? 200);
  }

  setQuery(query: string): void {
    this.pause.cancel();
    const q = query.trim().slice(0, MAX_QUERY);
    if (q === '') {
      this.set({ query, status: 'idle', results: [], error: null });
      return;
    }
    this.update({ query, status: 'loading', error: null });
    this.pause.schedule((isCurrent) => this.run(q, isCurrent));
  }

  /** Asks again for the current query (after an error). */
  retry(): void {
    this.setQuery(this.current.query);
  }

  private async run(q: string, isCurrent: () => boolean): Promise<void> {
    try {
      const users = await this.search(q);
      if (!isCurrent()) return;
      const exclude = new Set(this.o.exclude ?? []);
      this.update({ status: 'done', results: users.filter((u) => !exclude.has(u.id)), error: null });
    } catch (e) {
      if (!isCurrent()) return;
      this.update({ status: 'error', results: [], error: errorMessage(e) });
    }
  }

  /**
   * Cancels the pending search and drops any answer still in flight. Not final: a later
   * setQuery() starts afresh (React's strict mode unmounts and remounts effects once).
   */
  dispose(): void {
    this.pause.cancel();
  }
}

/** Moves a highlighted index through `length` options, wrapping at the ends; -1 when empty. */
export function moveIndex(current: number, step: 1 | -1, length: number): number {
  if (length === 0) return -1;
  if (current < 0 || current >= length) return step === 1 ? 0 : length - 1;
  return (current + step + length) % length;
}
