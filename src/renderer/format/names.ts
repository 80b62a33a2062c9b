import type { LocalConversation, Member, Presence, SystemEvent } from '../state/types';

export function memberName(m: Pick<Member, 'username' | 'displayName'>): string {
  return m.displayName ?? m.username;
}

/** The other person in a direct chat (undefined for a group, or a direct chat with myself). */
export function directPeer(c: LocalConversation, myUserId: string | null): Member | undefined {
  if (c.kind !== 'direct') return undefined;
  return c.members.find((m) => m.userId !== myUserId);
}

/**
 * Groups show their title; a direct chat is named after the other member. A direct chat
 * cannot be left, so one without the other person is a request they declined (the engine
 * keeps no record of who that was).
 */
export function conversationTitle(c: LocalConversation, myUserId: string | null): string {
  if (c.kind === 'group') return c.title ?? 'Unnamed group';
  const peer = directPeer(c, myUserId);
  return peer ? memberName(peer) : 'Declined request';
}

/** One or two letters for an avatar. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length >= 2 ? [words[0], words[1]] : [words[0] ?? '?'];
  return letters
    .map((w) => [...(w ?? '?')][0] ?? '?')
    .join('')
    .toUpperCase();
}

/** A member's name by id ("You" for me); null for people who have left (their names leave with them). */
export function knownName(c: LocalConversation | undefined, userId: string, myUserId: string | null): string | null {
  if (userId === myUserId) return 'You';
  const m = c?.members.find((x) => x.userId === userId);
  return m ? memberName(m) : null;
}

/** A member's name by id, falling back to "Someone" for people who have left. */
export function nameOf(c: LocalConversation | undefined, userId: string, myUserId: string | null): string {
  return knownName(c, userId, myUserId) ?? 'Someone';
}

/** "Ann is typing…", "Ann and Bob are typing…", "3 people are typing…". */
export function typingText(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/** What a system entry says, e.g. "Ann renamed the group to Launch". `actorId` is its sender. */
export function systemText(event: SystemEvent, actorId: string, c: LocalConversation | undefined, myUserId: string | null): string {
  const actor = nameOf(c, actorId, myUserId);
  const name = (userId: string): string => nameOf(c, userId, myUserId);
  switch (event.event) {
    case 'created':
      return event.title === null ? `${actor} started the conversation` : `${actor} created the group “${event.title}”`;
    case 'renamed':
      return `${actor} renamed the group to “${event.title}”`;
    case 'members.added':
      return `${actor} added ${event.userIds.map(name).join(', ')}`;
    case 'member.removed':
      return `${actor} removed ${name(event.userId)}`;
    case 'member.left':
      return `${actor} left`;
    case 'request.declined': {
      // Only the sender of a DM request sees its answer; everyone in a group sees an invitation's.
      if (c?.kind === 'group') return `${actor} declined the invitation`;
      const who = knownName(c, actorId, myUserId);
      return who === null ? 'Your request was declined' : `${who} declined your request`;
    }
  }
}

export function presenceLabel(p: Presence | undefined, now: number): string {
  if (!p) return 'Offline';
  if (p.status === 'online') return 'Online';
  if (p.status === 'away') return 'Away';
  return p.lastSeenAt === null ? 'Offline' : `Last seen ${relativeTime(p.lastSeenAt, now)}`;
}

/** "just now", "5 min ago", "3 h ago", "yesterday", "Mar 4". */
export function relativeTime(ts: number, now: number): string {
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 2 * 86_400) return 'yesterday';
  return new Date(ts).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}
