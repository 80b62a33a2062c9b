import type { SessionInfo, User } from '../../../shared/protocol';
import type { LiveSession, NewSession, NewUser, RotateResult } from '../store';
import type { Db } from './database';
import { toUser, type UserRow } from './rows';

/** Users and device sessions. */
export class SqliteAccounts {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      insertUser: db.prepare(
        'INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING',
      ),
      userForLogin: db.prepare<[string], UserRow & { password_hash: string; disabled: number }>(
        'SELECT id, username, display_name, password_hash, disabled FROM users WHERE username = ?',
      ),
      search: db.prepare<[string, string, number], UserRow>(
        "SELECT id, username, display_name FROM users WHERE disabled = 0 AND username >= ? AND username < ? ORDER BY username LIMIT ?",
      ),
      setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
      insertSession: db.prepare(
        'INSERT INTO sessions (id, user_id, device_name, refresh_hash, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      liveSession: db.prepare<[string], { id: string; user_id: string }>(
        'SELECT s.id, s.user_id FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.revoked_at IS NULL AND u.disabled = 0',
      ),
      sessionByRefresh: db.prepare<[string], { id: string; user_id: string; revoked_at: number | null }>(
        'SELECT id, user_id, revoked_at FROM sessions WHERE refresh_hash = ?',
      ),
      spent: db.prepare<[string], { session_id: string }>('SELECT session_id FROM spent_refresh_tokens WHERE hash = ?'),
      spend: db.prepare('INSERT OR IGNORE INTO spent_refresh_tokens (hash, session_id) VALUES (?, ?)'),
      setRefresh: db.prepare('UPDATE sessions SET refresh_hash = ?, last_seen_at = ? WHERE id = ?'),
      listSessions: db.prepare<[string], { id: string; device_name: string; created_at: number; last_seen_at: number }>(
        'SELECT id, device_name, created_at, last_seen_at FROM sessions WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at',
      ),
      revoke: db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL'),
      revokeById: db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      liveIdsOfUser: db.prepare<[string], { id: string }>('SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL'),
      touch: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?'),
      lastSeen: db.prepare<[string], { t: number | null }>('SELECT MAX(last_seen_at) AS t FROM sessions WHERE user_id = ?'),
    };
  }

  createUser(u: NewUser): User | 'username_taken' {
    const info = this.q.insertUser.run(u.id, u.username, u.displayName, u.passwordHash, u.now);
    if (info.changes === 0) return 'username_taken';
    return { id: u.id, username: u.username, displayName: u.displayName };
  }

  findUserForLogin(username: string) {
    const row = this.q.userForLogin.get(username);
    if (!row) return null;
    return { user: toUser(row), passwordHash: row.password_hash, disabled: row.disabled !== 0 };
  }

  searchUsers(prefix: string, limit: number): User[] {
    const lower = prefix.toLowerCase();
    // A range scan on the unique index: [prefix, prefix + U+FFFF).
    return this.q.search.all(lower, `${lower}\uffff`, limit).map(toUser);
  }

  setPassword(userId: string, passwordHash: string): boolean {
    return this.q.setPassword.run(passwordHash, userId).changes > 0;
  }

  createSession(s: NewSession): void {
    this.q.insertSession.run(s.id, s.userId, s.deviceName, s.refreshHash, s.now, s.now);
  }

  getLiveSession(sessionId: string): LiveSession | null {
    const row = this.q.liveSession.get(sessionId);
    return row ? { id: row.id, userId: row.user_id } : null;
  }

  rotateRefreshToken(presentedHash: string, nextHash: string, now: number): RotateResult {
    return this.db.transaction((): RotateResult => {
      const current = this.q.sessionByRefresh.get(presentedHash);
      if (current) {
        if (current.revoked_at !== null) return { ok: false, reason: 'revoked', sessionId: current.id };
        this.q.spend.run(presentedHash, current.id);
        this.q.setRefresh.run(nextHash, now, current.id);
        return { ok: true, sessionId: current.id, userId: current.user_id };
      }
      const spent = this.q.spent.get(presentedHash);
      if (spent) {
        // A refresh token is single-use: seeing one twice means someone else has a copy.
        this.q.revokeById.run(now, spent.session_id);
        return { ok: false, reason: 'reused', sessionId: spent.session_id };
      }
      return { ok: false, reason: 'unknown', sessionId: null };
    })();
  }

  listSessions(userId: string): Omit<SessionInfo, 'current'>[] {
    return this.q.listSessions.all(userId).map((r) => ({
      id: r.id,
      deviceName: r.device_name,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
    }));
  }

  revokeSession(userId: string, sessionId: string, now: number): boolean {
    return this.q.revoke.run(now, sessionId, userId).changes > 0;
  }

  revokeAllSessions(userId: string, now: number): string[] {
    return this.db.transaction(() => {
      const ids = this.q.liveIdsOfUser.all(userId).map((r) => r.id);
      for (const id of ids) this.q.revoke.run(now, id, userId);
      return ids;
    })();
  }

  touchSession(sessionId: string, now: number): void {
    this.q.touch.run(now, sessionId);
  }

  lastSeenAt(userIds: readonly string[]): Map<string, number> {
    const seen = new Map<string, number>();
    for (const id of userIds) {
      const t = this.q.lastSeen.get(id)?.t;
      if (t !== null && t !== undefined) seen.set(id, t);
    }
    return seen;
  }
}
