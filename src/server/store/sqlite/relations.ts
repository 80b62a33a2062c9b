import { MAX_BLOCKED_USERS, type LastSeenVisibility, type Privacy, type User } from '../../../shared/protocol';
import type { Db } from './database';
import { toUser, type UserRow } from './rows';

export type FormerReason = 'left' | 'removed' | 'declined';

/**
 * Who may reach whom: accepted conversations (consent), blocks, and what a user shares
 * (presence audience, last-seen visibility). The membership code asks these questions
 * inside its own transactions.
 */
export class SqliteRelations {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      // `target` already talks to `actor`: they share a conversation `target` is in by choice.
      hasAccepted: db.prepare<[string, string], { one: number }>(
        `SELECT 1 AS one FROM members t JOIN members a ON a.conversation_id = t.conversation_id AND a.user_id = ?
         WHERE t.user_id = ? AND t.state = 'accepted' LIMIT 1`,
      ),
      isBlocked: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM blocks WHERE user_id = ? AND blocked_id = ?'),
      block: db.prepare('INSERT INTO blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      unblock: db.prepare('DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?'),
      countBlocked: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM blocks WHERE user_id = ?'),
      blockedUsers: db.prepare<[string], UserRow>(
        'SELECT u.id, u.username, u.display_name FROM blocks b JOIN users u ON u.id = b.blocked_id WHERE b.user_id = ? ORDER BY b.created_at',
      ),
      blockedIds: db.prepare<[string], { id: string }>('SELECT blocked_id AS id FROM blocks WHERE user_id = ?'),
      blockerIds: db.prepare<[string], { id: string }>('SELECT user_id AS id FROM blocks WHERE blocked_id = ?'),
      blocksAmong: db.prepare<[string, string], { user_id: string; blocked_id: string }>(
        `SELECT b.user_id, b.blocked_id FROM members m JOIN blocks b ON b.user_id = m.user_id
         JOIN members o ON o.conversation_id = m.conversation_id AND o.user_id = b.blocked_id
         WHERE m.conversation_id = ? AND o.conversation_id = ?`,
      ),
      // Who hears about this user's presence: co-members of conversations the user is in
      // by choice (a request shares nothing), except people the user blocked.
      presenceAudience: db.prepare<[string, string, string], { user_id: string }>(
        `SELECT DISTINCT o.user_id FROM members m JOIN members o ON o.conversation_id = m.conversation_id
         WHERE m.user_id = ? AND m.state = 'accepted' AND o.user_id <> ?
           AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = ? AND b.blocked_id = o.user_id)`,
      ),
      // Whose presence this user may see: the converse rule.
      presenceVisible: db.prepare<[string, string, string], { user_id: string }>(
        `SELECT DISTINCT o.user_id FROM members m JOIN members o ON o.conversation_id = m.conversation_id
         WHERE m.user_id = ? AND o.user_id <> ? AND o.state = 'accepted'
           AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = o.user_id AND b.blocked_id = ?)`,
      ),
      former: db.prepare<[string, string], { reason: FormerReason }>('SELECT reason FROM former_members WHERE conversation_id = ? AND user_id = ?'),
      setFormer: db.prepare(
        `INSERT INTO former_members (conversation_id, user_id, reason, by_user_id, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (conversation_id, user_id) DO UPDATE SET reason = excluded.reason, by_user_id = excluded.by_user_id, at = excluded.at`,
      ),
      clearFormer: db.prepare('DELETE FROM former_members WHERE conversation_id = ? AND user_id = ?'),
      privacy: db.prepare<[string], { last_seen_visibility: LastSeenVisibility }>('SELECT last_seen_visibility FROM users WHERE id = ?'),
      setLastSeen: db.prepare('UPDATE users SET last_seen_visibility = ? WHERE id = ?'),
      hidesLastSeen: db.prepare<[string], { id: string }>(
        "SELECT id FROM users WHERE id IN (SELECT value FROM json_each(?)) AND last_seen_visibility = 'nobody'",
      ),
    };
  }

  /** True if `target` is in some conversation with `actor` by their own choice. */
  hasAccepted(target: string, actor: string): boolean {
    return this.q.hasAccepted.get(actor, target) !== undefined;
  }

  isBlocked(userId: string, by: string): boolean {
    return this.q.isBlocked.get(by, userId) !== undefined;
  }

  /** 'limit_reached' past MAX_BLOCKED_USERS; true if newly blocked. */
  block(userId: string, blockedId: string, now: number): boolean | 'limit_reached' {
    if (this.isBlocked(blockedId, userId)) return false;
    if (this.q.countBlocked.get(userId)!.n >= MAX_BLOCKED_USERS) return 'limit_reached';
    return this.q.block.run(userId, blockedId, now).changes > 0;
  }

  unblock(userId: string, blockedId: string): boolean {
    return this.q.unblock.run(userId, blockedId).changes > 0;
  }

  listBlocked(userId: string): User[] {
    return this.q.blockedUsers.all(userId).map(toUser);
  }

  /** Users `userId` blocked, and users who blocked `userId`. */
  blocksOf(userId: string): { blocked: string[]; blockedBy: string[] } {
    return { blocked: this.q.blockedIds.all(userId).map((r) => r.id), blockedBy: this.q.blockerIds.all(userId).map((r) => r.id) };
  }

  blocksAmong(conversationId: string): Array<[string, string]> {
    return this.q.blocksAmong.all(conversationId, conversationId).map((r) => [r.user_id, r.blocked_id]);
  }

  presenceAudience(userId: string): string[] {
    return this.q.presenceAudience.all(userId, userId, userId).map((r) => r.user_id);
  }

  presenceVisibleTo(viewerId: string): string[] {
    return this.q.presenceVisible.all(viewerId, viewerId, viewerId).map((r) => r.user_id);
  }

  formerReason(conversationId: string, userId: string): FormerReason | null {
    return this.q.former.get(conversationId, userId)?.reason ?? null;
  }

  setFormer(conversationId: string, userId: string, reason: FormerReason, by: string, now: number): void {
    this.q.setFormer.run(conversationId, userId, reason, by, now);
  }

  clearFormer(conversationId: string, userId: string): void {
    this.q.clearFormer.run(conversationId, userId);
  }

  getPrivacy(userId: string): Privacy | null {
    const row = this.q.privacy.get(userId);
    return row ? { lastSeen: row.last_seen_visibility } : null;
  }

  setPrivacy(userId: string, patch: Partial<Privacy>): Privacy | null {
    if (patch.lastSeen !== undefined) this.q.setLastSeen.run(patch.lastSeen, userId);
    return this.getPrivacy(userId);
  }

  /** The users among `userIds` who show their last seen to nobody. */
  hidingLastSeen(userIds: readonly string[]): Set<string> {
    if (userIds.length === 0) return new Set();
    return new Set(this.q.hidesLastSeen.all(JSON.stringify(userIds)).map((r) => r.id));
  }
}
