import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../shared/ipc';
import { toMatchExpression } from './search';
import { ME, conversation, system, tempStore, text, type TempStore } from './test-fixtures';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
  t.store.upsertConversations([conversation('c1'), conversation('c2')], ME);
});
afterEach(() => t.dispose());

const found = (query: string, limit = 20) => t.store.search(query, limit).map((h) => h.message.body);
const integrityCheck = () => t.store.db.exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");

describe('search', () => {
  beforeEach(() => {
    t.store.applyMessages(
      [
        text('c1', 1, { body: 'Hello there, general Kenobi', ts: 1_000 }),
        text('c1', 2, { body: 'Lunch at the Café Crème?', ts: 2_000 }),
        text('c2', 1, { body: 'hello again', ts: 3_000 }),
        text('c2', 2, { body: 'nothing to see', ts: 4_000 }),
        system('c2', 3, { event: 'renamed', title: 'hello world' }),
      ],
      ME,
    );
  });

  it('finds words, newest first, with highlighted snippets', () => {
    const hits = t.store.search('hello', 10);
    expect(hits.map((h) => [h.message.conversationId, h.message.seq])).toEqual([
      ['c2', 1],
      ['c1', 1],
    ]);
    expect(hits[0]!.snippet).toBe(`${HIGHLIGHT_START}hello${HIGHLIGHT_END} again`);
    expect(hits[1]!.message).toMatchObject({ kind: 'text', state: 'sent', body: 'Hello there, general Kenobi' });
  });

  it('orders by message time, not by when the message was stored', () => {
    // History fetched now, written long ago: it must rank below the recent hello.
    t.store.applyMessages([text('c2', 4, { body: 'hello from the future', ts: 9_000 })], ME);
    t.store.upsertConversations([conversation('c3')], ME);
    t.store.applyMessages([text('c3', 7, { body: 'hello from the past', ts: 500 })], ME);
    expect(found('hello')).toEqual(['hello from the future', 'hello again', 'Hello there, general Kenobi', 'hello from the past']);
  });

  it('treats the last word as a prefix while it is being typed', () => {
    expect(found('hel')).toEqual(['hello again', 'Hello there, general Kenobi']);
    expect(found('hel ')).toEqual([]);
    expect(found('general ken')).toEqual(['Hello there, general Kenobi']);
    expect(found('gen kenobi')).toEqual([]); // only the last word is a prefix
  });

  it('folds case and accents', () => {
    expect(found('cafe creme')).toEqual(['Lunch at the Café Crème?']);
    expect(found('CAFÉ')).toEqual(['Lunch at the Café Crème?']);
  });

  it('requires every word', () => {
    expect(found('hello kenobi')).toEqual(['Hello there, general Kenobi']);
    expect(found('hello lunch')).toEqual([]);
  });

  it('never indexes system entries', () => {
    expect(found('world')).toEqual([]);
  });

  it('respects the limit', () => {
    expect(t.store.search('hello', 1)).toHaveLength(1);
    expect(t.store.search('hello', 0)).toEqual([]);
  });

  it.each(['"', 'AND OR (', 'NOT', 'hello"', '"hello', 'NEAR(hello there)', 'body:hello', '*', 'hel*', '^hello', '(', ')', '-', '+', "it's", '', '   ', '\u0000'])(
    'takes %j as plain text',
    (query) => {
      expect(() => t.store.search(query, 10)).not.toThrow();
    },
  );

  it('reads FTS operators in user input as words', () => {
    t.store.applyMessages([text('c1', 3, { body: 'cats AND dogs OR birds' }), text('c1', 4, { body: 'cats dogs' })], ME);
    expect(found('AND')).toEqual(['cats AND dogs OR birds']);
    expect(found('"hello')).toEqual(['hello again', 'Hello there, general Kenobi']);
    expect(found('body:hello')).toEqual([]); // "body" and "hello" as words: no message has both
  });

  it('never throws whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ maxLength: 10 }), (a, b) => {
        t.store.search(a, 5);
        t.store.search(`${b} ${a}`, 5);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the index in step with the messages table through its triggers', () => {
    integrityCheck();
    // Update trigger: the index follows an edited body.
    t.store.db.prepare("UPDATE messages SET body = 'goodbye moon' WHERE conversation_id = 'c2' AND seq = 1").run();
    expect(found('hello')).toEqual(['Hello there, general Kenobi']);
    expect(found('moon')).toEqual(['goodbye moon']);
    integrityCheck();
    // Delete trigger.
    t.store.db.prepare("DELETE FROM messages WHERE conversation_id = 'c1' AND seq = 1").run();
    expect(found('hello')).toEqual([]);
    integrityCheck();
  });
});

describe('toMatchExpression', () => {
  it('quotes every word and makes the last one a prefix while typing', () => {
    expect(toMatchExpression('hello wor')).toBe('"hello" "wor"*');
    expect(toMatchExpression('hello world ')).toBe('"hello" "world"');
    expect(toMatchExpression('say "hi"')).toBe('"say" """hi"""*');
    expect(toMatchExpression('AND ( OR')).toBe('"AND" "OR"*');
    expect(toMatchExpression(' ( ) * ')).toBeNull();
  });
});
