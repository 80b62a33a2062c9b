import { ambiguousPeople, nameWithHandle, shownName, type ConversationPeople, type NamedPerson } from '../../shared/confusable';
import type { LocalConversation, Member, Presence, SystemEvent } from '../state/types';

/*
 * Every person's name on screen goes through shownPerson: the display name (else the
 * username), with "(@username)" beside it where the name alone could be taken for someone
 * else's (src/shared/confusable.ts). Which people need it is the conversation's business
 * (ConversationNames, built and cached by state/people-names.ts); nothing here computes a
 * skeleton.
 */

export const YOU = 'You';
export const SOMEONE = 'Someone';
/** What the screen says instead of a name: someone called one of these shows their handle ("You added Bob"). */
export const RESERVED_NAMES: readonly string[] = [YOU, SOMEONE];

/** A person as the screen shows them. `text` is what is read and announced: the name, or "name (@handle)". */
export interface ShownPerson {
  readonly name: string;
  /** The username, shown beside the name only where the name could mislead. */
  readonly handle: string | null;
  readonly text: string;
}

/** The one way a person becomes a name on screen. */
export function shownPerson(p: NamedPerson, ambiguous: boolean): ShownPerson {
  const name = shownName(p);
  return ambiguous ? { name, handle: p.username, text: nameWithHandle(p, true) } : { name, handle: null, text: name };
}

function word(text: string): ShownPerson {
  return { name: text, handle: null, text };
}

const YOU_SHOWN = word(YOU);
const SOMEONE_SHOWN = word(SOMEONE);

/**
 * How one conversation names its people, for one signed-in user. Immutable; the same
 * instance comes back for as long as the members' names stay the same, so rows that take
 * it (or the ShownPerson it hands out) as a prop are not re-rendered by read receipts.
 */
export class ConversationNames {
  private readonly memo = new Map<string, ShownPerson>();
  private firstNamesCollide: ReadonlySet<string> | null = null;
  /** The other person of a direct chat, as its title names them. */
  readonly peer: ShownPerson | undefined;

  constructor(
    private readonly people: ConversationPeople | undefined,
    readonly myUserId: string | null,
    /** The other person of a direct chat, and whether their name collides with anyone's in any conversation. */
    private readonly peerInfo: { userId: string; ambiguous: boolean } | null = null,
    /** ambiguousPeople with the app's reserved words (PeopleNames passes its cached one). */
    private readonly among: (people: Iterable<NamedPerson>) => ReadonlySet<string> = (people) => ambiguousPeople(people, { reserved: RESERVED_NAMES }),
  ) {
    this.peer = peerInfo === null ? undefined : (this.member(peerInfo.userId) ?? undefined);
  }

  /** A member in the third person (never "You"), or null for someone not, or no longer, a member. */
  member(userId: string): ShownPerson | null {
    const cached = this.memo.get(userId);
    if (cached !== undefined) return cached;
    const people = this.people;
    const p = people?.byId.get(userId);
    if (people === undefined || p === undefined) return null;
    const ambiguous = people.ambiguous.has(userId) || (this.peerInfo?.userId === userId && this.peerInfo.ambiguous);
    const shown = shownPerson(p, ambiguous);
    this.memo.set(userId, shown);
    return shown;
  }

  /** A member by id, "You" for me; null for people who have left (their names leave with them). */
  known(userId: string): ShownPerson | null {
    return userId === this.myUserId ? YOU_SHOWN : this.member(userId);
  }

  /** As known, with "Someone" for people who have left. */
  of(userId: string): ShownPerson {
    return this.known(userId) ?? SOMEONE_SHOWN;
  }

  /** As text: "You", "Ann", "Аlice (@alice2)", "Someone". */
  text(userId: string): string {
    return this.of(userId).text;
  }

  /**
   * For the sidebar's one line: the first name ("Ann" for "Ann Lee"), unless it could be
   * taken for another member's first name (then the whole name) or the whole name could
   * (then the name with the handle, as everywhere).
   */
  short(userId: string): string {
    const shown = this.of(userId);
    if (shown.handle !== null || this.people === undefined || !this.people.byId.has(userId)) return shown.text;
    const first = firstName(shown.name);
    if (first === shown.name) return first;
    this.firstNamesCollide ??= this.among([...this.people.byId.values()].map((p) => ({ ...p, displayName: firstName(shownName(p)) })));
    return this.firstNamesCollide.has(userId) ? shown.name : first;
  }
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/** The other person in a direct chat (undefined for a group, or a direct chat with myself). */
export function directPeer(c: LocalConversation, myUserId: string | null): Member | undefined {
  if (c.kind !== 'direct') return undefined;
  return c.members.find((m) => m.userId !== myUserId);
}

/**
 * Groups show their title; a direct chat is named after the other member (with their handle
 * where their name collides with anyone's in the user's conversations). A direct chat
 * cannot be left, so one without the other person is a request they declined (the engine
 * keeps no record of who that was).
 */
export function conversationTitle(c: LocalConversation, names: ConversationNames): string {
  if (c.kind === 'group') return c.title ?? 'Unnamed group';
  return names.peer?.text ?? 'Declined request';
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

/** "Ann is typing…", "Ann and Bob are typing…", "3 people are typing…". */
export function typingText(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/** What a system entry says, e.g. "Ann renamed the group to Launch". `actorId` is its sender. */
export function systemText(event: SystemEvent, actorId: string, kind: LocalConversation['kind'] | undefined, names: ConversationNames): string {
  const actor = names.text(actorId);
  const name = (userId: string): string => names.text(userId);
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
      if (kind === 'group') return `${actor} declined the invitation`;
      const who = names.known(actorId);
      return who === null ? 'Your request was declined' : `${who.text} declined your request`;
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
