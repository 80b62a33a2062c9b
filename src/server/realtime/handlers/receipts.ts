import type { RequestFrame, ResultData } from '../../../shared/protocol';
import { refuse } from '../../errors';
import type { Connection } from '../connection';
import type { RealtimeContext } from '../context';

/**
 * Advances this user's delivered or read watermark. Receipts go through their own group
 * commit, so a burst of delivery acks costs one transaction; members hear of a change.
 */
export async function markReceipt(
  ctx: RealtimeContext,
  conn: Connection,
  frame: RequestFrame<'receipt.mark'>,
): Promise<ResultData<'receipt.mark'>> {
  const change = await ctx.receipts.submit({ conversationId: frame.conversationId, userId: conn.userId, kind: frame.kind, seq: frame.seq });
  if (!change) refuse('not_found');
  if (change.changed) {
    const members = await ctx.store.memberIds(frame.conversationId);
    ctx.bus.publish({ kind: 'deliver', userIds: members, frame: JSON.stringify({ type: 'receipt.updated', receipt: change.receipt }) });
  }
  return { deliveredSeq: change.receipt.deliveredSeq, readSeq: change.receipt.readSeq };
}
