import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Conversation, Member, Message, SystemEvent } from '../../shared/protocol';
import { SqliteLocalStore } from './sqlite-local-store';

/** Test helpers for the local store: real SQLite files in a temp dir, and small entity builders. */

export const ME = 'u_me';

export interface TempStore {
  store: SqliteLocalStore;
  dir: string;
  file: string;
  /** Closes the store (reopen with `reopen`). */
  reopen(): SqliteLocalStore;
  dispose(): void;
}

export function tempStore(): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'courier-local-store-'));
  const file = join(dir, 'account.db');
  const t: TempStore = {
    store: new SqliteLocalStore(file),
    dir,
    file,
    reopen() {
      t.store.close();
      t.store = new SqliteLocalStore(file);
      return t.store;
    },
    dispose() {
      t.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

export function member(userId: string, o: Partial<Member> = {}): Member {
  return { userId, username: `name-${userId}`, displayName: null, role: 'member', state: 'accepted', invitedBy: null, deliveredSeq: 0, readSeq: 0, ...o };
}

export function conversation(id: string, o: Partial<Conversation> = {}): Conversation {
  return {
    id,
    kind: 'direct',
    title: null,
    createdAt: 1_000,
    lastSeq: 0,
    lastMessage: null,
    unread: 0,
    members: [member(ME), member('u_bob')],
    ...o,
  };
}

export function text(conversationId: string, seq: number, o: { senderId?: string; body?: string; ts?: number; clientId?: string } = {}): Message {
  return {
    kind: 'text',
    conversationId,
    seq,
    senderId: o.senderId ?? 'u_bob',
    clientId: o.clientId ?? `client-${conversationId}-${seq}`,
    body: o.body ?? `message ${seq}`,
    ts: o.ts ?? 10_000 + seq,
  };
}

export function system(conversationId: string, seq: number, event: SystemEvent, o: { senderId?: string; ts?: number } = {}): Message {
  return { kind: 'system', conversationId, seq, senderId: o.senderId ?? 'u_bob', clientId: null, system: event, ts: o.ts ?? 10_000 + seq };
}

/** `count` text messages with seqs from `from`. */
export function texts(conversationId: string, from: number, count: number): Message[] {
  return Array.from({ length: count }, (_, i) => text(conversationId, from + i));
}

export function seqs(messages: ReadonlyArray<{ seq: number | null }>): Array<number | null> {
  return messages.map((m) => m.seq);
}
