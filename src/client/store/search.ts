import { HIGHLIGHT_END, HIGHLIGHT_START, type SearchHit } from '../../shared/ipc';
import type { Db } from './database';
import { SEARCH } from './hot-queries';
import { toLocalMessage, type MessageRow } from './rows';

/**
 * Turns what the user typed into an FTS5 expression that cannot be a syntax error: every
 * word becomes a quoted string (quotes doubled), so `AND`, `NEAR`, `(`, `*`, `:` and `"`
 * are plain text, and the words are ANDed. Words with no letter or digit are dropped (the
 * tokenizer would drop them anyway). The last word is a prefix while the user is still
 * typing it (no trailing space): "hel" finds "hello". Null when nothing is left to search.
 */
export function toMatchExpression(input: string): string | null {
  const words = input.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return null;
  const typing = !/\s$/u.test(input);
  return words.map((w, i) => `"${w.replaceAll('"', '""')}"${typing && i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** Full-text search over stored text messages, newest first. */
export class Search {
  private readonly q;

  constructor(db: Db) {
    this.q = { search: db.prepare<[string, string, string, number], MessageRow & { snippet: string }>(SEARCH) };
  }

  search(query: string, limit: number): SearchHit[] {
    const match = toMatchExpression(query);
    if (match === null || limit <= 0) return [];
    return this.q.search
      .all(HIGHLIGHT_START, HIGHLIGHT_END, match, Math.trunc(limit))
      .map((row) => ({ message: toLocalMessage(row), snippet: row.snippet }));
  }
}
