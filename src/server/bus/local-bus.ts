import type { Bus, Envelope } from './bus';

/** The single-node Bus: delivers synchronously to this process's subscribers. */
export class LocalBus implements Bus {
  private readonly handlers = new Set<(e: Envelope) => void>();

  publish(envelope: Envelope): void {
    for (const handler of this.handlers) handler(envelope);
  }

  subscribe(handler: (e: Envelope) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
