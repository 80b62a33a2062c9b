import type { Conversation, Member, MemberInfo, Message } from '../shared/protocol';

/**
 * A conversation as stored, before anyone looks at it: every member with their real
 * receipts, and the blocks among the members. What one member may see of it is `viewOf`;
 * both Store implementations build this shape and share these rules.
 */
export interface ConversationSnapshot {
  id: string;
  kind: 'direct' | 'group';
  title: string | null;
  createdAt: number;
  lastSeq: number;
  lastMessage: Message | null;
  members: Member[];
  /** [blocker, blocked] pairs where both are members. */
  blocks: ReadonlyArray<readonly [string, string]>;
}

/**
 * Receipts a viewer may not see: those of a member who has not accepted yet (a request
 * shares nothing until answered), and those of a member who blocked the viewer. Shown as 0,
 * which a client treats as "not delivered yet" and never lets lower what it already knows.
 */
function hidesReceiptsFrom(snapshot: ConversationSnapshot, member: Member, viewerId: string): boolean {
  if (member.userId === viewerId) return false;
  if (member.state === 'pending') return true;
  return snapshot.blocks.some(([blocker, blocked]) => blocker === member.userId && blocked === viewerId);
}

/** The conversation as `viewerId` sees it (their own unread, receipts they may see); null if not a member. */
export function viewOf(snapshot: ConversationSnapshot, viewerId: string): Conversation | null {
  const me = snapshot.members.find((m) => m.userId === viewerId);
  if (!me) return null;
  const { blocks: _blocks, ...conversation } = snapshot;
  return {
    ...conversation,
    unread: Math.max(0, snapshot.lastSeq - me.readSeq),
    members: snapshot.members.map((m) => (hidesReceiptsFrom(snapshot, m, viewerId) && (m.deliveredSeq > 0 || m.readSeq > 0) ? { ...m, deliveredSeq: 0, readSeq: 0 } : m)),
  };
}

/**
 * Viewers with the same key see the same bytes, so a snapshot for many new members is
 * serialised once per distinct view instead of once per member: usually one or two views
 * (the actor, everyone else), whatever the group's size.
 */
export function viewKey(snapshot: ConversationSnapshot, viewerId: string): string | null {
  const me = snapshot.members.find((m) => m.userId === viewerId);
  if (!me) return null;
  const hidden = snapshot.members.filter((m) => (m.deliveredSeq > 0 || m.readSeq > 0) && hidesReceiptsFrom(snapshot, m, viewerId)).map((m) => m.userId);
  return `${Math.max(0, snapshot.lastSeq - me.readSeq)}|${hidden.join(',')}`;
}

export function memberInfo(m: Member): MemberInfo {
  return { userId: m.userId, username: m.username, displayName: m.displayName, role: m.role, state: m.state, invitedBy: m.invitedBy };
}
