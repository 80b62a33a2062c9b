import type { RequestFrame, ResultData } from '../../../shared/protocol';
import { ApiError, refuse } from '../../errors';
import { announce } from '../announce';
import type { Connection } from '../connection';
import type { RealtimeContext } from '../context';

/**
 * Blocking `userId`: they can no longer start a conversation with the blocker or put them
 * in one, every request they sent is declined, and from now on they see none of the
 * blocker's presence, last seen, typing or receipts (the blocker looks offline to them).
 * Messages they post in groups both are in are still stored and delivered; the blocker's
 * clients hide them. The blocker's other devices hear `block.changed`.
 */
export async function blockUser(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'block.add'>): Promise<ResultData<'block.add'>> {
  if (f.userId === conn.userId) throw new ApiError('invalid_request', 'you cannot block yourself');
  const outcome = await ctx.store.block(conn.userId, f.userId, ctx.now());
  if (outcome === 'user_not_found') refuse(outcome);
  if (outcome === 'limit_reached') throw new ApiError('limit_reached', 'you cannot block more users; unblock someone first');
  for (const declined of outcome) await announce(ctx, declined);
  ctx.presence.conceal(conn.userId, f.userId);
  ctx.bus.publish({ kind: 'deliver', userIds: [conn.userId], frame: JSON.stringify({ type: 'block.changed', userId: f.userId, blocked: true }) });
  return {};
}

export async function unblockUser(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'block.remove'>): Promise<ResultData<'block.remove'>> {
  if (await ctx.store.unblock(conn.userId, f.userId)) {
    if ((await ctx.store.presenceAudience(conn.userId)).includes(f.userId)) await ctx.presence.reveal(conn.userId, f.userId);
    ctx.bus.publish({ kind: 'deliver', userIds: [conn.userId], frame: JSON.stringify({ type: 'block.changed', userId: f.userId, blocked: false }) });
  }
  return {};
}

export async function listBlocked(ctx: RealtimeContext, conn: Connection): Promise<ResultData<'block.list'>> {
  ctx.budgets.read(conn.userId);
  return { users: await ctx.store.listBlocked(conn.userId) };
}

export async function getPrivacy(ctx: RealtimeContext, conn: Connection): Promise<ResultData<'privacy.get'>> {
  const privacy = await ctx.store.getPrivacy(conn.userId);
  if (!privacy) throw new ApiError('not_found', 'no such account');
  return { privacy };
}

export async function setPrivacy(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'privacy.set'>): Promise<ResultData<'privacy.set'>> {
  const privacy = await ctx.store.setPrivacy(conn.userId, f.privacy);
  if (!privacy) throw new ApiError('not_found', 'no such account');
  ctx.bus.publish({ kind: 'deliver', userIds: [conn.userId], frame: JSON.stringify({ type: 'privacy.changed', privacy }) });
  return { privacy };
}
