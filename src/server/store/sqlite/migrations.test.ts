import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './database';
import { MIGRATIONS } from './migrations';

function plan(db: Database.Database, sql: string, ...params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
}

describe('migrations 1 and 2', () => {
  const db = new Database(':memory:');
  migrate(db);

  it('sets user_version and creates the tables and indexes', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table','index') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    expect(names).toEqual([
      'blocks', 'blocks_by_blocked', 'conversations', 'former_members', 'members', 'members_by_user', 'members_pending_by_user',
      'messages', 'messages_by_client_id', 'messages_by_conversation', 'revocations', 'sessions', 'sessions_by_user', 'spent_refresh_tokens', 'users',
    ]);
  });

  it('is idempotent and refuses a newer database', () => {
    migrate(db);
    const newer = new Database(':memory:');
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(newer)).toThrow(/newer than this server/);
  });

  // The hot queries must use their index, never scan a table.
  it.each([
    ['history page', 'SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?', ['c', 9, 50], /SEARCH messages USING INDEX messages_by_conversation \(conversation_id=\? AND seq<\?\)/],
    ['catch-up', 'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?', ['c', 9, 50], /SEARCH messages USING INDEX messages_by_conversation \(conversation_id=\? AND seq>\?\)/],
    ['idempotent send', 'SELECT * FROM messages WHERE client_id = ?', ['x'], /SEARCH messages USING INDEX messages_by_client_id \(client_id=\?\)/],
    ['membership check', 'SELECT 1 FROM members WHERE conversation_id = ? AND user_id = ?', ['c', 'u'], /SEARCH members USING PRIMARY KEY \(conversation_id=\? AND user_id=\?\)/],
    ['my conversations', 'SELECT m.conversation_id, c.last_seq FROM members m JOIN conversations c ON c.id = m.conversation_id WHERE m.user_id = ?', ['u'], /SEARCH m USING COVERING INDEX members_by_user \(user_id=\?\)/],
    ['refresh lookup', 'SELECT id FROM sessions WHERE refresh_hash = ?', ['h'], /SEARCH sessions USING INDEX sqlite_autoindex_sessions_2 \(refresh_hash=\?\)/],
    // migration 2
    ['requests of a user', "SELECT COUNT(*) FROM members WHERE user_id = ? AND state = 'pending'", ['u'], /SEARCH members USING (COVERING )?INDEX members_pending_by_user \(user_id=\?\)/],
    ['is blocked', 'SELECT 1 FROM blocks WHERE user_id = ? AND blocked_id = ?', ['u', 'v'], /SEARCH blocks USING PRIMARY KEY \(user_id=\? AND blocked_id=\?\)/],
    ['who blocked me', 'SELECT user_id FROM blocks WHERE blocked_id = ?', ['u'], /SEARCH blocks USING COVERING INDEX blocks_by_blocked \(blocked_id=\?\)/],
    ['former member', 'SELECT reason FROM former_members WHERE conversation_id = ? AND user_id = ?', ['c', 'u'], /SEARCH former_members USING PRIMARY KEY \(conversation_id=\? AND user_id=\?\)/],
  ] as const)('%s uses its index', (_name, sql, params, expected) => {
    const detail = plan(db, sql, ...params);
    expect(detail).toMatch(expected);
    expect(detail).not.toMatch(/SCAN (messages|members|sessions|blocks|former_members)\b/);
  });
});
