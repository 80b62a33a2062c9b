import type { Presence, PresenceStatus } from '../../shared/protocol';
import type { Bus } from '../bus/bus';
import type { Store } from '../store/store';
import type { Connection } from './connection';
import type { Hub } from './hub';

/**
 * Online while any device is connected and active, away while every connected device is
 * idle, offline once the last device has been gone for the grace period (so a reconnect
 * does not flap). Only people who share a conversation the user accepted are told, never
 * someone the user blocked; a user may hide their last seen from everyone.
 *
 * State is this node's; a multi-node deployment keeps the same rules over shared state.
 */
export class PresenceService {
  private readonly announced = new Map<string, PresenceStatus>();
  private readonly leaving = new Map<string, number>();
  private readonly lastSeen = new Map<string, number>();

  constructor(
    private readonly deps: { store: Store; bus: Bus; hub: Hub; now: () => number; graceMs: number; onError: (e: unknown) => void },
  ) {}

  connected(conn: Connection): void {
    this.leaving.delete(conn.userId);
    this.recompute(conn.userId);
  }

  disconnected(conn: Connection): void {
    if (this.deps.hub.connectionsOf(conn.userId).size > 0) return this.recompute(conn.userId);
    this.leaving.set(conn.userId, this.deps.now());
    void this.deps.store.touchSession(conn.sessionId, this.deps.now()).catch(this.deps.onError);
  }

  setStatus(conn: Connection, status: 'online' | 'away'): void {
    conn.presence = status;
    this.recompute(conn.userId);
  }

  /** Called by the shared sweep: users whose grace period ran out go offline. */
  sweep(now: number): void {
    for (const [userId, since] of this.leaving) {
      if (now - since < this.deps.graceMs) continue;
      this.leaving.delete(userId);
      if (this.deps.hub.connectionsOf(userId).size > 0) continue;
      this.lastSeen.set(userId, since);
      this.announce(userId, 'offline');
    }
  }

  /**
   * The presence of `userIds` as `viewerId` may see it: the last seen of someone who shows
   * it to nobody is null (a viewer always sees their own).
   */
  async snapshot(userIds: readonly string[], viewerId?: string): Promise<Presence[]> {
    const unknown = userIds.filter((id) => this.current(id) === 'offline' && !this.lastSeen.has(id));
    const stored = unknown.length > 0 ? await this.deps.store.lastSeenAt(unknown) : new Map<string, number>();
    const offline = userIds.filter((id) => id !== viewerId && this.current(id) === 'offline');
    const hiding = offline.length > 0 ? await this.deps.store.hidingLastSeen(offline) : new Set<string>();
    return userIds.map((userId) => {
      const status = this.current(userId);
      const lastSeenAt = status !== 'offline' || hiding.has(userId) ? null : (this.lastSeen.get(userId) ?? stored.get(userId) ?? null);
      return { userId, status, lastSeenAt };
    });
  }

  /**
   * `viewerId` may no longer see `userId` (blocked): from now on they look offline, last
   * seen unknown, as someone who never comes back would.
   */
  conceal(userId: string, viewerId: string): void {
    const presence: Presence = { userId, status: 'offline', lastSeenAt: null };
    this.deps.bus.publish({ kind: 'deliver', userIds: [viewerId], frame: JSON.stringify({ type: 'presence.updated', presence }) });
  }

  /** `viewerId` may see `userId` again (unblocked): their presence as it is now. */
  async reveal(userId: string, viewerId: string): Promise<void> {
    const [presence] = await this.snapshot([userId], viewerId);
    if (presence) this.deps.bus.publish({ kind: 'deliver', userIds: [viewerId], frame: JSON.stringify({ type: 'presence.updated', presence }) });
  }

  private current(userId: string): PresenceStatus {
    const conns = this.deps.hub.connectionsOf(userId);
    if (conns.size === 0) return this.leaving.has(userId) ? (this.announced.get(userId) ?? 'offline') : 'offline';
    for (const c of conns) if (c.presence === 'online') return 'online';
    return 'away';
  }

  private recompute(userId: string): void {
    this.announce(userId, this.current(userId));
  }

  private announce(userId: string, status: PresenceStatus): void {
    if ((this.announced.get(userId) ?? 'offline') === status) return;
    if (status === 'offline') this.announced.delete(userId);
    else this.announced.set(userId, status);
    const presence: Presence = { userId, status, lastSeenAt: status === 'offline' ? (this.lastSeen.get(userId) ?? this.deps.now()) : null };
    void this.publish(presence).catch(this.deps.onError);
  }

  /** To the user's own devices as it is; to their audience without last seen if they hide it. */
  private async publish(presence: Presence): Promise<void> {
    const { userId } = presence;
    const audience = await this.deps.store.presenceAudience(userId);
    const frame = JSON.stringify({ type: 'presence.updated', presence });
    const hidden = presence.lastSeenAt !== null && (await this.deps.store.hidingLastSeen([userId])).has(userId);
    if (!hidden) return this.deps.bus.publish({ kind: 'deliver', userIds: [...audience, userId], frame });
    this.deps.bus.publish({ kind: 'deliver', userIds: [userId], frame });
    const withheld = JSON.stringify({ type: 'presence.updated', presence: { ...presence, lastSeenAt: null } });
    this.deps.bus.publish({ kind: 'deliver', userIds: audience, frame: withheld });
  }
}
