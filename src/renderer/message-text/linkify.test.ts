import { describe, expect, it } from 'vitest';
import { linkify } from './linkify';

const links = (text: string) => linkify(text).filter((s) => s.url !== undefined);

describe('linkify', () => {
  it('turns http(s) addresses and www. names into links and keeps the rest as text', () => {
    expect(linkify('see https://example.com/a?b=1#c now')).toEqual([
      { text: 'see ' },
      { text: 'https://example.com/a?b=1#c', url: 'https://example.com/a?b=1#c' },
      { text: ' now' },
    ]);
    expect(linkify('www.example.com/x')).toEqual([{ text: 'www.example.com/x', url: 'https://www.example.com/x' }]);
    expect(linkify('HTTP://EXAMPLE.COM')).toEqual([{ text: 'HTTP://EXAMPLE.COM', url: 'http://example.com/' }]);
    expect(linkify('two: http://a.io\nhttp://b.io')).toEqual([
      { text: 'two: ' },
      { text: 'http://a.io', url: 'http://a.io/' },
      { text: '\n' },
      { text: 'http://b.io', url: 'http://b.io/' },
    ]);
    expect(linkify('no links here')).toEqual([{ text: 'no links here' }]);
    expect(linkify('')).toEqual([]);
  });

  it('leaves every other scheme as text', () => {
    for (const text of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://example.com', 'vbscript:msgbox', 'mailto:a@b.c']) {
      expect(linkify(text)).toEqual([{ text }]);
    }
    // Not an address even though it contains one's start, and no credentials in links.
    expect(links('xhttp://example.com')).toEqual([]);
    expect(links('https://user:pw@example.com')).toEqual([]);
    expect(links('http://')).toEqual([]);
    expect(links('www. and www.com')).toEqual([]);
  });

  it('keeps hostile markup as text and ends links at quotes and angle brackets', () => {
    expect(linkify('<img src=x onerror=alert(1)>')).toEqual([{ text: '<img src=x onerror=alert(1)>' }]);
    expect(linkify('http://a.b/"><script>alert(1)</script>')).toEqual([
      { text: 'http://a.b/', url: 'http://a.b/' },
      { text: '"><script>alert(1)</script>' },
    ]);
    expect(links('<a href="javascript:alert(1)">https://ok.example</a>')).toEqual([{ text: 'https://ok.example', url: 'https://ok.example/' }]);
  });

  it('leaves trailing punctuation and unbalanced parentheses outside the link', () => {
    expect(linkify('Look: https://example.com/path.')).toEqual([{ text: 'Look: ' }, { text: 'https://example.com/path', url: 'https://example.com/path' }, { text: '.' }]);
    for (const p of [',', ';', ':', '!', '?', '...', '?!']) expect(links(`https://x.io/a${p}`)[0]?.text).toBe('https://x.io/a');
    expect(linkify('(see https://x.io/a)')).toEqual([{ text: '(see ' }, { text: 'https://x.io/a', url: 'https://x.io/a' }, { text: ')' }]);
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar)')[0]?.text).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
    expect(linkify('(https://en.wikipedia.org/wiki/Foo_(bar)).')).toEqual([
      { text: '(' },
      { text: 'https://en.wikipedia.org/wiki/Foo_(bar)', url: 'https://en.wikipedia.org/wiki/Foo_(bar)' },
      { text: ').' },
    ]);
  });

  it('handles international names (opened by their ASCII form) and stops at bidi controls', () => {
    expect(linkify('https://bücher.example/straße')).toEqual([{ text: 'https://bücher.example/straße', url: 'https://xn--bcher-kva.example/stra%C3%9Fe' }]);
    expect(linkify('https://example.com/\u202Egpj.exe')).toEqual([{ text: 'https://example.com/', url: 'https://example.com/' }, { text: '\u202Egpj.exe' }]);
    expect(linkify('مرحبا https://example.com مرحبا')[1]).toEqual({ text: 'https://example.com', url: 'https://example.com/' });
  });

  it('is linear: 100,000-character inputs of every awkward shape finish quickly', () => {
    const inputs = [
      'a'.repeat(100_000),
      'http://'.repeat(15_000),
      'www.'.repeat(25_000),
      `https://x.io/${'('.repeat(50_000)}${')'.repeat(50_000)}`,
      `https://x.io/${'.'.repeat(100_000)}`,
      'xhttp://a '.repeat(10_000),
      'https://a.io '.repeat(8_000),
    ];
    for (const input of inputs) {
      const started = performance.now();
      const segments = linkify(input);
      expect(performance.now() - started).toBeLessThan(500);
      expect(segments.map((s) => s.text).join('')).toBe(input);
    }
  });
});
