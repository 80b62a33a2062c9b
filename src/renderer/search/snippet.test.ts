import { describe, expect, it } from 'vitest';
import { HIGHLIGHT_END as E, HIGHLIGHT_START as S } from '../../shared/ipc/models';
import { splitSnippet } from './snippet';

describe('splitSnippet', () => {
  it('separates matched terms from the text around them', () => {
    expect(splitSnippet(`…the ${S}launch${E} is on ${S}Friday${E}`)).toEqual([
      { text: '…the ', match: false },
      { text: 'launch', match: true },
      { text: ' is on ', match: false },
      { text: 'Friday', match: true },
    ]);
  });

  it('returns plain text whole and nothing for an empty snippet', () => {
    expect(splitSnippet('no markers')).toEqual([{ text: 'no markers', match: false }]);
    expect(splitSnippet('')).toEqual([]);
  });

  it('keeps markup as text and drops stray or nested markers', () => {
    expect(splitSnippet(`<img src=x onerror=alert(1)> ${S}${S}ab${E}c${E}${E}d${S}`)).toEqual([
      { text: '<img src=x onerror=alert(1)> ', match: false },
      { text: 'abc', match: true },
      { text: 'd', match: false },
    ]);
  });

  it('joins adjacent matches into one mark', () => {
    expect(splitSnippet(`${S}foo${E}${S}bar${E}`)).toEqual([{ text: 'foobar', match: true }]);
  });
});
