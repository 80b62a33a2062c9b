import type { Message } from '../../shared/protocol';
import type { ApplyAccumulator } from './apply-result';
import type { Db } from './database';
import { ADVANCE_CONVERSATIONS, BATCH_STATE, DELETE_ECHOES, INSERT_MESSAGES, SENDERS_SEEN, STORED_AFTER } from './hot-queries';
import { messageToLocal } from './rows';
import type { SearchKeys } from './search-keys';

interface BatchState {
  id: string;
  synced_seq: number;
  oldest: number | null;
  newest: number | null;
}

/**
 * Stores server messages and keeps the per-conversation bookkeeping in step: the sync
 * watermark, lastSeq, my read watermark, senders' watermarks, the sidebar order, and
 * outbox entries the server has already stored. A batch costs a fixed handful of
 * statements (JSON arrays in, json_each in SQL), not a few per message or conversation.
 *
 * The watermark rule: `synced_seq` is the highest seq such that every seq from the oldest
 * stored one up to it is stored. After each batch it walks forward over every stored seq
 * that continues it, so filling a gap also covers whatever was already kept beyond it.
 * A conversation with nothing stored starts at the lowest seq of its first batch: a
 * backlog-limited catch-up that brings seqs 201-400 yields a watermark of 400, and older
 * history arrives later through history pages, below the watermark.
 */
export class MessageWriter {
  private readonly q;

  constructor(
    db: Db,
    private readonly keys: SearchKeys,
    private readonly touch: (conversationId: string) => void,
  ) {
    this.q = {
      state: db.prepare<[string], BatchState>(BATCH_STATE),
      insert: db.prepare<[string], number>(INSERT_MESSAGES).pluck(),
      storedAfter: db.prepare<[string, number], number>(STORED_AFTER).pluck(),
      anyOutbox: db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM outbox)').pluck(),
      // The server has them, so they were sent (an ack lost with its connection, or an echo).
      deleteEchoes: db.prepare<[string], string>(DELETE_ECHOES).pluck(),
      advance: db.prepare<[string]>(ADVANCE_CONVERSATIONS),
      // Sending implies having received and read everything before (the server does the same).
      sendersSeen: db.prepare<[string]>(SENDERS_SEEN),
    };
  }

  /** Call inside a transaction. Messages of a conversation not stored here are skipped and reported as a gap (sync again). */
  apply(messages: readonly Message[], me: string, acc: ApplyAccumulator): void {
    if (messages.length === 0) return;
    const groups = groupByConversation(messages);
    const states = new Map(this.q.state.all(JSON.stringify([...groups.keys()])).map((s) => [s.id, s]));
    for (const id of groups.keys()) {
      if (states.has(id)) continue;
      acc.gaps.add(id);
      groups.delete(id);
    }
    const known = [...groups.values()].flat();
    if (known.length === 0) return;
    const keys = this.keys.allocate(known.map((m) => m.ts));
    // In key order: FTS5 flushes its pending terms whenever a rowid is lower than the last one.
    const rows = known.map((m, i) => toRow(m, keys[i]!)).sort((a, b) => a[0] - b[0]);
    const stored = new Set(this.q.insert.all(JSON.stringify(rows)));
    const isNew = new Map(known.map((m, i) => [m, stored.has(keys[i]!)]));
    const echoed = this.deleteEchoes(known.filter((m) => isNew.get(m)));

    const advances: Array<[string, number, number, number, number]> = [];
    const senders: Array<[string, string, number]> = [];
    for (const [id, list] of groups) {
      const state = states.get(id)!;
      const watermark = this.watermark(state, list);
      const top = list[list.length - 1]!.seq;
      if (top > watermark) acc.gaps.add(id);
      const inserted = list.filter((m) => isNew.get(m));
      if (inserted.length === 0 && watermark === state.synced_seq) continue;

      let mine = 0;
      let newestTs = 0;
      const seen = new Map<string, number>();
      for (const m of inserted) {
        seen.set(m.senderId, m.seq);
        if (m.senderId === me) mine = m.seq;
        newestTs = Math.max(newestTs, m.ts);
      }
      advances.push([id, watermark, top, mine, newestTs]);
      for (const [userId, seq] of seen) senders.push([id, userId, seq]);
      if (inserted.length === 0) continue;
      acc.changed.add(id);
      acc.inserted.set(id, [...(acc.inserted.get(id) ?? []), ...inserted.map(messageToLocal)].sort((a, b) => a.seq! - b.seq!));
    }
    if (advances.length > 0) this.q.advance.run(JSON.stringify(advances));
    if (senders.length > 0) this.q.sendersSeen.run(JSON.stringify(senders));
    // An outbox entry may have been the newest entry: recompute the sidebar order from scratch.
    for (const id of echoed) this.touch(id);
  }

  /**
   * Where the watermark ends after this batch (`list` sorted by seq, already stored): over
   * the batch in memory, then over what was stored beyond it before, which only a gap leaves.
   */
  private watermark(state: BatchState, list: readonly Message[]): number {
    let watermark = state.synced_seq > 0 ? state.synced_seq : Math.min(state.oldest ?? Infinity, list[0]!.seq) - 1;
    for (const m of list) {
      if (m.seq <= watermark) continue;
      if (m.seq !== watermark + 1) break;
      watermark = m.seq;
    }
    if (state.newest === null || state.newest <= watermark) return watermark;
    for (const seq of this.q.storedAfter.iterate(state.id, watermark)) {
      if (seq !== watermark + 1) break;
      watermark = seq;
    }
    return watermark;
  }

  /** Removes outbox entries whose message is now stored; returns their conversations. */
  private deleteEchoes(inserted: readonly Message[]): Set<string> {
    const pairs = inserted.flatMap((m) => (m.kind === 'text' ? [[m.clientId, m.conversationId]] : []));
    if (pairs.length === 0 || this.q.anyOutbox.get() === 0) return new Set();
    return new Set(this.q.deleteEchoes.all(JSON.stringify(pairs)));
  }
}

/** Grouped by conversation, each sorted by seq (so keys within one millisecond follow seq), once per seq. */
function groupByConversation(messages: readonly Message[]): Map<string, Message[]> {
  const groups = new Map<string, Message[]>();
  for (const m of messages) {
    const list = groups.get(m.conversationId);
    if (list) list.push(m);
    else groups.set(m.conversationId, [m]);
  }
  for (const [id, list] of groups) {
    list.sort((a, b) => a.seq - b.seq);
    groups.set(id, list.filter((m, i) => i === 0 || m.seq !== list[i - 1]!.seq));
  }
  return groups;
}

/** A row of INSERT_MESSAGES, in its column order. */
function toRow(m: Message, id: number): [number, ...unknown[]] {
  return m.kind === 'text'
    ? [id, m.conversationId, m.seq, m.clientId, m.senderId, 'text', m.body, null, m.ts]
    : [id, m.conversationId, m.seq, null, m.senderId, 'system', null, JSON.stringify(m.system), m.ts];
}
