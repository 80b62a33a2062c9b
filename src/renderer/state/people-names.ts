import { NameIndex, type ConversationPeople, type NamedPerson } from '../../shared/confusable';
import { ConversationNames, RESERVED_NAMES, shownPerson, type ShownPerson } from '../format/names';
import type { LocalConversation, User } from './types';

/**
 * Which names need their @username beside them, kept by the conversations store and
 * asked by every component that shows a person.
 *
 * - Inside a conversation (timeline, typing, members, notices): its members whose shown
 *   names could be taken for one another's.
 * - A direct chat's other person, wherever the chat is named by them (sidebar, header,
 *   switcher, search results): also when their name could be taken for that of anyone
 *   else in any of the user's conversations, since such a title stands alone.
 * - Lists of people outside a conversation (search results, picked members): among
 *   themselves, and against everyone the user shares a conversation with.
 *
 * The work is done when members change (NameIndex); a lookup is a map read, and the same
 * ConversationNames comes back until a name in that conversation changes.
 */
export class PeopleNames {
  private readonly index = new NameIndex(RESERVED_NAMES);
  /** Per entry: by "me + whether the DM peer collides", the names object handed out. */
  private readonly cache = new WeakMap<ConversationPeople, Map<string, ConversationNames>>();
  /** Snapshots the index does not hold (an older one still on screen, a test): indexed on their own, never globally. */
  private readonly detached = new WeakMap<readonly NamedPerson[], ConversationPeople>();
  /** For a conversation that is gone: nobody but me has a name (one instance per user, so it can be a snapshot). */
  private readonly empty = new Map<string | null, ConversationNames>();

  set(c: LocalConversation): void {
    this.index.set(c.id, c.members);
  }

  delete(conversationId: string): void {
    this.index.delete(conversationId);
  }

  clear(): void {
    this.index.clear();
  }

  /** How `c` names its people, for the user `myUserId`. */
  of(c: LocalConversation | undefined, myUserId: string | null): ConversationNames {
    if (c === undefined) {
      let names = this.empty.get(myUserId);
      if (names === undefined) this.empty.set(myUserId, (names = new ConversationNames(undefined, myUserId)));
      return names;
    }
    // Only the store writes the index; a snapshot it no longer holds is named on its own.
    const people = this.index.peek(c.id, c.members) ?? this.detachedPeople(c);
    const peer = c.kind === 'direct' ? c.members.find((m) => m.userId !== myUserId) : undefined;
    const peerInfo = peer === undefined ? null : { userId: peer.userId, ambiguous: this.index.collides(peer) };
    const key = `${myUserId ?? ''}\n${peerInfo?.ambiguous ?? '-'}`;
    let byKey = this.cache.get(people);
    if (byKey === undefined) this.cache.set(people, (byKey = new Map()));
    let names = byKey.get(key);
    if (names === undefined) byKey.set(key, (names = new ConversationNames(people, myUserId, peerInfo, this.amongPeople)));
    return names;
  }

  private readonly amongPeople = (people: Iterable<NamedPerson>): Set<string> => this.index.ambiguousAmong(people);

  /** People listed together: those whose names collide among them, or with anyone else in the user's conversations. */
  among(users: readonly User[]): ReadonlySet<string> {
    const people = users.map(named);
    const ambiguous = this.index.ambiguousAmong(people);
    for (const p of people) if (this.index.collides(p)) ambiguous.add(p.userId);
    return ambiguous;
  }

  /** One person on their own (who invited me, someone just added): their handle shows if their name collides with anyone's. */
  standalone(p: NamedPerson): ShownPerson {
    return shownPerson(p, this.index.collides(p));
  }

  private detachedPeople(c: LocalConversation): ConversationPeople {
    let people = this.detached.get(c.members);
    if (people === undefined) {
      people = new NameIndex(RESERVED_NAMES).set(c.id, c.members);
      this.detached.set(c.members, people);
    }
    return people;
  }
}

/** A directory entry as a person with a name. */
export function named(u: User): NamedPerson {
  return { userId: u.id, username: u.username, displayName: u.displayName };
}
