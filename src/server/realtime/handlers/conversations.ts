import { MIN_SEARCH_PREFIX, type Conversation, type RequestFrame, type ResultData } from '../../../shared/protocol';
import { ApiError, refuse } from '../../errors';
import type { MembershipChange, Refusal } from '../../store/store';
import { announce, announceAcceptance } from '../announce';
import type { Connection } from '../connection';
import type { RealtimeContext } from '../context';

type ChangeOutcome = MembershipChange | Refusal | 'user_not_found';

/** Throws the refusal, or tells everyone concerned and returns the requester's view. */
async function apply(ctx: RealtimeContext, conn: Connection, outcome: ChangeOutcome): Promise<Conversation | null> {
  if (typeof outcome === 'string') refuse(outcome);
  await announce(ctx, outcome);
  return ctx.store.getConversation(conn.userId, outcome.conversationId);
}

function found(conversation: Conversation | null): { conversation: Conversation } {
  if (!conversation) refuse('not_found');
  return { conversation };
}

/** Answers of read requests count toward the account's byte budget (estimated as their JSON). */
function costed<T>(ctx: RealtimeContext, conn: Connection, value: T): T {
  ctx.budgets.readCost(conn.userId, JSON.stringify(value).length);
  return value;
}

export async function listConversations(ctx: RealtimeContext, conn: Connection): Promise<ResultData<'conversation.list'>> {
  ctx.budgets.read(conn.userId);
  return costed(ctx, conn, { conversations: await ctx.store.listConversations(conn.userId) });
}

export async function getConversation(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.get'>) {
  ctx.budgets.read(conn.userId);
  return costed(ctx, conn, found(await ctx.store.getConversation(conn.userId, f.conversationId)));
}

export async function openDirect(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.openDirect'>) {
  if (f.userId === conn.userId) throw new ApiError('invalid_request', 'a direct conversation needs another user');
  // Opening one that exists is navigation; only starting a new one spends the budget.
  if (!(await ctx.store.hasDirect(conn.userId, f.userId))) ctx.budgets.openDirect(conn.userId);
  return found(await apply(ctx, conn, await ctx.store.openDirect(conn.userId, f.userId, ctx.now())));
}

export async function createGroup(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.createGroup'>) {
  ctx.budgets.createGroup(conn.userId, f.memberIds.length);
  return found(await apply(ctx, conn, await ctx.store.createGroup(conn.userId, f.title, f.memberIds, ctx.now())));
}

export async function renameConversation(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.rename'>) {
  ctx.budgets.changeConversation(f.conversationId);
  return found(await apply(ctx, conn, await ctx.store.rename(conn.userId, f.conversationId, f.title, ctx.now())));
}

export async function addMembers(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.addMembers'>) {
  ctx.budgets.changeConversation(f.conversationId);
  ctx.budgets.addMembers(conn.userId, f.userIds.length);
  return found(await apply(ctx, conn, await ctx.store.addMembers(conn.userId, f.conversationId, f.userIds, ctx.now())));
}

export async function removeMember(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.removeMember'>) {
  if (f.userId === conn.userId) throw new ApiError('invalid_request', 'to remove yourself, use conversation.leave');
  ctx.budgets.changeConversation(f.conversationId);
  return found(await apply(ctx, conn, await ctx.store.removeMember(conn.userId, f.conversationId, f.userId, ctx.now())));
}

/** Leaving is never budgeted: a user can always get out. */
export async function leaveConversation(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.leave'>): Promise<ResultData<'conversation.leave'>> {
  await apply(ctx, conn, await ctx.store.leave(conn.userId, f.conversationId, ctx.now()));
  return {};
}

export async function acceptConversation(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.accept'>) {
  const outcome = await ctx.store.accept(conn.userId, f.conversationId);
  if (typeof outcome === 'string') refuse(outcome);
  await announceAcceptance(ctx, outcome);
  return found(await ctx.store.getConversation(conn.userId, f.conversationId));
}

export async function declineConversation(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.decline'>): Promise<ResultData<'conversation.decline'>> {
  const outcome = await ctx.store.decline(conn.userId, f.conversationId, ctx.now());
  if (outcome === 'invalid_request') throw new ApiError('invalid_request', 'there is no request to decline here; to leave a group, use conversation.leave');
  await apply(ctx, conn, outcome);
  return {};
}

/**
 * The directory: a prefix of at least MIN_SEARCH_PREFIX characters, or an exact username
 * (shorter queries, and every query when the operator set the directory to exact names).
 */
export async function searchUsers(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'user.search'>): Promise<ResultData<'user.search'>> {
  ctx.budgets.search(conn.userId);
  const exact = ctx.budgets.policy.directory === 'exact' || [...f.query].length < MIN_SEARCH_PREFIX;
  return { users: await ctx.store.searchUsers(conn.userId, f.query, f.limit ?? 20, exact) };
}
