import type { Bus, Envelope } from '../bus/bus';
import type { Metrics } from '../metrics';
import type { Connection } from './connection';

/**
 * This node's registry of authenticated sockets, by user and by session, and the
 * receiving end of the bus: it hands each envelope to the local sockets it names.
 * It also batches writes: every socket written to in one event-loop turn is flushed
 * once, corked, at the end of the turn.
 */
export class Hub {
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly bySession = new Map<string, Set<Connection>>();
  private readonly dirty: Connection[] = [];
  private flushScheduled = false;
  private readonly unsubscribe: () => void;

  constructor(
    bus: Bus,
    private readonly metrics: Metrics,
  ) {
    this.unsubscribe = bus.subscribe((e) => this.onEnvelope(e));
  }

  readonly scheduleFlush = (c: Connection): void => {
    this.dirty.push(c);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const batch = this.dirty.splice(0);
      for (const conn of batch) conn.flush();
    });
  };

  add(conn: Connection): void {
    add(this.byUser, conn.userId, conn);
    add(this.bySession, conn.sessionId, conn);
    this.metrics.connections.inc();
  }

  /** Removes a socket; true if it was registered. */
  remove(conn: Connection): boolean {
    const had = remove(this.byUser, conn.userId, conn);
    remove(this.bySession, conn.sessionId, conn);
    if (had) this.metrics.connections.dec();
    return had;
  }

  connectionsOf(userId: string): ReadonlySet<Connection> {
    return this.byUser.get(userId) ?? EMPTY;
  }

  *all(): Iterable<Connection> {
    for (const set of this.byUser.values()) yield* set;
  }

  close(): void {
    this.unsubscribe();
  }

  private onEnvelope(e: Envelope): void {
    if (e.kind === 'closeSessions') {
      for (const id of e.sessionIds) for (const conn of [...(this.bySession.get(id) ?? [])]) conn.close(e.code, e.reason);
      return;
    }
    let sent = 0;
    for (const userId of e.userIds) {
      const conns = this.byUser.get(userId);
      if (!conns) continue;
      for (const conn of conns) {
        if (conn.id === e.exceptConnectionId) continue;
        conn.deliver(e.frame, e.message);
        sent++;
      }
    }
    if (sent > 0) this.metrics.deliveries.inc(sent);
  }
}

const EMPTY: ReadonlySet<Connection> = new Set();

function add(map: Map<string, Set<Connection>>, key: string, conn: Connection): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(conn);
}

function remove(map: Map<string, Set<Connection>>, key: string, conn: Connection): boolean {
  const set = map.get(key);
  if (!set?.delete(conn)) return false;
  if (set.size === 0) map.delete(key);
  return true;
}
