import type { LocalMessage, UserError } from '../../shared/ipc';
import type { Db } from './database';
import type { OutboxItem } from './local-store';
import { PENDING_OUTBOX } from './hot-queries';
import { OUTBOX_COLUMNS, outboxToLocal, type OutboxRow } from './rows';

/**
 * Messages written on this device and not yet stored by the server, in compose order.
 * An entry leaves when the server's copy is stored (markSent, or its echo arriving first:
 * see MessageWriter) or when the user deletes it.
 */
export class Outbox {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO outbox (client_id, conversation_id, sender_id, body, created_at, state, queue_order)
         VALUES (@clientId, @conversationId, @senderId, @body, @createdAt, 'pending',
           COALESCE((SELECT MAX(queue_order) FROM outbox), 0) + 1)`,
      ),
      get: db.prepare<[string], OutboxRow>(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE client_id = ?`),
      pending: db.prepare<[], { conversation_id: string; client_id: string; body: string; created_at: number }>(PENDING_OUTBOX),
      fail: db.prepare<[string, string, string]>("UPDATE outbox SET state = 'failed', error_code = ?, error_message = ? WHERE client_id = ?"),
      retry: db.prepare<[string]>(
        `UPDATE outbox SET state = 'pending', error_code = NULL, error_message = NULL,
           queue_order = (SELECT MAX(queue_order) FROM outbox) + 1
         WHERE client_id = ? AND state = 'failed'`,
      ),
      delete: db.prepare<[string]>('DELETE FROM outbox WHERE client_id = ?'),
      summary: db.prepare<[], { state: 'pending' | 'failed'; n: number }>('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state'),
    };
  }

  /** Call inside a transaction. */
  enqueue(item: OutboxItem & { senderId: string }): LocalMessage {
    this.q.insert.run(item);
    return outboxToLocal(this.q.get.get(item.clientId)!);
  }

  get(clientId: string): OutboxRow | null {
    return this.q.get.get(clientId) ?? null;
  }

  pending(): OutboxItem[] {
    return this.q.pending.all().map((r) => ({ conversationId: r.conversation_id, clientId: r.client_id, body: r.body, createdAt: r.created_at }));
  }

  markFailed(clientId: string, error: UserError): LocalMessage | null {
    if (this.q.fail.run(error.code, error.message, clientId).changes === 0) return null;
    return outboxToLocal(this.q.get.get(clientId)!);
  }

  /** Failed → pending at the end of the queue; a pending entry is returned as it is. */
  retry(clientId: string): LocalMessage | null {
    this.q.retry.run(clientId);
    const row = this.q.get.get(clientId);
    return row ? outboxToLocal(row) : null;
  }

  delete(clientId: string): boolean {
    return this.q.delete.run(clientId).changes > 0;
  }

  summary(): { pending: number; failed: number } {
    const counts = { pending: 0, failed: 0 };
    for (const row of this.q.summary.all()) counts[row.state] = row.n;
    return counts;
  }
}
