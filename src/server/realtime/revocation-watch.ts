import { CLOSE, CLOSE_REASONS } from '../../shared/protocol';
import type { Bus } from '../bus/bus';
import type { Store } from '../store/store';

/** Revocations are read back this often: another process's (the admin CLI's) reach open sockets within it. */
export const REVOCATION_POLL_MS = 1000;
/** Logged revocations older than this are forgotten (every server has read them long since). */
const KEEP_REVOCATIONS_MS = 7 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Closes the sockets of sessions revoked anywhere — by the admin CLI beside a running
 * server, or by another node — by reading the store's revocation log. Revocations made
 * by this server close their sockets at once as well (AuthService.onRevoked); reading
 * them here again closes nothing twice. Whoever starts it stops it.
 */
export class RevocationWatch {
  private cursor: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastPrune = 0;

  constructor(private readonly deps: { store: Store; bus: Bus; now: () => number; onError: (e: unknown) => void; intervalMs?: number }) {}

  async start(): Promise<void> {
    this.cursor = (await this.deps.store.revocationsAfter(null)).cursor;
    this.timer = setInterval(() => void this.poll(), this.deps.intervalMs ?? REVOCATION_POLL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One read of the log (the timer's tick; also callable from tests). */
  poll(): Promise<void> {
    this.running ??= this.read()
      .catch(this.deps.onError)
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async read(): Promise<void> {
    for (;;) {
      const { cursor, sessionIds } = await this.deps.store.revocationsAfter(this.cursor);
      this.cursor = cursor;
      if (sessionIds.length === 0) break;
      this.deps.bus.publish({ kind: 'closeSessions', sessionIds, code: CLOSE.sessionRevoked, reason: CLOSE_REASONS.sessionEnded });
    }
    const now = this.deps.now();
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await this.deps.store.pruneRevocations(now - KEEP_REVOCATIONS_MS);
    }
  }
}
