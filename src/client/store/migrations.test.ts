import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from './database';
import * as hot from './hot-queries';
import { MIGRATIONS } from './migrations';
import { tempStore } from './test-fixtures';

function plan(db: Database.Database, sql: string, ...params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
}

function schema(db: Database.Database): Array<{ type: string; name: string; sql: string | null }> {
  return db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as Array<{
    type: string;
    name: string;
    sql: string | null;
  }>;
}

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((r) => r.name);
}

function indexColumns(db: Database.Database, index: string): string[] {
  return (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(index) as Array<{ name: string }>).map((r) => r.name);
}

describe('migrations 1 and 2', () => {
  const db = new Database(':memory:');
  migrate(db);
  afterAll(() => db.close());

  it('sets user_version and creates the tables, indexes and triggers', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const names = schema(db)
      .filter((o) => !(o.type === 'table' && o.name.startsWith('messages_fts_'))) // FTS5's own shadow tables
      .map((o) => `${o.type} ${o.name}`);
    expect(names).toEqual([
      'index conversations_by_activity',
      'index conversations_unread',
      'index members_in_order',
      'index messages_by_seq',
      'index outbox_by_conversation',
      'index outbox_by_state',
      'table blocked_users',
      'table conversations',
      'table members',
      'table messages',
      'table messages_fts',
      'table meta',
      'table outbox',
      'trigger messages_fts_delete',
      'trigger messages_fts_insert',
      'trigger messages_fts_update',
    ]);
  });

  it('has the columns and index keys the queries rely on', () => {
    expect(columns(db, 'conversations')).toEqual([
      'id', 'kind', 'title', 'created_at', 'last_seq', 'synced_seq', 'my_read_seq', 'muted', 'last_activity_at',
    ]);
    expect(columns(db, 'members')).toEqual([
      'conversation_id', 'user_id', 'username', 'display_name', 'role', 'delivered_seq', 'read_seq', 'position', 'state', 'invited_by',
    ]);
    expect(columns(db, 'blocked_users')).toEqual(['user_id', 'username', 'display_name']);
    expect(columns(db, 'messages')).toEqual(['id', 'conversation_id', 'seq', 'client_id', 'sender_id', 'kind', 'body', 'system', 'ts']);
    expect(columns(db, 'outbox')).toEqual([
      'client_id', 'conversation_id', 'sender_id', 'body', 'created_at', 'state', 'error_code', 'error_message', 'queue_order',
    ]);
    expect(columns(db, 'meta')).toEqual(['key', 'value']);
    expect(indexColumns(db, 'messages_by_seq')).toEqual(['conversation_id', 'seq']);
    expect(indexColumns(db, 'conversations_by_activity')).toEqual(['last_activity_at', 'id']);
    expect(indexColumns(db, 'conversations_unread')).toEqual(['muted', 'last_seq', 'my_read_seq']);
    expect(indexColumns(db, 'members_in_order')).toEqual(['conversation_id', 'position']);
    expect(indexColumns(db, 'outbox_by_state')).toEqual(['state', 'queue_order']);
    expect(indexColumns(db, 'outbox_by_conversation')).toEqual(['conversation_id', 'queue_order']);
    // messages.id is the rowid (INTEGER PRIMARY KEY), which the FTS5 external content uses.
    expect(db.prepare("SELECT pk FROM pragma_table_info('messages') WHERE name = 'id'").pluck().get()).toBe(1);
    const fts = schema(db).find((o) => o.name === 'messages_fts')!.sql!;
    expect(fts).toMatch(/content = 'messages'/);
    expect(fts).toMatch(/content_rowid = 'id'/);
    expect(fts).toMatch(/tokenize = 'unicode61 remove_diacritics 2'/);
    // Cascades are how removeConversation takes everything with it.
    for (const table of ['members', 'messages', 'outbox']) {
      const fk = db.prepare('SELECT "table", on_delete FROM pragma_foreign_key_list(?)').get(table);
      expect(fk).toEqual({ table: 'conversations', on_delete: 'CASCADE' });
    }
  });

  it('is a no-op the second time', () => {
    const before = schema(db);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(schema(db)).toEqual(before);
  });

  it('refuses a database newer than the app', () => {
    const newer = new Database(':memory:');
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(newer)).toThrow(/newer than this app knows/);
    newer.close();
  });

  it('refuses to open a newer file, and leaves it closed and untouched', () => {
    const t = tempStore();
    try {
      t.store.close();
      const raw = new Database(t.file);
      raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
      raw.close();
      expect(() => openDatabase(t.file)).toThrow(/newer than this app knows/);
      const again = new Database(t.file);
      expect(again.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
      again.close();
    } finally {
      t.dispose();
    }
  });

  it('opens files with WAL, synchronous=NORMAL, foreign keys and a busy timeout', () => {
    const t = tempStore();
    try {
      const file = t.store.db;
      expect(file.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(file.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(file.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(file.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    } finally {
      t.dispose();
    }
  });

  // The hot queries must use their index and never scan the messages table.
  const json = (v: unknown) => JSON.stringify(v);
  it.each([
    ['history page', hot.PAGE_BEFORE, ['c', 9, 50], /SEARCH messages USING INDEX messages_by_seq \(conversation_id=\? AND seq<\?\)/],
    ['around(), newer half', hot.PAGE_FROM, ['c', 9, 50], /SEARCH messages USING INDEX messages_by_seq \(conversation_id=\? AND seq>\?\)/],
    ['oldestSeq', hot.OLDEST_SEQ, ['c'], /SEARCH messages USING COVERING INDEX messages_by_seq \(conversation_id=\?\)/],
    ['watermark walk', hot.STORED_AFTER, ['c', 9], /SEARCH messages USING COVERING INDEX messages_by_seq \(conversation_id=\? AND seq>\?\)/],
    ['batch state', hot.BATCH_STATE, [json(['c'])], /SEARCH messages USING COVERING INDEX messages_by_seq \(conversation_id=\?\)/],
    ['search keys', hot.TOP_IDS, [json([1024])], /SEARCH messages USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/],
    ['watermarks', hot.WATERMARKS, [], /^SCAN conversations USING INDEX conversations_by_activity$/],
    ['unread total', hot.UNREAD_TOTAL, [], /^SEARCH conversations USING COVERING INDEX conversations_unread \(muted=\?\)$/],
    ['listConversations', hot.LIST_CONVERSATIONS, [], /SCAN c USING INDEX conversations_by_activity.*SEARCH m USING INDEX messages_by_seq \(conversation_id=\? AND seq=\?\).*SEARCH o USING INDEX outbox_by_conversation/],
    ['getConversation', hot.GET_CONVERSATION, ['c'], /SEARCH c USING INDEX sqlite_autoindex_conversations_1 \(id=\?\).*SEARCH m USING INDEX messages_by_seq/],
    ['all members', hot.ALL_MEMBERS, [], /^SCAN members USING INDEX members_in_order$/],
    ['members of one', hot.MEMBERS_OF, ['c'], /^SEARCH members USING INDEX members_in_order \(conversation_id=\?\)$/],
    ['pendingOutbox', hot.PENDING_OUTBOX, [], /^SEARCH outbox USING INDEX outbox_by_state \(state=\?\)$/],
    ['outbox of a conversation', hot.OUTBOX_OF, ['c'], /^SEARCH outbox USING INDEX outbox_by_conversation \(conversation_id=\?\)$/],
    ['echo delete', hot.DELETE_ECHOES, [json([['k', 'c']])], /SEARCH outbox USING INDEX sqlite_autoindex_outbox_1 \(client_id=\?\)/],
    ['advance conversations', hot.ADVANCE_CONVERSATIONS, [json([])], /SEARCH conversations USING INDEX sqlite_autoindex_conversations_1 \(id=\?\)/],
    ['senders seen', hot.SENDERS_SEEN, [json([])], /SEARCH members USING PRIMARY KEY \(conversation_id=\? AND user_id=\?\)/],
    ['touch activity', hot.TOUCH_ACTIVITY, [{ id: 'c' }], /SEARCH messages USING INDEX messages_by_seq \(conversation_id=\?\).*SEARCH outbox USING INDEX outbox_by_conversation/],
    ['search', hot.SEARCH, ['[', ']', '"hello"', 10], /^SCAN messages_fts VIRTUAL TABLE INDEX \d+:M\d* \| SEARCH m USING INTEGER PRIMARY KEY \(rowid=\?\)$/],
  ] as const)('%s uses its index', (_name, sql, params, expected) => {
    const detail = plan(db, sql, ...params);
    expect(detail).toMatch(expected);
    expect(detail).not.toMatch(/SCAN (messages|m|members|outbox|o)\b(?! USING)/);
    expect(detail).not.toMatch(/SCAN (messages|m)\b/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });
});
