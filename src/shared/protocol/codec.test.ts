import { describe, expect, it } from 'vitest';
import { decodeClientFrame } from './codec';

describe('decodeClientFrame', () => {
  it('accepts a valid request and normalises its client id', () => {
    const decoded = decodeClientFrame(JSON.stringify({ type: 'message.send', id: 'r1', conversationId: 'c_abc', clientId: '0190F5B2-1C1D-7ABC-8DEF-0123456789AB', body: 'hi' }));
    expect(decoded).toEqual({ ok: true, frame: { type: 'message.send', id: 'r1', conversationId: 'c_abc', clientId: '0190f5b2-1c1d-7abc-8def-0123456789ab', body: 'hi' } });
  });

  it.each([
    ['not json', '{', 'bad_frame', null],
    ['an array', '[1]', 'bad_frame', null],
    ['no type', '{"id":"r2"}', 'bad_frame', 'r2'],
    ['an unknown type', '{"type":"message.delete","id":"r3"}', 'unknown_type', 'r3'],
    ['a wrong field type', '{"type":"history.fetch","id":"r4","conversationId":5}', 'bad_frame', 'r4'],
    ['an oversized body', JSON.stringify({ type: 'message.send', id: 'r5', conversationId: 'c', clientId: '0190f5b2-1c1d-7abc-8def-0123456789ab', body: 'x'.repeat(16_385) }), 'too_large', 'r5'],
    ['a page over the limit', '{"type":"history.fetch","id":"r6","conversationId":"c","limit":101}', 'too_large', 'r6'],
    ['a non-string id', '{"type":"conversation.list","id":7}', 'bad_frame', null],
  ])('rejects %s with its code and the salvaged id', (_name, text, code, id) => {
    expect(decodeClientFrame(text)).toMatchObject({ ok: false, code, id });
  });

  it('drops unknown fields and never copies __proto__ onto the frame', () => {
    const decoded = decodeClientFrame('{"type":"conversation.list","id":"r8","extra":1,"__proto__":{"polluted":true}}');
    expect(decoded).toEqual({ ok: true, frame: { type: 'conversation.list', id: 'r8' } });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
