import type { LocalMessage } from '../../shared/ipc';
import { SystemEventSchema, type Member, type Message, type SystemEvent } from '../../shared/protocol';

/** Row shapes as SQLite returns them, and their mapping to the app's models. */

export interface MessageRow {
  conversation_id: string;
  seq: number;
  client_id: string | null;
  sender_id: string;
  kind: 'text' | 'system';
  body: string | null;
  system: string | null;
  ts: number;
}
export const MESSAGE_COLUMNS = 'conversation_id, seq, client_id, sender_id, kind, body, system, ts';

export interface OutboxRow {
  client_id: string;
  conversation_id: string;
  sender_id: string;
  body: string;
  created_at: number;
  state: 'pending' | 'failed';
  error_code: string | null;
  error_message: string | null;
}
export const OUTBOX_COLUMNS = 'client_id, conversation_id, sender_id, body, created_at, state, error_code, error_message';

export interface MemberRow {
  conversation_id: string;
  user_id: string;
  username: string;
  display_name: string | null;
  role: 'owner' | 'member';
  state: 'accepted' | 'pending';
  invited_by: string | null;
  delivered_seq: number;
  read_seq: number;
}
export const MEMBER_COLUMNS = 'conversation_id, user_id, username, display_name, role, state, invited_by, delivered_seq, read_seq';

export function toLocalMessage(row: MessageRow): LocalMessage {
  const text = row.kind === 'text';
  return {
    conversationId: row.conversation_id,
    seq: row.seq,
    clientId: row.client_id,
    senderId: row.sender_id,
    kind: row.kind,
    body: text ? (row.body ?? '') : null,
    system: text ? null : parseSystem(row.system),
    ts: row.ts,
    state: 'sent',
    error: null,
  };
}

/** A server message as the app shows it once stored. */
export function messageToLocal(m: Message): LocalMessage {
  return {
    conversationId: m.conversationId,
    seq: m.seq,
    clientId: m.kind === 'text' ? m.clientId : null,
    senderId: m.senderId,
    kind: m.kind,
    body: m.kind === 'text' ? m.body : null,
    system: m.kind === 'system' ? m.system : null,
    ts: m.ts,
    state: 'sent',
    error: null,
  };
}

export function outboxToLocal(row: OutboxRow): LocalMessage {
  return {
    conversationId: row.conversation_id,
    seq: null,
    clientId: row.client_id,
    senderId: row.sender_id,
    kind: 'text',
    body: row.body,
    system: null,
    ts: row.created_at,
    state: row.state,
    error: row.state === 'failed' ? { code: row.error_code ?? 'unknown', message: row.error_message ?? '' } : null,
  };
}

export function toMember(row: MemberRow): Member {
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    state: row.state,
    invitedBy: row.invited_by,
    deliveredSeq: row.delivered_seq,
    readSeq: row.read_seq,
  };
}

/**
 * Stored system events are read back from disk, which is a trust boundary: a row this
 * version cannot understand (written by a newer app, or damaged) shows as an unknown
 * event (null) instead of making the whole timeline page fail.
 */
export function parseSystem(json: string | null): SystemEvent | null {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = SystemEventSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
