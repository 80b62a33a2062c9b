import { TYPING_REFRESH_MS, TYPING_TTL_MS } from '../../shared/protocol';
import type { Bus } from '../bus/bus';
import { refuse } from '../errors';
import type { Store } from '../store/store';
import type { Connection } from './connection';

/**
 * Relays typing notices to the other members; never stored. A "typing" from the same
 * user in the same conversation is relayed at most once per refresh interval, and the
 * receiver drops it after ttlMs unless refreshed.
 *
 * The server's notion of "shown as typing" ends exactly ttlMs after the last relayed
 * "typing", as on the receivers: expiry is decided when the next notice arrives, against
 * the clock, never by when a sweep happened to run (the sweep only frees memory).
 */
export class TypingRelay {
  private readonly lastRelayed = new Map<string, number>();

  constructor(private readonly deps: { store: Store; bus: Bus; now: () => number }) {}

  async set(conn: Connection, conversationId: string, typing: boolean): Promise<void> {
    const members = await this.deps.store.memberStates(conversationId);
    const me = members.find((m) => m.userId === conn.userId);
    if (!me) refuse('not_found');
    // A request shares nothing until accepted, typing included: dropped without a word.
    if (me.state === 'pending') return;
    const key = `${conn.userId}\u0000${conversationId}`;
    const now = this.deps.now();
    const last = this.lastRelayed.get(key);
    if (typing) {
      if (last !== undefined && now - last < TYPING_REFRESH_MS / 2) return;
      this.lastRelayed.set(key, now);
    } else {
      this.lastRelayed.delete(key);
      if (last === undefined || expired(last, now)) return; // nobody is shown it (any more)
    }
    const frame = JSON.stringify({ type: 'typing.updated', conversationId, userId: conn.userId, typing, ttlMs: TYPING_TTL_MS });
    // Neither the people the typist blocked nor those who blocked the typist hear it.
    const { blocked, blockedBy } = await this.deps.store.blocksOf(conn.userId);
    const unheard = new Set([conn.userId, ...blocked, ...blockedBy]);
    this.deps.bus.publish({ kind: 'deliver', userIds: members.map((m) => m.userId).filter((id) => !unheard.has(id)), frame });
  }

  /** Forgets notices that expired on every receiver anyway (shared sweep). */
  sweep(now: number): void {
    for (const [key, at] of this.lastRelayed) if (expired(at, now)) this.lastRelayed.delete(key);
  }
}

/** A "typing" relayed at `at` is no longer shown at `now`. */
function expired(at: number, now: number): boolean {
  return now - at >= TYPING_TTL_MS;
}
