import type { LocalConversation, LocalMessage, Member } from '../state/types';

export const ME = 'u_me';

export function member(userId: string, over: Partial<Member> = {}): Member {
  return { userId, username: userId.replace(/^u_/, ''), displayName: null, role: 'member', state: 'accepted', invitedBy: null, deliveredSeq: 0, readSeq: 0, ...over };
}

export function conversation(id: string, over: Partial<LocalConversation> = {}): LocalConversation {
  return {
    id,
    kind: 'direct',
    title: null,
    createdAt: 1_700_000_000_000,
    lastSeq: 1,
    lastMessage: null,
    lastActivityAt: 1_700_000_000_000,
    unread: 0,
    readSeq: 1,
    muted: false,
    members: [member(ME), member(`u_${id}`)],
    ...over,
  };
}

export function message(conversationId: string, seq: number | null, over: Partial<LocalMessage> = {}): LocalMessage {
  return {
    conversationId,
    seq,
    clientId: seq === null ? `0190a000-0000-7000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}` : null,
    senderId: 'u_other',
    kind: 'text',
    body: `message ${seq ?? 'pending'}`,
    system: null,
    ts: 1_700_000_000_000 + (seq ?? 0) * 60_000,
    state: seq === null ? 'pending' : 'sent',
    error: null,
    ...over,
  };
}
