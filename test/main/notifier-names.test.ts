import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DesktopCore } from '../../src/client/app/desktop-core';
import type { LocalConversation, LocalMessage } from '../../src/shared/ipc/models';
import type { Member } from '../../src/shared/protocol';
import { DEFAULT_SETTINGS } from '../../src/shared/ipc/settings';
import { FakeNotification, resetElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { Notifier } = await import('../../src/main/notifier');

/** Who a notification says sent it: the sender, with their @username where their name could mislead. */

const ME = 'u_me';
const account = { serverUrl: 'http://x', userId: ME, username: 'me', displayName: 'Mia', sessionId: 's' };

function member(userId: string, displayName: string | null, username = userId.slice(2)): Member {
  return { userId, username, displayName, role: 'member', state: 'accepted', invitedBy: null, deliveredSeq: 0, readSeq: 0 };
}

const me = member(ME, 'Mia', 'me');
const alice = member('u_alice', 'Alice');
const alice2 = member('u_alice2', 'Аlice'); // Cyrillic А
const bob = member('u_bob', null);

function snapshot(id: string, kind: 'direct' | 'group', members: Member[]): LocalConversation {
  return { id, kind, title: kind === 'group' ? 'Team' : null, createdAt: 0, lastSeq: 1, lastMessage: null, lastActivityAt: 0, unread: 1, readSeq: 0, muted: false, members };
}

/** What the core would title them: the group's title, a direct chat's other person by name alone. */
const coreTitles: Record<string, string> = { d_alice: 'Alice', d_alice2: 'Аlice', g: 'Team' };

let seq = 0;
function text(conversationId: string, senderId: string): LocalMessage {
  seq++;
  return { conversationId, seq, clientId: `c${seq}`, senderId, kind: 'text', body: `message ${seq}`, system: null, ts: seq, state: 'sent', error: null };
}

let dispatch: ReturnType<typeof vi.fn<DesktopCore['dispatch']>>;

function makeNotifier() {
  return new Notifier({
    core: {
      settings: () => DEFAULT_SETTINGS,
      myUserId: () => ME,
      conversationInfo: (id) => ({ title: coreTitles[id] ?? 'Unknown', muted: false }),
      activeConversationId: () => null,
      dispatch,
    },
    attention: () => 'hidden',
    open: () => {},
    platform: 'linux',
  });
}

type TestNotifier = ReturnType<typeof makeNotifier>;
const arrived = (n: TestNotifier, conversationId: string, senderId: string) => n.onMessagesChanged({ conversationId, messages: [text(conversationId, senderId)], origin: 'live' });
const titles = () => FakeNotification.instances.filter((n) => n.shown && !n.closed).map((n) => n.options.title);

beforeEach(() => {
  resetElectron();
  dispatch = vi.fn<DesktopCore['dispatch']>(() => Promise.resolve({ ok: true, value: [] }));
});

describe('Notifier names the sender', () => {
  it('in a group: "<sender> in <group>", with the handle where another member looks the same', () => {
    const n = makeNotifier();
    n.onConversationsChanged({ conversations: [snapshot('g', 'group', [me, alice, alice2, bob])] });
    arrived(n, 'g', 'u_alice2');
    expect(titles()).toEqual(['Аlice (@alice2) in Team']);
    arrived(n, 'g', 'u_alice');
    expect(titles()).toEqual(['Alice (@alice) in Team']);
    arrived(n, 'g', 'u_bob');
    expect(titles()).toEqual(['bob in Team']);
    // The look-alike renames herself: the name is enough again.
    n.onConversationsChanged({ conversations: [snapshot('g', 'group', [me, alice, { ...alice2, displayName: 'Alicia' }, bob])] });
    arrived(n, 'g', 'u_alice');
    expect(titles()).toEqual(['Alice in Team']);
  });

  it('in a direct chat: the person, with the handle where someone in another conversation looks the same', () => {
    const n = makeNotifier();
    n.onConversationsChanged({ conversations: [snapshot('d_alice', 'direct', [me, alice])] });
    arrived(n, 'd_alice', 'u_alice');
    expect(titles()).toEqual(['Alice']);
    n.onConversationsChanged({ conversations: [snapshot('d_alice2', 'direct', [me, alice2])] });
    arrived(n, 'd_alice2', 'u_alice2');
    arrived(n, 'd_alice', 'u_alice');
    expect(titles()).toEqual(['Аlice (@alice2)', 'Alice (@alice)']);
    n.onConversationRemoved({ conversationId: 'd_alice2' });
    arrived(n, 'd_alice', 'u_alice');
    expect(titles()).toEqual(['Alice']);
  });

  it('knows the names from sign-in on, uses the core’s title for a conversation not seen yet, and forgets them at sign-out', async () => {
    dispatch.mockImplementation((method) =>
      Promise.resolve(method === 'conversations.list' ? { ok: true, value: [snapshot('d_alice', 'direct', [me, alice]), snapshot('g', 'group', [me, alice2])] } : { ok: true, value: [] }),
    );
    const n = makeNotifier();
    n.onAccountChanged(account);
    await vi.waitFor(() => expect(dispatch).toHaveBeenCalledTimes(2));
    await Promise.resolve();
    arrived(n, 'd_alice', 'u_alice');
    arrived(n, 'd_alice2', 'u_alice2');
    expect(titles()).toEqual(['Alice (@alice)', 'Аlice']);
    n.onAccountChanged(null);
    arrived(n, 'g', 'u_alice2');
    expect(titles()).toEqual(['Team']);
  });
});
