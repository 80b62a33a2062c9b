import type { CourierSocket } from '../courier-socket';

/**
 * Sends delivered/read marks without tripping the server's per-connection frame budget.
 * Marks are coalesced per conversation (only the highest seq matters: watermarks are
 * monotone on the server) and paced: after a catch-up touching hundreds of conversations,
 * a burst of notices would be rate-limited and, repeated, close the connection (1008).
 */
export class ReceiptPump {
  private readonly due = new Map<string, { delivered: number; read: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: () => CourierSocket | null,
    private readonly perTick = 5,
    private readonly tickMs = 250,
  ) {}

  mark(conversationId: string, kind: 'delivered' | 'read', seq: number): void {
    if (seq <= 0) return;
    const entry = this.due.get(conversationId) ?? { delivered: 0, read: 0 };
    entry[kind] = Math.max(entry[kind], seq);
    this.due.set(conversationId, entry);
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Call when a connection is (again) available. */
  resume(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.due.size === 0) return;
    this.timer = setTimeout(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  private tick(): void {
    this.timer = undefined;
    const socket = this.socket();
    if (!socket) return; // resume() reschedules when a connection is back
    let budget = this.perTick;
    for (const [conversationId, entry] of this.due) {
      if (budget <= 0) break;
      if (entry.delivered > 0) socket.notify('receipt.mark', { conversationId, kind: 'delivered', seq: entry.delivered });
      if (entry.read > 0) socket.notify('receipt.mark', { conversationId, kind: 'read', seq: entry.read });
      this.due.delete(conversationId);
      budget--;
    }
    this.schedule();
  }
}
