import type { LocalMessage } from '../../shared/ipc';
import type { CourierSocket } from '../courier-socket';
import { CourierError } from '../errors';
import type { LocalStore } from '../store/local-store';

/** Refusals that will not change on a retry: the message is marked failed for the user to act on. */
const PERMANENT = new Set(['bad_frame', 'unknown_type', 'invalid_request', 'too_large', 'not_found', 'not_allowed', 'conflict', 'limit_reached']);

function isPermanentRefusal(error: unknown): error is CourierError {
  return error instanceof CourierError && PERMANENT.has(error.code);
}

export interface OutboxSenderOptions {
  store: LocalStore;
  myUserId: string;
  /** The connection to send on, or null while offline or catching up. */
  socket: () => CourierSocket | null;
  /** A message changed state (sent or failed). */
  onChange: (message: LocalMessage) => void;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Sends the outbox in compose order, one message at a time: the server assigns seqs in
 * arrival order, and a pipelined burst could overtake a message that was rate-limited and
 * has to wait. The store keeps each entry until its ack, so a crash at any point resends
 * it with the same client id, and the server answers a resend with the original ack.
 */
export class OutboxSender {
  private running = false;
  private again = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: OutboxSenderOptions) {}

  /** Starts sending if there is anything to send and a connection to send it on. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.drain().finally(() => {
      this.running = false;
    });
  }

  stop(): void {
    clearTimeout(this.retryTimer);
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      for (const item of this.o.store.pendingOutbox()) {
        const socket = this.o.socket();
        if (!socket) return; // the next connection kicks again
        try {
          const ack = await socket.request('message.send', { conversationId: item.conversationId, clientId: item.clientId, body: item.body });
          const sent = this.o.store.markSent(item.clientId, ack, this.o.myUserId);
          if (sent) this.o.onChange(sent);
        } catch (error) {
          if (isPermanentRefusal(error)) {
            this.o.log?.('message refused', { clientId: item.clientId, code: error.code });
            const failed = this.o.store.markFailed(item.clientId, { code: error.code, message: refusalMessage(error) });
            if (failed) this.o.onChange(failed);
            continue;
          }
          // Transient (connection lost, timeout, rate limited, server busy): keep the order
          // and stop here; a reconnect or the retry timer resumes from this message.
          if (error instanceof CourierError && error.retryAfterMs !== undefined) {
            clearTimeout(this.retryTimer);
            this.retryTimer = setTimeout(() => this.kick(), error.retryAfterMs);
            this.retryTimer.unref();
          }
          return;
        }
      }
    } while (this.again);
  }
}

function refusalMessage(error: CourierError): string {
  switch (error.code) {
    case 'not_found':
      return 'This conversation is no longer available to you.';
    case 'too_large':
      return 'This message is too long to send.';
    case 'conflict':
      return 'This message conflicts with one already sent.';
    default:
      return error.message;
  }
}
