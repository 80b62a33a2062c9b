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
  // 2: consent (requests and invitations), former members (the removal list), blocks, privacy.
  `
  -- pending: put in by someone the member had no accepted conversation with; not answered yet.
  ALTER TABLE members ADD COLUMN state TEXT NOT NULL DEFAULT 'accepted' CHECK (state IN ('accepted', 'pending'));
  -- Who put the member in (the request's sender); NULL for creators and own joins.
  ALTER TABLE members ADD COLUMN invited_by TEXT;
  -- Requests are capped per user: counting them must not walk every membership.
  CREATE INDEX members_pending_by_user ON members(user_id) WHERE state = 'pending';

  -- Who was in a conversation and why they are out: a removed member may be added back by
  -- the owner only, and someone who left or declined comes back as an invitation.
  CREATE TABLE former_members (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL CHECK (reason IN ('left', 'removed', 'declined')),
    by_user_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
  ) WITHOUT ROWID;

  CREATE TABLE blocks (
    user_id TEXT NOT NULL REFERENCES users(id),
    blocked_id TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
  ) WITHOUT ROWID;
  CREATE INDEX blocks_by_blocked ON blocks(blocked_id, user_id);

  ALTER TABLE users ADD COLUMN last_seen_visibility TEXT NOT NULL DEFAULT 'contacts' CHECK (last_seen_visibility IN ('contacts', 'nobody'));

  -- When a refresh token was exchanged: within a short window, presenting it again (its
  -- answer was lost) yields the same new pair instead of revoking the session.
  ALTER TABLE spent_refresh_tokens ADD COLUMN spent_at INTEGER;

  -- Every revocation, in order: a running server reads the ones another process made (the
  -- admin CLI) and closes those sessions' sockets. Ids only grow, so no clock is compared.
  CREATE TABLE revocations (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  `,
];
