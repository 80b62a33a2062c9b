import type { Conversation, RequestFrame, ResultData } from '../../../shared/protocol';
import { ApiError, refuse } from '../../errors';
import type { MembershipChange, Refusal } from '../../store/store';
import type { Connection } from '../connection';
import type { RealtimeContext } from '../context';

type ChangeOutcome = MembershipChange | Refusal | 'user_not_found';

/** Throws the refusal, or tells everyone concerned and returns the requester's view. */
async function apply(ctx: RealtimeContext, conn: Connection, outcome: ChangeOutcome): Promise<Conversation | null> {
  if (typeof outcome === 'string') refuse(outcome);
  const base = outcome.existing ? await ctx.store.getConversation(conn.userId, outcome.conversationId) : await announce(ctx, outcome);
  return base && viewedBy(base, conn.userId);
}

/** A snapshot as one member sees it (unread is theirs); null if they are not in it. */
function viewedBy(base: Conversation, userId: string): Conversation | null {
  const member = base.members.find((m) => m.userId === userId);
  return member ? { ...base, unread: Math.max(0, base.lastSeq - member.readSeq) } : null;
}

/**
 * Fans a change out: the system entry to everyone who was in the conversation (the
 * removed member gets it as their last entry), a snapshot to each current member with
 * their own unread count, and `conversation.removed` to whoever left or was removed.
 */
export async function announce(ctx: RealtimeContext, change: MembershipChange): Promise<Conversation | null> {
  if (change.existing) return null;
  const { conversationId, message, memberIds, removedIds } = change;
  if (message) {
    ctx.bus.publish({
      kind: 'deliver',
      userIds: [...memberIds, ...removedIds],
      frame: JSON.stringify({ type: 'message.new', message }),
      message: { conversationId, seq: message.seq },
    });
  }
  const viewer = memberIds[0];
  const base = viewer ? await ctx.store.getConversation(viewer, conversationId) : null;
  if (base) {
    for (const member of base.members) {
      const conversation = viewedBy(base, member.userId);
      ctx.bus.publish({ kind: 'deliver', userIds: [member.userId], frame: JSON.stringify({ type: 'conversation.updated', conversation }) });
    }
  }
  if (removedIds.length > 0) {
    ctx.bus.publish({ kind: 'deliver', userIds: removedIds, frame: JSON.stringify({ type: 'conversation.removed', conversationId }) });
  }
  const joined = message?.kind !== 'system' ? [] : message.system.event === 'created' ? memberIds : message.system.event === 'members.added' ? message.system.userIds : [];
  if (joined.length > 0) await introducePresence(ctx, memberIds, joined);
  return base;
}

/**
 * People who now share a conversation for the first time learn whether the others are
 * online without waiting for their next sync. Offline is what a client assumes of
 * someone it has not heard about, so only online and away are sent.
 */
async function introducePresence(ctx: RealtimeContext, memberIds: readonly string[], joined: readonly string[]): Promise<void> {
  const isNew = new Set(joined);
  for (const presence of await ctx.presence.snapshot(memberIds)) {
    if (presence.status === 'offline') continue;
    const audience = (isNew.has(presence.userId) ? memberIds : joined).filter((id) => id !== presence.userId);
    if (audience.length > 0) ctx.bus.publish({ kind: 'deliver', userIds: audience, frame: JSON.stringify({ type: 'presence.updated', presence }) });
  }
}

function found(conversation: Conversation | null): { conversation: Conversation } {
  if (!conversation) refuse('not_found');
  return { conversation };
}

export async function listConversations(ctx: RealtimeContext, conn: Connection): Promise<ResultData<'conversation.list'>> {
  return { conversations: await ctx.store.listConversations(conn.userId) };
}

export async function getConversation(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.get'>) {
  return found(await ctx.store.getConversation(conn.userId, f.conversationId));
}

export async function openDirect(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.openDirect'>) {
  if (f.userId === conn.userId) throw new ApiError('invalid_request', 'a direct conversation needs another user');
  return found(await apply(ctx, conn, await ctx.store.openDirect(conn.userId, f.userId, ctx.now())));
}

export async function createGroup(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.createGroup'>) {
  return found(await apply(ctx, conn, await ctx.store.createGroup(conn.userId, f.title, f.memberIds, ctx.now())));
}

export async function renameConversation(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.rename'>) {
  return found(await apply(ctx, conn, await ctx.store.rename(conn.userId, f.conversationId, f.title, ctx.now())));
}

export async function addMembers(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.addMembers'>) {
  return found(await apply(ctx, conn, await ctx.store.addMembers(conn.userId, f.conversationId, f.userIds, ctx.now())));
}

export async function removeMember(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.removeMember'>) {
  if (f.userId === conn.userId) throw new ApiError('invalid_request', 'to remove yourself, use conversation.leave');
  return found(await apply(ctx, conn, await ctx.store.removeMember(conn.userId, f.conversationId, f.userId, ctx.now())));
}

export async function leaveConversation(ctx: RealtimeContext, conn: Connection, f: RequestFrame<'conversation.leave'>): Promise<ResultData<'conversation.leave'>> {
  await apply(ctx, conn, await ctx.store.leave(conn.userId, f.conversationId, ctx.now()));
  return {};
}

export async function searchUsers(ctx: RealtimeContext, f: RequestFrame<'user.search'>): Promise<ResultData<'user.search'>> {
  return { users: await ctx.store.searchUsers(f.query, f.limit ?? 20) };
}
