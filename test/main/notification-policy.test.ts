import { describe, expect, it } from 'vitest';
import { escapeForPlatform, MAX_BODY_CHARS, notificationBody, plainPreview, shouldNotify, type NotificationFacts } from '../../src/main/notification-policy';

const ORIGINS = ['local', 'live', 'sync', 'history'] as const;
const KINDS = ['text', 'system'] as const;
const STATUSES = ['online', 'away', 'dnd'] as const;
const WINDOWS = ['hidden', 'unfocused', 'focused'] as const;
const BOOLS = [false, true] as const;

function* allFacts(): Generator<NotificationFacts> {
  for (const origin of ORIGINS)
    for (const kind of KINDS)
      for (const fromMe of BOOLS)
        for (const muted of BOOLS)
          for (const notifications of BOOLS)
            for (const notificationsPaused of BOOLS)
              for (const status of STATUSES)
                for (const window of WINDOWS)
                  for (const conversationActive of BOOLS)
                    for (const senderBlocked of BOOLS)
                      for (const request of BOOLS)
                        for (const requestNotified of BOOLS)
                          yield { origin, kind, fromMe, muted, settings: { notifications, notificationsPaused, status }, window, conversationActive, senderBlocked, request, requestNotified };
}

/**
 * The decision table in words: each row is a reason to stay quiet. A message notifies
 * exactly when no row applies.
 */
const QUIET_BECAUSE: [string, (f: NotificationFacts) => boolean][] = [
  ['my own compose or an old history page', (f) => f.origin === 'local' || f.origin === 'history'],
  ['a system entry', (f) => f.kind === 'system'],
  ['my own message (from another device)', (f) => f.fromMe],
  ['the conversation is muted', (f) => f.muted],
  ['notifications are off', (f) => !f.settings.notifications],
  ['notifications are paused from the tray', (f) => f.settings.notificationsPaused],
  ['do not disturb', (f) => f.settings.status === 'dnd'],
  ['the user is looking at it', (f) => f.window === 'focused' && f.conversationActive],
  ['the sender is someone the user blocked', (f) => f.senderBlocked],
  ['a request (or invitation) that has notified once already', (f) => f.request && f.requestNotified],
];

describe('shouldNotify: the whole decision table', () => {
  const cases = [...allFacts()];

  it('covers every combination', () => {
    expect(cases).toHaveLength(4 * 2 * 2 * 2 * 2 * 2 * 3 * 3 * 2 * 2 * 2 * 2);
  });

  it('notifies exactly when no reason to stay quiet applies', () => {
    const wrong = cases.filter((f) => shouldNotify(f) !== QUIET_BECAUSE.every(([, applies]) => !applies(f)));
    expect(wrong).toEqual([]);
  });

  it('each reason alone silences an otherwise notifying message', () => {
    const base: NotificationFacts = {
      origin: 'live',
      kind: 'text',
      fromMe: false,
      muted: false,
      settings: { notifications: true, notificationsPaused: false, status: 'online' },
      window: 'hidden',
      conversationActive: false,
      senderBlocked: false,
      request: false,
      requestNotified: false,
    };
    expect(shouldNotify(base)).toBe(true);
    // A request's first message notifies; "notified already" means nothing outside a request.
    expect(shouldNotify({ ...base, request: true })).toBe(true);
    expect(shouldNotify({ ...base, requestNotified: true })).toBe(true);
    const silenced: NotificationFacts[] = [
      { ...base, origin: 'local' },
      { ...base, origin: 'history' },
      { ...base, kind: 'system' },
      { ...base, fromMe: true },
      { ...base, muted: true },
      { ...base, settings: { ...base.settings, notifications: false } },
      { ...base, settings: { ...base.settings, notificationsPaused: true } },
      { ...base, settings: { ...base.settings, status: 'dnd' } },
      { ...base, window: 'focused', conversationActive: true },
      { ...base, senderBlocked: true },
      { ...base, request: true, requestNotified: true },
    ];
    for (const facts of silenced) expect(shouldNotify(facts), JSON.stringify(facts)).toBe(false);
  });

  it.each([
    ['hidden window, active conversation', 'hidden', true, true],
    ['unfocused window, active conversation', 'unfocused', true, true],
    ['focused window, another conversation', 'focused', false, true],
    ['focused window, this conversation', 'focused', true, false],
  ] as const)('%s → %s', (_name, window, conversationActive, expected) => {
    const facts: NotificationFacts = {
      origin: 'sync',
      kind: 'text',
      fromMe: false,
      muted: false,
      settings: { notifications: true, notificationsPaused: false, status: 'away' },
      window,
      conversationActive,
      senderBlocked: false,
      request: false,
      requestNotified: false,
    };
    expect(shouldNotify(facts)).toBe(expected);
  });
});

describe('notification text', () => {
  it('truncates to the limit without halving an emoji', () => {
    const long = '😀'.repeat(500);
    const preview = plainPreview(long);
    expect(Array.from(preview)).toHaveLength(MAX_BODY_CHARS);
    expect(preview.endsWith('…')).toBe(true);
    // A lone surrogate would not survive a UTF-8 round trip.
    expect(Buffer.from(preview, 'utf8').toString('utf8')).toBe(preview);
    expect(plainPreview('short')).toBe('short');
  });

  it('removes control and bidi-override characters and collapses whitespace', () => {
    expect(plainPreview('a\u202Egnp.exe\u0007 \n\n  b')).toBe('agnp.exe b');
  });

  it('escapes markup on Linux only, where notification servers interpret it', () => {
    expect(escapeForPlatform('<b>hi</b> & <a href="x">', 'linux')).toBe('&lt;b&gt;hi&lt;/b&gt; &amp; &lt;a href="x"&gt;');
    expect(escapeForPlatform('<b>hi</b> & co', 'darwin')).toBe('<b>hi</b> & co');
    expect(escapeForPlatform('<b>hi</b> & co', 'win32')).toBe('<b>hi</b> & co');
  });

  it('one message shows its text; a burst shows the count and the latest text', () => {
    expect(notificationBody(1, 'hello', 'darwin')).toBe('hello');
    expect(notificationBody(3, 'latest', 'darwin')).toBe('3 new messages: latest');
    expect(notificationBody(2, '<i>x</i>', 'linux')).toBe('2 new messages: &lt;i&gt;x&lt;/i&gt;');
  });

  it('a request or an invitation says so before the text', () => {
    expect(notificationBody(1, 'hi, we met at the conference', 'darwin', 'direct')).toBe('Message request: hi, we met at the conference');
    expect(notificationBody(1, 'welcome <3', 'linux', 'group')).toBe('Group invitation: welcome &lt;3');
    expect(notificationBody(1, 'hello', 'darwin', null)).toBe('hello');
  });
});
