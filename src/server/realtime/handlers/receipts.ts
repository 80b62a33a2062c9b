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
    const json = JSON.stringify({ type: 'receipt.updated', receipt: change.receipt });
    // A request shares no receipts (the marker's own devices still sync them), and nobody the marker blocked sees them.
    if (!change.shared) {
      ctx.bus.publish({ kind: 'deliver', userIds: [conn.userId], frame: json });
    } else {
      const [members, { blocked }] = await Promise.all([ctx.store.memberIds(frame.conversationId), ctx.store.blocksOf(conn.userId)]);
      const hidden = new Set(blocked);
      ctx.bus.publish({ kind: 'deliver', userIds: blocked.length === 0 ? members : members.filter((id) => !hidden.has(id)), frame: json });
    }
  }
  return { deliveredSeq: change.receipt.deliveredSeq, readSeq: change.receipt.readSeq };
}
