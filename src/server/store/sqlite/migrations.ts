/**
 * Numbered schema migrations, applied in order by `user_version`. Never edit a shipped
 * migration; add the next one. Each has a test of its schema and of the query plans of
 * the hot queries (sqlite-migrations.test.ts).
 */
export const MIGRATIONS: readonly string[] = [
  // 1: accounts, sessions, conversations, members, messages.
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    device_name TEXT NOT NULL,
    refresh_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE INDEX sessions_by_user ON sessions(user_id);

  -- Refresh tokens already exchanged: presenting one again means it was stolen.
  CREATE TABLE spent_refresh_tokens (
    hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
    title TEXT,
    -- "<smaller user id>:<larger user id>" for direct chats: exactly one per pair.
    direct_key TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE members (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    joined_at INTEGER NOT NULL,
    delivered_seq INTEGER NOT NULL DEFAULT 0,
    read_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX members_by_user ON members(user_id, conversation_id);

  -- A rowid table: rows append in arrival order, so a batch of inserts spread over many
  -- conversations fills few table pages; only the small (conversation_id, seq) index
  -- entries scatter.
  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    sender_id TEXT NOT NULL,
    client_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'system')),
    body TEXT NOT NULL,
    ts INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX messages_by_conversation ON messages(conversation_id, seq);
  -- Idempotent sends are enforced here, not by a cache.
  CREATE UNIQUE INDEX messages_by_client_id ON messages(client_id) WHERE client_id IS NOT NULL;
  `,
];
