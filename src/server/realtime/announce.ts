import type { Presence } from '../../shared/protocol';
import { memberInfo, viewKey, viewOf, type ConversationSnapshot } from '../conversation-view';
import type { MembershipChange } from '../store/store';
import type { RealtimeContext } from './context';

/**
 * Fans a change to a conversation out, at a cost that grows with the group and the change,
 * never with their product:
 *
 *   - the system entry, once, to everyone who was in it (the removed get it as their last one);
 *   - to members who were already in: one `conversation.changed` patch with only what changed;
 *   - to members who just got in: the whole snapshot, serialised once per distinct view
 *     (their own unread, the receipts they may see), which is one or two views in practice;
 *   - `conversation.removed` to whoever is out;
 *   - presence, between the newcomers and the others, as far as each may see the other.
 *
 * A rename of a 256-member group used to serialise the 256-member snapshot 256 times.
 */
export async function announce(ctx: RealtimeContext, change: MembershipChange): Promise<void> {
  if (change.existing) return;
  const { conversationId, message, memberIds, removedIds, joinedIds, changedIds } = change;
  if (message) {
    ctx.bus.publish({
      kind: 'deliver',
      userIds: [...memberIds, ...removedIds],
      frame: JSON.stringify({ type: 'message.new', message }),
      message: { conversationId, seq: message.seq },
    });
  }
  const snapshot = await ctx.store.conversationSnapshot(conversationId);
  if (snapshot) {
    const joined = new Set(joinedIds);
    const stayed = memberIds.filter((id) => !joined.has(id));
    const patched = new Set([...joinedIds, ...changedIds]);
    if (stayed.length > 0 && (patched.size > 0 || removedIds.length > 0 || change.title !== undefined)) {
      const frame = JSON.stringify({
        type: 'conversation.changed',
        conversationId,
        lastSeq: snapshot.lastSeq,
        ...(change.title === undefined ? {} : { title: change.title }),
        members: snapshot.members.filter((m) => patched.has(m.userId)).map(memberInfo),
        removed: removedIds,
      });
      ctx.bus.publish({ kind: 'deliver', userIds: stayed, frame });
    }
    publishSnapshots(ctx, snapshot, joinedIds);
  }
  if (removedIds.length > 0) {
    ctx.bus.publish({ kind: 'deliver', userIds: removedIds, frame: JSON.stringify({ type: 'conversation.removed', conversationId }) });
  }
  const newcomers = [...joinedIds, ...changedIds.filter((id) => snapshot?.members.some((m) => m.userId === id && m.state === 'accepted'))];
  if (snapshot && newcomers.length > 0) await introducePresence(ctx, snapshot, newcomers);
}

/** The whole snapshot to each of `viewerIds`: one serialisation per distinct view. */
export function publishSnapshots(ctx: RealtimeContext, snapshot: ConversationSnapshot, viewerIds: readonly string[]): void {
  const byView = new Map<string, string[]>();
  for (const id of viewerIds) {
    const key = viewKey(snapshot, id);
    if (key === null) continue;
    const group = byView.get(key);
    if (group) group.push(id);
    else byView.set(key, [id]);
  }
  for (const group of byView.values()) {
    const conversation = viewOf(snapshot, group[0]!);
    ctx.bus.publish({ kind: 'deliver', userIds: group, frame: JSON.stringify({ type: 'conversation.updated', conversation }) });
  }
}

/** A member who accepted (by conversation.accept or by answering): the others now see their receipts. */
export async function announceAcceptance(ctx: RealtimeContext, change: MembershipChange): Promise<void> {
  await announce(ctx, change);
  const snapshot = await ctx.store.conversationSnapshot(change.conversationId);
  if (!snapshot) return;
  for (const userId of change.changedIds) {
    const member = snapshot.members.find((m) => m.userId === userId);
    if (!member || member.state !== 'accepted') continue;
    const receipt = { conversationId: snapshot.id, userId, deliveredSeq: member.deliveredSeq, readSeq: member.readSeq };
    const audience = snapshot.members.filter((m) => !blocks(snapshot, userId, m.userId)).map((m) => m.userId);
    ctx.bus.publish({ kind: 'deliver', userIds: audience, frame: JSON.stringify({ type: 'receipt.updated', receipt }) });
  }
}

function blocks(snapshot: ConversationSnapshot, blocker: string, blocked: string): boolean {
  return snapshot.blocks.some(([a, b]) => a === blocker && b === blocked);
}

/**
 * People who now share a conversation learn whether the others are online without waiting
 * for their next sync, as far as each may see the other: a member shares their presence
 * once they accepted, and never with someone they blocked. Offline is what a client
 * assumes of someone it has not heard about, so only online and away are sent.
 */
async function introducePresence(ctx: RealtimeContext, snapshot: ConversationSnapshot, newcomers: readonly string[]): Promise<void> {
  const isNew = new Set(newcomers);
  const memberIds = snapshot.members.map((m) => m.userId);
  const presences: Presence[] = await ctx.presence.snapshot(memberIds);
  for (const presence of presences) {
    if (presence.status === 'offline') continue;
    const member = snapshot.members.find((m) => m.userId === presence.userId);
    if (member?.state !== 'accepted') continue;
    const audience = (isNew.has(presence.userId) ? memberIds : newcomers).filter(
      (id) => id !== presence.userId && !blocks(snapshot, presence.userId, id),
    );
    if (audience.length > 0) ctx.bus.publish({ kind: 'deliver', userIds: audience, frame: JSON.stringify({ type: 'presence.updated', presence }) });
  }
}
