import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DesktopCore } from '../../src/client/app/desktop-core';
import type { LocalConversation, LocalMessage } from '../../src/shared/ipc/models';
import type { Member } from '../../src/shared/protocol';
import { DEFAULT_SETTINGS } from '../../src/shared/ipc/settings';
import { FakeNotification, resetElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { Notifier } = await import('../../src/main/notifier');

/** Consent and blocking in the notifier: requests notify once, blocked people never. */

const ME = 'u_me';
const account = { serverUrl: 'http://x', userId: ME, username: 'me', displayName: null, sessionId: 's' };

function member(userId: string, over: Partial<Member> = {}): Member {
  return { userId, username: userId.slice(2), displayName: null, role: 'member', state: 'accepted', invitedBy: null, deliveredSeq: 0, readSeq: 0, ...over };
}

function snapshot(id: string, kind: 'direct' | 'group', members: Member[]): LocalConversation {
  return { id, kind, title: kind === 'group' ? 'Group' : null, createdAt: 0, lastSeq: 1, lastMessage: null, lastActivityAt: 0, unread: 1, readSeq: 0, muted: false, members };
}

const request = (id: string, from: string, kind: 'direct' | 'group' = 'direct') => snapshot(id, kind, [member(ME, { state: 'pending', invitedBy: from }), member(from)]);
const accepted = (id: string, other: string, kind: 'direct' | 'group' = 'direct') => snapshot(id, kind, [member(ME), member(other)]);

let seq = 0;
function text(conversationId: string, senderId: string, body = `message ${seq + 1}`): LocalMessage {
  seq++;
  return { conversationId, seq, clientId: `c${seq}`, senderId, kind: 'text', body, system: null, ts: seq, state: 'sent', error: null };
}

let dispatch: ReturnType<typeof vi.fn<DesktopCore['dispatch']>>;

function makeNotifier() {
  return new Notifier({
    core: {
      settings: () => DEFAULT_SETTINGS,
      myUserId: () => ME,
      conversationInfo: (id) => ({ title: `Title of ${id}`, muted: false }),
      activeConversationId: () => null,
      dispatch,
    },
    attention: () => 'hidden',
    open: () => {},
    platform: 'darwin',
  });
}

type TestNotifier = ReturnType<typeof makeNotifier>;
const arrived = (n: TestNotifier, conversationId: string, messages: LocalMessage[], origin: 'live' | 'sync' = 'live') => n.onMessagesChanged({ conversationId, messages, origin });
const shown = () => FakeNotification.instances.filter((n) => n.shown);
const visible = () => shown().filter((n) => !n.closed);

beforeEach(() => {
  resetElectron();
  dispatch = vi.fn<DesktopCore['dispatch']>(() => Promise.resolve({ ok: true, value: [] }));
});

describe('Notifier and consent', () => {
  it('a request notifies for its first message only, saying it is a request; accepted, it notifies as usual', () => {
    const n = makeNotifier();
    n.onConversationsChanged({ conversations: [request('c_req', 'u_stranger')] });
    arrived(n, 'c_req', [text('c_req', 'u_stranger', 'hi, we met at the conference')]);
    expect(visible().map((x) => x.options.body)).toEqual(['Message request: hi, we met at the conference']);
    arrived(n, 'c_req', [text('c_req', 'u_stranger', 'hello?')]);
    arrived(n, 'c_req', [text('c_req', 'u_stranger'), text('c_req', 'u_stranger')], 'sync');
    expect(shown()).toHaveLength(1);
    // Even after its notification was dismissed, the request stays quiet.
    visible()[0]!.close();
    arrived(n, 'c_req', [text('c_req', 'u_stranger', 'last try')]);
    expect(shown()).toHaveLength(1);

    n.onConversationsChanged({ conversations: [accepted('c_req', 'u_stranger')] });
    arrived(n, 'c_req', [text('c_req', 'u_stranger', 'thanks for accepting')]);
    expect(visible().map((x) => x.options.body)).toEqual(['thanks for accepting']);
  });

  it('one notification for a request whose first messages arrive together', () => {
    const n = makeNotifier();
    n.onConversationsChanged({ conversations: [request('c_req', 'u_stranger', 'group')] });
    arrived(n, 'c_req', [text('c_req', 'u_stranger', 'welcome'), text('c_req', 'u_stranger', 'to the group')], 'sync');
    expect(shown().map((x) => x.options.body)).toEqual(['Group invitation: welcome']);
  });

  it('a request first seen in a catch-up (its messages before its snapshot) still notifies only once', () => {
    const n = makeNotifier();
    arrived(n, 'c_new', [text('c_new', 'u_stranger', 'first')], 'sync');
    n.onConversationsChanged({ conversations: [request('c_new', 'u_stranger')] });
    arrived(n, 'c_new', [text('c_new', 'u_stranger', 'second')]);
    expect(shown().map((x) => x.options.body)).toEqual(['first']);
    // An ordinary conversation seen the same way goes on notifying.
    arrived(n, 'c_friend', [text('c_friend', 'u_friend', 'one')], 'sync');
    n.onConversationsChanged({ conversations: [accepted('c_friend', 'u_friend')] });
    arrived(n, 'c_friend', [text('c_friend', 'u_friend', 'two')]);
    expect(visible().map((x) => x.options.body)).toEqual(['first', '2 new messages: two']);
  });

  it('messages from someone I blocked never notify (their group messages still arrive); unblocked, they do', () => {
    const n = makeNotifier();
    n.onConversationsChanged({ conversations: [snapshot('g', 'group', [member(ME), member('u_mal'), member('u_ann')])] });
    n.onBlocksChanged({ users: [{ id: 'u_mal', username: 'mal', displayName: null }] });
    arrived(n, 'g', [text('g', 'u_mal', 'spam'), text('g', 'u_mal', 'more spam')]);
    expect(shown()).toHaveLength(0);
    arrived(n, 'g', [text('g', 'u_mal', 'spam'), text('g', 'u_ann', 'real news')]);
    expect(visible().map((x) => x.options.body)).toEqual(['real news']);
    n.onBlocksChanged({ users: [] });
    arrived(n, 'g', [text('g', 'u_mal', 'sorry')]);
    expect(visible().map((x) => x.options.body)).toEqual(['2 new messages: sorry']);
  });

  it('reads the block list and the requests when an account signs in, so the first catch-up already knows them', async () => {
    dispatch.mockImplementation((method) =>
      Promise.resolve(
        method === 'blocks.list'
          ? { ok: true, value: [{ id: 'u_mal', username: 'mal', displayName: null }] }
          : { ok: true, value: [request('c_req', 'u_stranger'), accepted('c_ok', 'u_ann')] },
      ),
    );
    const n = makeNotifier();
    n.onAccountChanged(account);
    await vi.waitFor(() => expect(dispatch).toHaveBeenCalledTimes(2));
    await Promise.resolve();
    arrived(n, 'c_ok', [text('c_ok', 'u_mal', 'blocked, in a shared chat')], 'sync');
    arrived(n, 'c_req', [text('c_req', 'u_stranger', 'first')], 'sync');
    arrived(n, 'c_req', [text('c_req', 'u_stranger', 'second')], 'sync');
    expect(shown().map((x) => x.options.body)).toEqual(['Message request: first']);
  });

  it('signing out forgets the picture and withdraws what is shown; a late answer for the old account is dropped', async () => {
    let answer: (v: { ok: true; value: unknown }) => void = () => {};
    dispatch.mockImplementation((method) =>
      method === 'blocks.list' ? new Promise((r) => (answer = r)) : Promise.resolve({ ok: true, value: [] }),
    );
    const n = makeNotifier();
    n.onAccountChanged(account);
    n.onConversationsChanged({ conversations: [accepted('c_ok', 'u_ann')] });
    arrived(n, 'c_ok', [text('c_ok', 'u_ann', 'hi')]);
    expect(visible()).toHaveLength(1);
    n.onAccountChanged(null);
    expect(visible()).toHaveLength(0);
    answer({ ok: true, value: [{ id: 'u_ann', username: 'ann', displayName: null }] });
    await new Promise((r) => setTimeout(r, 0));
    arrived(n, 'c_ok', [text('c_ok', 'u_ann', 'still notifies')]);
    expect(visible().map((x) => x.options.body)).toEqual(['still notifies']);
  });

  it('ignores answers that are not what the contract says', async () => {
    dispatch.mockImplementation(() => Promise.resolve({ ok: true, value: [{ nonsense: true }] }));
    const n = makeNotifier();
    n.onAccountChanged(account);
    await vi.waitFor(() => expect(dispatch).toHaveBeenCalledTimes(2));
    await new Promise((r) => setTimeout(r, 0));
    arrived(n, 'c_1', [text('c_1', 'u_ann', 'hello')]);
    expect(visible()).toHaveLength(1);
  });

  it('forgets a removed conversation (declined or left) along with its notification', () => {
    const n = makeNotifier();
    n.onConversationsChanged({ conversations: [request('c_req', 'u_stranger')] });
    arrived(n, 'c_req', [text('c_req', 'u_stranger', 'first')]);
    n.onConversationRemoved({ conversationId: 'c_req' });
    expect(visible()).toHaveLength(0);
  });
});
