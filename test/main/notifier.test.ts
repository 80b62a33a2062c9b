import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalMessage } from '../../src/shared/ipc/models';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/ipc/settings';
import type { WindowAttention } from '../../src/main/main-window';
import { FakeNotification, resetElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { Notifier } = await import('../../src/main/notifier');

const ME = 'u_me';
const ALICE = 'u_alice';

let settings: Settings;
let active: string | null;
let attention: WindowAttention;
let conversations: Map<string, { title: string; muted: boolean }>;
let open: ReturnType<typeof vi.fn<(conversationId: string) => void>>;

function makeNotifier(platform: NodeJS.Platform = 'darwin') {
  return new Notifier({
    core: {
      settings: () => settings,
      myUserId: () => ME,
      conversationInfo: (id) => conversations.get(id) ?? null,
      activeConversationId: () => active,
      dispatch: () => Promise.resolve({ ok: true, value: [] }),
    },
    attention: () => attention,
    open,
    platform,
  });
}

let seq = 0;
function message(conversationId: string, body: string, senderId = ALICE, kind: 'text' | 'system' = 'text'): LocalMessage {
  seq++;
  return {
    conversationId,
    seq,
    clientId: kind === 'text' ? `c${seq}` : null,
    senderId,
    kind,
    body: kind === 'text' ? body : null,
    system: null,
    ts: 1_700_000_000_000 + seq,
    state: 'sent',
    error: null,
  };
}

function arrived(notifier: InstanceType<typeof Notifier>, conversationId: string, messages: LocalMessage[], origin: 'live' | 'sync' | 'local' | 'history' = 'live') {
  notifier.onMessagesChanged({ conversationId, messages, origin });
}

const visible = () => FakeNotification.instances.filter((n) => n.shown && !n.closed);

beforeEach(() => {
  resetElectron();
  settings = { ...DEFAULT_SETTINGS };
  active = null;
  attention = 'hidden';
  conversations = new Map([
    ['c_1', { title: 'Alice', muted: false }],
    ['c_2', { title: 'Team', muted: false }],
    ['c_muted', { title: 'Noisy', muted: true }],
  ]);
  open = vi.fn<(conversationId: string) => void>();
});

describe('Notifier', () => {
  it('shows one notification with the conversation title and the text', () => {
    const notifier = makeNotifier();
    arrived(notifier, 'c_1', [message('c_1', 'hello there')]);
    expect(visible()).toHaveLength(1);
    expect(visible()[0]!.options).toEqual({ title: 'Alice', body: 'hello there' });
  });

  it('coalesces a burst in one conversation into one notification that counts', () => {
    const notifier = makeNotifier();
    arrived(notifier, 'c_1', [message('c_1', 'one')]);
    arrived(notifier, 'c_1', [message('c_1', 'two')]);
    arrived(notifier, 'c_1', [message('c_1', 'three'), message('c_1', 'four')], 'sync');
    expect(FakeNotification.instances).toHaveLength(3);
    expect(FakeNotification.instances.slice(0, 2).every((n) => n.closed)).toBe(true);
    expect(visible()).toHaveLength(1);
    expect(visible()[0]!.options.body).toBe('4 new messages: four');
  });

  it('keeps one notification per conversation', () => {
    const notifier = makeNotifier();
    arrived(notifier, 'c_1', [message('c_1', 'a')]);
    arrived(notifier, 'c_2', [message('c_2', 'b')]);
    expect(visible().map((n) => n.options.title)).toEqual(['Alice', 'Team']);
  });

  it('skips my own messages, system entries, muted conversations and unknown ones', () => {
    const notifier = makeNotifier();
    arrived(notifier, 'c_1', [message('c_1', 'mine', ME)]);
    arrived(notifier, 'c_1', [message('c_1', '', ALICE, 'system')]);
    arrived(notifier, 'c_muted', [message('c_muted', 'hi')]);
    arrived(notifier, 'c_unknown', [message('c_unknown', 'hi')]);
    arrived(notifier, 'c_1', [message('c_1', 'old')], 'history');
    expect(FakeNotification.instances).toHaveLength(0);
  });

  it('counts only the messages that notify in a mixed batch', () => {
    const notifier = makeNotifier();
    arrived(notifier, 'c_1', [message('c_1', 'from alice'), message('c_1', 'my reply', ME)]);
    expect(visible()[0]!.options.body).toBe('from alice');
  });

  it('stays quiet in do-not-disturb, when paused, and when notifications are off', () => {
    const notifier = makeNotifier();
    for (const patch of [{ status: 'dnd' as const }, { notificationsPaused: true }, { notifications: false }]) {
      settings = { ...DEFAULT_SETTINGS, ...patch };
      arrived(notifier, 'c_1', [message('c_1', 'hi')]);
    }
    expect(FakeNotification.instances).toHaveLength(0);
  });

  it('stays quiet for the conversation the focused window shows, not for another one', () => {
    const notifier = makeNotifier();
    attention = 'focused';
    active = 'c_1';
    arrived(notifier, 'c_1', [message('c_1', 'seen')]);
    arrived(notifier, 'c_2', [message('c_2', 'elsewhere')]);
    expect(visible().map((n) => n.options.title)).toEqual(['Team']);
  });

  it('escapes markup in the body on Linux', () => {
    const notifier = makeNotifier('linux');
    arrived(notifier, 'c_1', [message('c_1', '<b>bold</b> & co')]);
    expect(visible()[0]!.options.body).toBe('&lt;b&gt;bold&lt;/b&gt; &amp; co');
  });

  it('a click opens the conversation and forgets the notification (the next message starts a new count)', () => {
    const notifier = makeNotifier();
    arrived(notifier, 'c_1', [message('c_1', 'one'), message('c_1', 'two')]);
    visible()[0]!.click();
    expect(open).toHaveBeenCalledWith('c_1');
    expect(visible()).toHaveLength(0);
    arrived(notifier, 'c_1', [message('c_1', 'three')]);
    expect(visible()[0]!.options.body).toBe('three');
  });

  it('a notification the user dismissed resets the count', () => {
    const notifier = makeNotifier();
    arrived(notifier, 'c_1', [message('c_1', 'one')]);
    visible()[0]!.close();
    arrived(notifier, 'c_1', [message('c_1', 'two')]);
    expect(visible()[0]!.options.body).toBe('two');
  });

  it('withdraws a conversation’s notification when it is read or the window focuses on it', () => {
    const notifier = makeNotifier();
    arrived(notifier, 'c_1', [message('c_1', 'a')]);
    arrived(notifier, 'c_2', [message('c_2', 'b')]);
    notifier.onConversationsChanged({
      conversations: [{ id: 'c_1', unread: 0 } as never, { id: 'c_2', unread: 1 } as never],
    });
    expect(visible().map((n) => n.options.title)).toEqual(['Team']);
    active = 'c_2';
    notifier.onWindowFocused();
    expect(visible()).toHaveLength(0);
  });

  it('does nothing where the OS has no notifications', () => {
    FakeNotification.supported = false;
    const notifier = makeNotifier();
    arrived(notifier, 'c_1', [message('c_1', 'hi')]);
    expect(FakeNotification.instances).toHaveLength(0);
  });
});
