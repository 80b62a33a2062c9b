/**
 * How events reach every node's sockets. One node uses LocalBus (in-process); several
 * nodes use a pub/sub implementation with the same contract. Frames travel encoded, so a
 * message is serialised once however many devices receive it.
 */
export type Envelope =
  | {
      kind: 'deliver';
      /** Every connected device of these users receives `frame`. */
      userIds: readonly string[];
      frame: string;
      /** The socket that caused it (it already has its answer). */
      exceptConnectionId?: string;
      /** Set on message.new: lets a socket in catch-up skip what its sync already sent. */
      message?: { conversationId: string; seq: number };
    }
  | { kind: 'closeSessions'; sessionIds: readonly string[]; code: number; reason: string };

export interface Bus {
  publish(envelope: Envelope): void;
  subscribe(handler: (envelope: Envelope) => void): () => void;
  close(): Promise<void>;
}
