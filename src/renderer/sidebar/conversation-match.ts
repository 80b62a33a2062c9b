import { shownName } from '../../shared/confusable';
import type { LocalConversation } from '../state/types';

/**
 * Matching conversations against what the user types, shared by the sidebar filter and the
 * quick switcher. Case- and accent-insensitive: "zoe" finds "Zoë", "JOSE" finds "José".
 */

/** Lower case without diacritics, so comparisons ignore both. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/** The query's words (folded); empty when there is nothing to filter by. */
export function queryTerms(query: string): string[] {
  return fold(query).split(/\s+/).filter(Boolean);
}

/** What a conversation is called, to match against (a direct chat: the other person's name; handles are matched as usernames). */
function titleOf(c: LocalConversation, myUserId: string | null): string {
  if (c.kind === 'group') return c.title ?? 'Unnamed group';
  const peer = c.members.find((m) => m.userId !== myUserId);
  return peer ? shownName(peer) : 'Declined request';
}

/** Everything a conversation can be found by: its title, and its members' names and usernames. */
export function searchableText(c: LocalConversation, myUserId: string | null): string {
  const parts = [titleOf(c, myUserId)];
  for (const m of c.members) {
    if (m.userId === myUserId) continue;
    parts.push(shownName(m), m.username);
  }
  return fold(parts.join('\n'));
}

/** The sidebar's filter: conversations (in the given order) where every word of the query occurs. */
export function filterConversations(list: readonly LocalConversation[], query: string, myUserId: string | null): LocalConversation[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [...list];
  return list.filter((c) => {
    const text = searchableText(c, myUserId);
    return terms.every((t) => text.includes(t));
  });
}

/** How well a title matches: lower is better, null when it does not. */
function titleTier(title: string, q: string): number | null {
  if (title === q) return 0;
  if (title.startsWith(q)) return 1;
  const index = title.indexOf(q);
  if (index === -1) return null;
  // A word start: the match begins right after a non-letter/digit (a space, "-", "(", …).
  let at = index;
  while (at !== -1) {
    const before = title[at - 1] ?? ' ';
    if (!/[\p{L}\p{N}]/u.test(before)) return 2;
    at = title.indexOf(q, at + 1);
  }
  return 3;
}

/**
 * The quick switcher's ranking: exact title, then title prefix, then a word of the title
 * starting with the query, then the query anywhere in the title, then a member's name or
 * username containing it. Ties go to the latest activity. An empty query lists the most
 * recent conversations first.
 */
export function rankConversations(list: readonly LocalConversation[], query: string, myUserId: string | null, limit = 50): LocalConversation[] {
  const q = fold(query.trim()).replace(/\s+/g, ' ');
  const byRecency = (a: LocalConversation, b: LocalConversation): number => b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : 1);
  if (q === '') return [...list].sort(byRecency).slice(0, limit);
  const scored: Array<{ c: LocalConversation; tier: number }> = [];
  for (const c of list) {
    let tier = titleTier(fold(titleOf(c, myUserId)), q);
    if (tier === null && searchableText(c, myUserId).includes(q)) tier = 4;
    if (tier !== null) scored.push({ c, tier });
  }
  scored.sort((a, b) => a.tier - b.tier || byRecency(a.c, b.c));
  return scored.slice(0, limit).map((s) => s.c);
}
