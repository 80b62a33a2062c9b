import { MEMBER_COLUMNS, MESSAGE_COLUMNS, OUTBOX_COLUMNS } from './rows';

/**
 * The SQL of the queries on the UI's and the sync's hot paths, in one place so that
 * migrations.test.ts can hold each to its query plan (an index, never a scan of messages).
 */

/** A history page, newest first (reversed by the caller); also the older half of around(). */
export const PAGE_BEFORE = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`;
/** The newer half of around(), starting at the target seq. */
export const PAGE_FROM = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND seq >= ? ORDER BY seq LIMIT ?`;
export const OLDEST_SEQ = 'SELECT MIN(seq) AS seq FROM messages WHERE conversation_id = ?';
/** The stored seqs after a watermark, in order: the watermark walks over the contiguous ones. */
export const STORED_AFTER = 'SELECT seq FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq';
/** Message keys per millisecond (search-keys.ts). */
export const KEY_SLOTS = 1024;
/** Per millisecond range (a JSON array of base keys): the highest key taken (search-keys.ts). */
export const TOP_IDS = `SELECT value AS base, (SELECT MAX(id) FROM messages WHERE id >= value AND id < value + ${KEY_SLOTS}) AS top
  FROM json_each(?)`;
/** Per conversation of a batch (a JSON array of ids): the watermark and the stored range before the batch. */
export const BATCH_STATE = `SELECT c.id, c.synced_seq,
    (SELECT MIN(seq) FROM messages WHERE conversation_id = c.id) AS oldest,
    (SELECT MAX(seq) FROM messages WHERE conversation_id = c.id) AS newest
  FROM conversations c WHERE c.id IN (SELECT value FROM json_each(?))`;
/**
 * A whole batch in one statement (a JSON array of rows): the search-index trigger then runs
 * inside one statement, so FTS5 writes its pending terms once per batch. (Each statement
 * with a statement journal makes FTS5 flush them to a new segment, which row-by-row inserts
 * through a trigger would do for every message, at half the speed.) RETURNING lists the
 * ids of the rows not stored before.
 */
export const INSERT_MESSAGES = `INSERT INTO messages (id, conversation_id, seq, client_id, sender_id, kind, body, system, ts)
  SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8
  FROM json_each(?) WHERE true
  ON CONFLICT (conversation_id, seq) DO NOTHING
  RETURNING id`;

/** Outbox entries whose message is now stored (a JSON array of [clientId, conversationId]). */
export const DELETE_ECHOES = `DELETE FROM outbox WHERE (client_id, conversation_id) IN (SELECT value->>0, value->>1 FROM json_each(?))
  RETURNING conversation_id`;
/** Per conversation of a batch (a JSON array of [id, synced, top, mine, newest ts]); nothing moves backwards. */
export const ADVANCE_CONVERSATIONS = `UPDATE conversations SET synced_seq = MAX(synced_seq, u.value->>1),
    last_seq = MAX(last_seq, u.value->>2), my_read_seq = MAX(my_read_seq, u.value->>3),
    last_activity_at = MAX(last_activity_at, u.value->>4)
  FROM json_each(?) AS u WHERE conversations.id = u.value->>0`;
/** Per sender of a batch (a JSON array of [conversationId, userId, seq]). */
export const SENDERS_SEEN = `UPDATE members SET delivered_seq = MAX(delivered_seq, u.value->>2), read_seq = MAX(read_seq, u.value->>2)
  FROM json_each(?) AS u
  WHERE members.conversation_id = u.value->>0 AND members.user_id = u.value->>1
    AND (delivered_seq < u.value->>2 OR read_seq < u.value->>2)`;
/** The sidebar's sort key from scratch, after the newest entry may have gone (an outbox entry left). */
export const TOUCH_ACTIVITY = `UPDATE conversations SET last_activity_at = MAX(created_at,
    COALESCE((SELECT ts FROM messages WHERE conversation_id = @id ORDER BY seq DESC LIMIT 1), 0),
    COALESCE((SELECT MAX(created_at) FROM outbox WHERE conversation_id = @id), 0))
  WHERE id = @id`;

/** Most active first, so that a truncated list keeps the conversations that matter. */
export const WATERMARKS = 'SELECT id, synced_seq FROM conversations ORDER BY last_activity_at DESC, id';
export const UNREAD_TOTAL = 'SELECT COALESCE(SUM(MAX(0, last_seq - my_read_seq)), 0) AS n FROM conversations WHERE muted = 0';

/** A conversation with its newest stored message (m_*) and newest outbox entry (o_*). */
const CONVERSATION_SELECT = `
  SELECT c.id, c.kind, c.title, c.created_at, c.last_seq, c.my_read_seq, c.muted, c.last_activity_at,
    m.seq AS m_seq, m.client_id AS m_client_id, m.sender_id AS m_sender_id, m.kind AS m_kind,
    m.body AS m_body, m.system AS m_system, m.ts AS m_ts,
    o.client_id AS o_client_id, o.sender_id AS o_sender_id, o.body AS o_body, o.created_at AS o_created_at,
    o.state AS o_state, o.error_code AS o_error_code, o.error_message AS o_error_message
  FROM conversations c
  LEFT JOIN messages m ON m.conversation_id = c.id
    AND m.seq = (SELECT MAX(seq) FROM messages WHERE conversation_id = c.id)
  LEFT JOIN outbox o ON o.conversation_id = c.id
    AND o.queue_order = (SELECT MAX(queue_order) FROM outbox WHERE conversation_id = c.id)`;
export const LIST_CONVERSATIONS = `${CONVERSATION_SELECT} ORDER BY c.last_activity_at DESC, c.id`;
export const GET_CONVERSATION = `${CONVERSATION_SELECT} WHERE c.id = ?`;
export const ALL_MEMBERS = `SELECT ${MEMBER_COLUMNS} FROM members ORDER BY conversation_id, position`;
export const MEMBERS_OF = `SELECT ${MEMBER_COLUMNS} FROM members WHERE conversation_id = ? ORDER BY position`;

export const PENDING_OUTBOX = "SELECT conversation_id, client_id, body, created_at FROM outbox WHERE state = 'pending' ORDER BY queue_order";
export const OUTBOX_OF = `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE conversation_id = ? ORDER BY queue_order`;

/**
 * Newest first by the search key (time order), so FTS5 walks its index backwards and
 * stops at the limit. Parameters: highlight start, highlight end, the MATCH expression, limit.
 */
export const SEARCH = `
  SELECT m.conversation_id, m.seq, m.client_id, m.sender_id, m.kind, m.body, m.system, m.ts,
    snippet(messages_fts, 0, ?, ?, '…', 16) AS snippet
  FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
  WHERE messages_fts MATCH ?
  ORDER BY messages_fts.rowid DESC
  LIMIT ?`;
