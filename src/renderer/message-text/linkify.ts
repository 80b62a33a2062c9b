import { isSafeExternalUrl } from '../../shared/ipc/external-url';

/** A piece of message text: plain, or a link with the http(s) address it opens. */
export type Segment = { text: string; url?: undefined } | { text: string; url: string };

/**
 * Where a link may start. A fixed alternation scanned left to right: linear in the input,
 * nothing to backtrack into.
 */
const START = /https?:\/\/|www\./giu;
/** A link never continues over these: whitespace, HTML-ish delimiters, bidi controls. */
const STOP = /[\s<>"`{}|\\^\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** A start glued to a word or a path ("xhttp://", "a/www.") is not a link. */
const GLUED = /[\p{L}\p{N}_@./-]/u;
/** Dropped from the end of a link: it is the sentence's, not the address's. */
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', "'"]);

/**
 * Splits plain text into text and links. Only http(s) addresses become links (www.x.y is
 * read as https://www.x.y); anything else — javascript:, data:, file: — stays text. The
 * result is for React text nodes and hrefs: nothing is ever parsed as HTML.
 */
export function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let plainFrom = 0;
  START.lastIndex = 0;
  for (let match = START.exec(text); match !== null; match = START.exec(text)) {
    const start = match.index;
    const before = start > 0 ? text[start - 1] : undefined;
    let end = start + match[0].length;
    while (end < text.length && !STOP.test(text[end] ?? ' ')) end++;
    const candidate = trimEnd(text.slice(start, end));
    // Resume after the whole token either way, so the scan stays linear.
    START.lastIndex = Math.max(end, start + 1);
    if (before !== undefined && GLUED.test(before)) continue;
    const url = toUrl(candidate);
    if (url === null) continue;
    if (start > plainFrom) out.push({ text: text.slice(plainFrom, start) });
    out.push({ text: candidate, url });
    plainFrom = start + candidate.length;
    START.lastIndex = plainFrom;
  }
  if (plainFrom < text.length) out.push({ text: text.slice(plainFrom) });
  return out;
}

/** Drops trailing punctuation, and closing parentheses that have no opening one in the link. */
function trimEnd(candidate: string): string {
  let open = 0;
  let close = 0;
  for (const ch of candidate) {
    if (ch === '(') open++;
    else if (ch === ')') close++;
  }
  let end = candidate.length;
  for (;;) {
    const last = candidate[end - 1];
    if (last === undefined) break;
    if (TRAILING.has(last)) end--;
    else if (last === ')' && close > open) {
      close--;
      end--;
    } else break;
  }
  return candidate.slice(0, end);
}

/** The address a candidate opens, or null when it is not a safe, complete http(s) address. */
function toUrl(candidate: string): string | null {
  const lower = candidate.toLowerCase();
  let href: string;
  if (lower.startsWith('www.')) {
    // "www." alone, or "www.com", is a word, not an address.
    const host = candidate.slice(4).split(/[/?#]/u, 1)[0] ?? '';
    if (!/^[^.]+\.[^.]/u.test(host)) return null;
    href = `https://${candidate}`;
  } else {
    href = candidate;
  }
  if (!isSafeExternalUrl(href)) return null;
  try {
    return new URL(href).href;
  } catch {
    return null;
  }
}
