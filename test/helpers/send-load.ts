import Database from 'better-sqlite3';
import { join } from 'node:path';
import { CourierError, type CourierSocket } from '../../src/client';
import { MAX_PAGE_SIZE, type Message } from '../../src/shared/protocol';
import { uuidv7 } from '../../src/shared/uuid-v7';

/**
 * Continuous senders for crash and shutdown tests, and the bookkeeping they need: every
 * message whose ack arrived (clientId → seq) and every message sent whose fate is unknown
 * (the connection died before an answer). Plus two independent readers of what the
 * server actually stored: history over the protocol, and the SQLite file itself.
 */
export interface Sent {
  clientId: string;
  conversationId: string;
  senderId: string;
  body: string;
}

export interface Acked extends Sent {
  seq: number;
}

export interface Stream {
  socket: CourierSocket;
  conversationId: string;
}

export class SendLoad {
  readonly acked = new Map<string, Acked>();
  /** Sent without an answer yet; after a crash: stored or not, nobody knows. */
  readonly unacked = new Map<string, Sent>();
  /** Answers other than an ack, a dropped connection, or "unavailable" while stopping (each is a test failure). */
  readonly errors: string[] = [];
  private running = false;
  private loops: Array<Promise<void>> = [];
  private counter = 0;

  /** Starts `window` concurrent send loops per stream; each stops when its socket dies. */
  start(streams: readonly Stream[], window: number): void {
    this.running = true;
    for (const stream of streams) for (let i = 0; i < window; i++) this.loops.push(this.loop(stream));
  }

  /** Stops issuing sends and waits until every loop has its last answer (or its socket is gone). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.loops = [];
  }

  /** Sends one message (or resends one, same client id) and books the outcome. */
  async send(socket: CourierSocket, sent: Sent): Promise<Acked | null> {
    this.unacked.set(sent.clientId, sent);
    try {
      const ack = await socket.send(sent.conversationId, sent.body, sent.clientId);
      if (ack.clientId !== sent.clientId || ack.conversationId !== sent.conversationId) {
        this.errors.push(`ack for ${sent.clientId} names ${ack.clientId} in ${ack.conversationId}`);
      }
      const acked = { ...sent, seq: ack.seq };
      const before = this.acked.get(sent.clientId);
      if (before && before.seq !== ack.seq) this.errors.push(`${sent.clientId} acked twice with different seqs: ${before.seq}, ${ack.seq}`);
      this.unacked.delete(sent.clientId);
      this.acked.set(sent.clientId, acked);
      return acked;
    } catch (error) {
      // 'unavailable': refused because the server began to stop, before storing anything — known not stored.
      if (error instanceof CourierError && error.code === 'unavailable') this.unacked.delete(sent.clientId);
      else if (!(error instanceof CourierError) || (error.code !== 'closed' && error.code !== 'timeout')) {
        this.errors.push(`${sent.clientId}: ${error instanceof CourierError ? error.code : ''} ${String(error)}`);
      }
      return null;
    }
  }

  private async loop({ socket, conversationId }: Stream): Promise<void> {
    while (this.running && socket.isOpen) {
      const n = ++this.counter;
      const sent = { clientId: uuidv7(), conversationId, senderId: socket.userId, body: `load ${n} from ${socket.userId}` };
      if (!(await this.send(socket, sent))) return;
    }
  }
}

/** Every entry of a conversation, oldest first, paged through history.fetch. */
export async function fetchAll(socket: CourierSocket, conversationId: string): Promise<Message[]> {
  const pages: Message[][] = [];
  let before: string | undefined;
  do {
    const page = await socket.history(conversationId, before, MAX_PAGE_SIZE);
    pages.unshift(page.messages);
    before = page.before ?? undefined;
  } while (before);
  return pages.flat();
}

export interface StoredMessage {
  conversationId: string;
  seq: number;
  senderId: string;
  clientId: string | null;
  kind: string;
  body: string;
}

export interface StoredState {
  integrity: string;
  messages: StoredMessage[];
  /** conversations.last_seq by conversation id. */
  lastSeq: Map<string, number>;
}

/** Reads the server's database file directly, read-only. Only while no server runs. */
export function readDatabase(dataDir: string): StoredState {
  const db = new Database(join(dataDir, 'courier.db'), { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const messages = db
      .prepare<[], StoredMessage>(
        `SELECT conversation_id AS conversationId, seq, sender_id AS senderId, client_id AS clientId, kind, body
         FROM messages ORDER BY conversation_id, seq`,
      )
      .all();
    const rows = db.prepare<[], { id: string; last_seq: number }>('SELECT id, last_seq FROM conversations').all();
    return { integrity, messages, lastSeq: new Map(rows.map((r) => [r.id, r.last_seq])) };
  } finally {
    db.close();
  }
}
