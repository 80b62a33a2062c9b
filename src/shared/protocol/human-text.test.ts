import { describe, expect, it } from 'vitest';
import { BodySchema, DisplayNameSchema, TitleSchema } from './primitives';
import { graphemeLength, humanTextProblem } from './human-text';

const name = (s: string) => DisplayNameSchema.safeParse(s);

describe('names people read (display names, titles, device names)', () => {
  it('are NFC, trimmed, one line with single spaces', () => {
    expect(name('  Zoe\u0301   Smith \n').data).toBe('Zoé Smith');
    expect(name('Ann\u00A0\u3000Lee').data).toBe('Ann Lee');
  });

  it.each([
    ['a right-to-left override', 'Alice\u202Eevil'],
    ['a bidi isolate', '\u2067Bob\u2069'],
    ['a zero-width space', 'Bo\u200Bb'],
    ['a zero-width joiner between letters', 'Bo\u200Db'],
    ['a byte-order mark inside', 'Car\uFEFFol'],
    ['a control character', 'Dan\u0007'],
    ['a private-use character', 'Eve\uE000'],
    ['a lone surrogate', 'Fay\uD800'],
  ])('refuse %s', (_what, text) => {
    const parsed = name(text);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/^contains an invisible or control character \(U\+[0-9A-F]{4,5}\)$/);
  });

  it('need something visible', () => {
    expect(name('\u200B\u200B').success).toBe(false);
    expect(name('\u0301\u0301').error?.issues[0]?.message).toBe('needs at least one visible character');
    expect(name('   ').error?.issues[0]?.message).toBe('must not be blank');
    expect(name('·').success).toBe(true);
  });

  it('keep emoji whole: ZWJ sequences, skin tones, flags and subdivision flags', () => {
    for (const ok of ['👨‍👩‍👧 family', '❤️‍🔥', '👍🏽 Sam', '🇫🇷 Léa', '🏴󠁧󠁢󠁳󠁣󠁴󠁿 Iain']) expect(name(ok).success).toBe(true);
    expect(humanTextProblem('👨‍👩‍👧')).toBeNull();
  });

  it('count what a reader sees: 64 emoji families fit a display name, 65 do not', () => {
    const family = '👨‍👩‍👧';
    expect(graphemeLength(family.repeat(64))).toBe(64);
    expect(name(family.repeat(64)).success).toBe(true);
    expect(name(family.repeat(65)).error?.issues[0]?.code).toBe('too_big');
    expect(TitleSchema.safeParse('x'.repeat(128)).success).toBe(true);
    expect(TitleSchema.safeParse('x'.repeat(129)).success).toBe(false);
  });
});

describe('message bodies', () => {
  it('must be well-formed Unicode: a lone surrogate would be stored as U+FFFD', () => {
    expect(BodySchema.safeParse('ok 👋').success).toBe(true);
    expect(BodySchema.safeParse('broken \uD83D').error?.issues[0]?.message).toBe('not valid Unicode text (it contains a lone surrogate)');
    expect(BodySchema.safeParse('\uDC00 reversed').success).toBe(false);
  });
});
