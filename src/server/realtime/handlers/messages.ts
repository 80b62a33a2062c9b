import { DEFAULT_PAGE_SIZE, type Message, type RequestFrame, type ResultData } from '../../../shared/protocol';
import { ApiError, refuse } from '../../errors';
import { announceAcceptance } from '../announce';
import type { Connection } from '../connection';
import type { RealtimeContext } from '../context';

export async function sendMessage(
  ctx: RealtimeContext,
  conn: Connection,
  frame: RequestFrame<'message.send'>,
  receivedAt: number,
): Promise<ResultData<'message.send'>> {
  const result = await ctx.messages.submit({
    senderId: conn.userId,
    conversationId: frame.conversationId,
    clientId: frame.clientId,
    body: frame.body,
    now: ctx.now(),
  });
  if (!result.ok) {
    if (result.code === 'conflict') throw new ApiError('conflict', 'this clientId was already used for a different message');
    refuse(result.code);
  }
  const { message } = result;
  if (!result.duplicate) {
    ctx.metrics.messages.inc();
    ctx.bus.publish({
      kind: 'deliver',
      userIds: result.memberIds,
      frame: JSON.stringify({ type: 'message.new', message }),
      exceptConnectionId: conn.id,
      message: { conversationId: message.conversationId, seq: message.seq },
    });
  }
  if (result.accepted) {
    // Answering a request accepted it: as conversation.accept would have announced.
    const change = { conversationId: message.conversationId, message: null, memberIds: result.memberIds, joinedIds: [], removedIds: [], changedIds: [conn.userId], existing: false };
    void announceAcceptance(ctx, change).catch((err: unknown) => ctx.logger.error({ err }, 'announcing an acceptance failed'));
  }
  ctx.metrics.ackLatency.observe((performance.now() - receivedAt) / 1000);
  return { conversationId: message.conversationId, clientId: frame.clientId, seq: message.seq, ts: message.ts };
}

/** Cursors are opaque to clients: "the page before seq N", versioned so the format can change. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`h1:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^h1:(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new ApiError('invalid_request', 'before: not a cursor from this server');
  return Number(match[1]);
}

export async function fetchHistory(
  ctx: RealtimeContext,
  conn: Connection,
  frame: RequestFrame<'history.fetch'>,
): Promise<ResultData<'history.fetch'>> {
  if (frame.before !== undefined && frame.beforeSeq !== undefined) {
    throw new ApiError('invalid_request', 'give either before or beforeSeq, not both');
  }
  const before = frame.beforeSeq ?? (frame.before === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(frame.before));
  const limit = frame.limit ?? DEFAULT_PAGE_SIZE;
  ctx.budgets.read(conn.userId);
  const newestFirst = await ctx.store.historyBefore(conn.userId, frame.conversationId, before, limit);
  if (newestFirst === null) refuse('not_found');
  const oldest = newestFirst[newestFirst.length - 1];
  const more = newestFirst.length === limit && oldest !== undefined && oldest.seq > 1;
  ctx.budgets.readCost(conn.userId, pageBytes(newestFirst));
  return { messages: newestFirst.reverse(), before: more ? encodeCursor(oldest.seq) : null };
}

/** About what a page weighs as JSON, without serialising it twice. */
function pageBytes(messages: readonly Message[]): number {
  let bytes = 0;
  for (const m of messages) bytes += 200 + (m.kind === 'text' ? m.body.length : 100);
  return bytes;
}
