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
      // A range scan on the unique index; people the viewer shares a conversation with first,
      // never someone who blocked the viewer. The candidates are bounded before the ordering.
      search: db.prepare<{ viewer: string; from: string; to: string; limit: number }, UserRow>(
        `SELECT u.id, u.username, u.display_name FROM (
           SELECT id, username, display_name FROM users
           WHERE disabled = 0 AND username >= @from AND username < @to ORDER BY username LIMIT 500
         ) u
         WHERE NOT EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = u.id AND b.blocked_id = @viewer)
         ORDER BY EXISTS (
           SELECT 1 FROM members m JOIN members o ON o.conversation_id = m.conversation_id AND o.user_id = u.id
           WHERE m.user_id = @viewer
         ) DESC, u.username
         LIMIT @limit`,
      ),
      setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
      userExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM users WHERE id = ? AND disabled = 0'),
      insertSession: db.prepare(
        'INSERT INTO sessions (id, user_id, device_name, refresh_hash, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      liveSession: db.prepare<[string], { id: string; user_id: string }>(
        'SELECT s.id, s.user_id FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.revoked_at IS NULL AND u.disabled = 0',
      ),
      sessionByRefresh: db.prepare<[string], { id: string; user_id: string; revoked_at: number | null }>(
        'SELECT id, user_id, revoked_at FROM sessions WHERE refresh_hash = ?',
      ),
      spent: db.prepare<[string], { session_id: string; spent_at: number | null; refresh_hash: string; revoked_at: number | null; user_id: string }>(
        `SELECT t.session_id, t.spent_at, s.refresh_hash, s.revoked_at, s.user_id
         FROM spent_refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.hash = ?`,
      ),
      spend: db.prepare('INSERT OR IGNORE INTO spent_refresh_tokens (hash, session_id, spent_at) VALUES (?, ?, ?)'),
      logRevocation: db.prepare('INSERT INTO revocations (session_id, at) VALUES (?, ?)'),
      revocationsAfter: db.prepare<[number], { id: number; session_id: string }>('SELECT id, session_id FROM revocations WHERE id > ? ORDER BY id LIMIT 1000'),
      lastRevocation: db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM revocations'),
      pruneRevocations: db.prepare('DELETE FROM revocations WHERE at < ?'),
      setDisabled: db.prepare('UPDATE users SET disabled = ? WHERE id = ?'),
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

  searchUsers(viewerId: string, prefix: string, limit: number, exact: boolean): User[] {
    const from = prefix.toLowerCase();
    // [prefix, prefix + U+FFFF) by prefix; exactly [name, name + U+0000] when exact.
    const to = exact ? `${from}\u0000` : `${from}\uffff`;
    return this.q.search.all({ viewer: viewerId, from, to, limit }).map(toUser);
  }

  userExists(userId: string): boolean {
    return this.q.userExists.get(userId) !== undefined;
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

  rotateRefreshToken(presentedHash: string, nextHash: string, now: number, replayWindowMs: number): RotateResult {
    return this.db.transaction((): RotateResult => {
      const current = this.q.sessionByRefresh.get(presentedHash);
      if (current) {
        if (current.revoked_at !== null) return { ok: false, reason: 'revoked', sessionId: current.id };
        this.q.spend.run(presentedHash, current.id, now);
        this.q.setRefresh.run(nextHash, now, current.id);
        return { ok: true, sessionId: current.id, userId: current.user_id, issuedAt: now };
      }
      const spent = this.q.spent.get(presentedHash);
      if (spent) {
        // The answer to the exchange was lost: the same token again, soon, while the token it
        // was exchanged for is still unused, gets that same exchange again.
        const replay = spent.revoked_at === null && spent.spent_at !== null && now - spent.spent_at <= replayWindowMs && spent.refresh_hash === nextHash;
        if (replay) return { ok: true, sessionId: spent.session_id, userId: spent.user_id, issuedAt: spent.spent_at! };
        // Otherwise a refresh token is single-use: seeing one twice means someone else has a copy.
        this.revoke(spent.session_id, now);
        return { ok: false, reason: 'reused', sessionId: spent.session_id };
      }
      return { ok: false, reason: 'unknown', sessionId: null };
    })();
  }

  /** Inside a transaction: the session is over, and the running servers will hear of it. */
  private revoke(sessionId: string, now: number): boolean {
    if (this.q.revokeById.run(now, sessionId).changes === 0) return false;
    this.q.logRevocation.run(sessionId, now);
    return true;
  }

  /** Revocations logged after `cursor` (oldest first, at most 1000) and the cursor to ask from next. */
  revocationsAfter(cursor: number | null): { cursor: number; sessionIds: string[] } {
    if (cursor === null) return { cursor: this.q.lastRevocation.get()?.id ?? 0, sessionIds: [] };
    const rows = this.q.revocationsAfter.all(cursor);
    return { cursor: rows.at(-1)?.id ?? cursor, sessionIds: rows.map((r) => r.session_id) };
  }

  pruneRevocations(before: number): void {
    this.q.pruneRevocations.run(before);
  }

  /** Disabling signs the user out everywhere (returned); enabling lets them sign in again. */
  setDisabled(userId: string, disabled: boolean, now: number): string[] | null {
    return this.db.transaction(() => {
      if (this.q.setDisabled.run(disabled ? 1 : 0, userId).changes === 0) return null;
      return disabled ? this.revokeAllSessions(userId, now) : [];
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
    return this.db.transaction(() => {
      if (this.q.revoke.run(now, sessionId, userId).changes === 0) return false;
      this.q.logRevocation.run(sessionId, now);
      return true;
    })();
  }

  revokeAllSessions(userId: string, now: number): string[] {
    return this.db.transaction(() => {
      const ids = this.q.liveIdsOfUser.all(userId).map((r) => r.id);
      for (const id of ids) this.revoke(id, now);
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
