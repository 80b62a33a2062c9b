import { SystemEventSchema, type Message, type User } from '../../../shared/protocol';

/** Row shapes as SQLite returns them, and their mapping to protocol entities. */
export interface UserRow {
  id: string;
  username: string;
  display_name: string | null;
}
export interface MessageRow {
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_id: string | null;
  kind: 'text' | 'system';
  body: string;
  ts: number;
}
export const MESSAGE_COLUMNS = 'conversation_id, seq, sender_id, client_id, kind, body, ts';

export function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, displayName: row.display_name };
}

export function toMessage(row: MessageRow): Message {
  if (row.kind === 'system') {
    return {
      kind: 'system',
      conversationId: row.conversation_id,
      seq: row.seq,
      senderId: row.sender_id,
      clientId: null,
      // Rows read back from disk are a trust boundary too: parse, do not cast.
      system: SystemEventSchema.parse(JSON.parse(row.body)),
      ts: row.ts,
    };
  }
  return {
    kind: 'text',
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    clientId: row.client_id ?? '',
    body: row.body,
    ts: row.ts,
  };
}
