/**
 * Numbered schema migrations of the local store, applied in order by `user_version`.
 * Never edit a shipped migration; add the next one, with a test of its schema and of the
 * query plans of the hot queries (migrations.test.ts).
 */
export const MIGRATIONS: readonly string[] = [
  // 1: conversations, members, messages with their full-text index, outbox, meta.
  `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
    title TEXT,
    created_at INTEGER NOT NULL,
    -- max(the server's lastSeq from snapshots, the highest stored seq)
    last_seq INTEGER NOT NULL DEFAULT 0,
    -- every seq from the oldest stored one up to this is stored (the sync watermark)
    synced_seq INTEGER NOT NULL DEFAULT 0,
    my_read_seq INTEGER NOT NULL DEFAULT 0,
    muted INTEGER NOT NULL DEFAULT 0,
    -- max(created_at, newest stored ts, newest outbox created_at): the sidebar order
    last_activity_at INTEGER NOT NULL
  );
  CREATE INDEX conversations_by_activity ON conversations(last_activity_at DESC, id);
  -- Covers the unread total: one pass over the conversations, never the messages.
  CREATE INDEX conversations_unread ON conversations(muted, last_seq, my_read_seq);

  CREATE TABLE members (
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    username TEXT NOT NULL,
    display_name TEXT,
    role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    delivered_seq INTEGER NOT NULL DEFAULT 0,
    read_seq INTEGER NOT NULL DEFAULT 0,
    -- the index in the server's snapshot, which orders the members list
    position INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX members_in_order ON members(conversation_id, position);

  -- id is both the rowid and the full-text index's key, allocated from the timestamp
  -- (ts * 1024 + n, see search-keys.ts): rowid order is time order, so live messages append
  -- to the table and a search for the newest hits walks the index backwards and stops at
  -- the limit, however common the word. A history page is a range of messages_by_seq.
  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    client_id TEXT,
    sender_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'system')),
    -- text messages only
    body TEXT,
    -- system entries only: the event as JSON
    system TEXT,
    ts INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX messages_by_seq ON messages(conversation_id, seq);

  -- External content: the text lives once, in messages; the triggers below keep the index
  -- in step. unicode61 with remove_diacritics 2 folds case and accents (cafe finds café).
  -- columnsize=0: no per-row size table (it only serves bm25 ranking; hits are ordered by time).
  CREATE VIRTUAL TABLE messages_fts USING fts5(
    body,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    columnsize = 0
  );
  CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.body IS NOT NULL BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
  END;
  CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.body IS NOT NULL BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
  END;
  CREATE TRIGGER messages_fts_update AFTER UPDATE OF id, body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) SELECT 'delete', old.id, old.body WHERE old.body IS NOT NULL;
    INSERT INTO messages_fts (rowid, body) SELECT new.id, new.body WHERE new.body IS NOT NULL;
  END;

  -- Messages written here and not yet acknowledged by the server.
  CREATE TABLE outbox (
    client_id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    sender_id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'failed')),
    error_code TEXT,
    error_message TEXT,
    -- compose order; a retry moves the entry to the end
    queue_order INTEGER NOT NULL UNIQUE
  );
  CREATE INDEX outbox_by_state ON outbox(state, queue_order);
  CREATE INDEX outbox_by_conversation ON outbox(conversation_id, queue_order);
  `,
  // 2: consent (a member's state and who invited them) and the account's block list.
  `
  ALTER TABLE members ADD COLUMN state TEXT NOT NULL DEFAULT 'accepted' CHECK (state IN ('accepted', 'pending'));
  ALTER TABLE members ADD COLUMN invited_by TEXT;

  -- Users this account blocked, as the server last listed them: the timeline hides their
  -- messages behind a line, also offline.
  CREATE TABLE blocked_users (
    user_id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT
  ) WITHOUT ROWID;
  `,
];
