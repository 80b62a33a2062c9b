import { z } from 'zod';

/**
 * Names people read to decide who someone is — display names, group titles, device
 * names — must look like what they are. So they are NFC-normalised and trimmed, and may
 * not hide anything: no control characters, no bidi overrides or isolates, no zero-width
 * or other format characters (except the joiners inside an emoji: 👨‍👩‍👧 and flag tags), no
 * private-use or unassigned code points, and at least one visible character. Length counts
 * what a reader sees (grapheme clusters), with a bound on code units so the check stays cheap.
 */

/** Format characters that only ever appear inside an emoji sequence: ZWJ, and the tag characters of subdivision flags. */
const EMOJI_FORMAT = /[\u200D\u{E0020}-\u{E007F}]/u;
/** Everything else a name may not contain: controls, format characters, surrogates, private use, unassigned, line/paragraph separators. */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\u2028\u2029]/u;
/** What a reader sees: a letter, digit, punctuation mark or symbol. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

/** Why `text` is not a readable name, or null if it is. */
export function humanTextProblem(text: string): string | null {
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (!FORBIDDEN.test(ch)) continue;
    // A zero-width joiner between two pictographs, or a tag after a black flag or another tag, is part of an emoji.
    if (EMOJI_FORMAT.test(ch) && i > 0 && (PICTOGRAPHIC.test(chars[i - 1]!) || /\uFE0F/.test(chars[i - 1]!) || EMOJI_FORMAT.test(chars[i - 1]!))) continue;
    const hex = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `contains an invisible or control character (U+${hex})`;
  }
  if (!VISIBLE.test(text)) return 'needs at least one visible character';
  return null;
}

/** Whitespace of any kind, collapsed: a name is one line. (Not \s: it counts U+FEFF, which is refused instead.) */
const SPACES = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/gu;

/**
 * A schema for a name of at most `maxGraphemes` visible characters. It transforms (NFC,
 * trimmed, runs of spaces made one) before it checks, so what is stored is what was checked.
 */
export function humanText(maxGraphemes: number) {
  return z
    .string()
    .max(maxGraphemes * 8, `at most ${maxGraphemes} characters`)
    .transform((s) => s.normalize('NFC').replace(SPACES, ' ').trim())
    .superRefine((s, ctx) => {
      if (s.length === 0) return void ctx.addIssue({ code: 'custom', message: 'must not be blank' });
      const problem = humanTextProblem(s);
      if (problem) return void ctx.addIssue({ code: 'custom', message: problem });
      if (graphemeLength(s) > maxGraphemes) ctx.addIssue({ code: 'too_big', maximum: maxGraphemes, origin: 'string', inclusive: true, message: `at most ${maxGraphemes} characters` });
    });
}

/** A message body: any text, but well-formed Unicode (a lone surrogate would be stored as U+FFFD and break idempotent retries). */
export function isWellFormedText(text: string): boolean {
  return !/[\uD800-\uDFFF]/u.test(text);
}
