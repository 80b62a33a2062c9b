import { Notification } from 'electron';
import type { DesktopCore } from '../client/app/desktop-core';
import { NameIndex, nameWithHandle } from '../shared/confusable';
import { IPC_METHODS, type IpcEventPayload } from '../shared/ipc/contract';
import type { LocalConversation } from '../shared/ipc/models';
import type { WindowAttention } from './main-window';
import { notificationBody, plainPreview, shouldNotify, type RequestKind } from './notification-policy';

/**
 * Native notifications for new messages, at most one per conversation on screen at a
 * time: a second message in the same conversation replaces the first notification with
 * "N new messages: <latest>" instead of stacking a pile of them. A conversation's
 * notification is withdrawn when it is read (unread 0) or shown in the focused window.
 *
 * Consent: nothing from someone the user blocked notifies, and a request or invitation
 * (the user's own member is `pending`) notifies once, for its first message, whatever a
 * stranger sends after it. The core's `conversationInfo` knows neither, so the notifier
 * keeps its own picture: the block list and which conversations are requests, read once
 * per account (`blocks.list`, `conversations.list`) and then followed through
 * `blocks.changed` and `conversations.changed`.
 *
 * Names: the same snapshots give the members, so the title names the sender as the window
 * does — "Ann" for a direct chat, "Ann in Launch team" for a group — with their @username
 * where the name alone could mislead (src/shared/confusable.ts): in a group, when another
 * member's name looks the same; in a direct chat, when anyone's in the user's conversations
 * does (the sidebar titles it the same way). Until a conversation's snapshot is known, the
 * core's title is used as it is.
 */
export interface NotifierOptions {
  core: Pick<DesktopCore, 'settings' | 'myUserId' | 'conversationInfo' | 'activeConversationId' | 'dispatch'>;
  attention(): WindowAttention;
  /** The user clicked the notification of this conversation. */
  open(conversationId: string): void;
  platform: NodeJS.Platform;
}

interface Shown {
  notification: Notification;
  count: number;
}

export class Notifier {
  /** Also what keeps each Notification referenced: a collected one loses its click handler. */
  private readonly shown = new Map<string, Shown>();
  private blocked: ReadonlySet<string> = new Set();
  /** conversationId → the request it is (absent: answered, or not seen yet). */
  private readonly requests = new Map<string, RequestKind>();
  /** Conversations whose one request notification has been raised (cleared once accepted). */
  private readonly requestNotified = new Set<string>();
  /** Conversations whose snapshot we have seen (so "not a request" is known, not guessed). */
  private readonly seen = new Set<string>();
  /** Everyone in the user's conversations, by conversation, and whose names collide. */
  private readonly names = new NameIndex();
  private readonly kinds = new Map<string, LocalConversation['kind']>();
  /** Which account the picture belongs to; a late answer for another one is dropped. */
  private account: string | null = null;

  constructor(private readonly o: NotifierOptions) {}

  onMessagesChanged(event: IpcEventPayload<'messages.changed'>): void {
    if (!Notification.isSupported()) return;
    const { conversationId } = event;
    const info = this.o.core.conversationInfo(conversationId);
    if (info === null) return;
    const me = this.o.core.myUserId();
    const settings = this.o.core.settings();
    const window = this.o.attention();
    const conversationActive = this.o.core.activeConversationId() === conversationId;
    // Not seen as a snapshot yet (a catch-up announces messages before their conversation):
    // it notifies as usual, but may turn out to be a request, so that counts as its one.
    const known = this.requests.has(conversationId) || this.seen.has(conversationId);
    const request = this.requests.get(conversationId) ?? null;
    let requestNotified = this.requestNotified.has(conversationId);
    const fresh = event.messages.filter((message) => {
      const notify = shouldNotify({
        origin: event.origin,
        kind: message.kind,
        fromMe: message.senderId === me,
        muted: info.muted,
        settings,
        window,
        conversationActive,
        senderBlocked: this.blocked.has(message.senderId),
        request: request !== null,
        requestNotified,
      });
      if (notify && (request !== null || !known)) requestNotified = true;
      return notify;
    });
    const latest = fresh.at(-1);
    if (latest === undefined) return;
    if (requestNotified) this.requestNotified.add(conversationId);

    const previous = this.shown.get(conversationId);
    const count = (previous?.count ?? 0) + fresh.length;
    if (previous !== undefined) {
      this.shown.delete(conversationId);
      previous.notification.close();
    }
    const notification = new Notification({
      title: plainPreview(this.titleOf(conversationId, latest.senderId, info.title), 100),
      body: notificationBody(count, latest.body ?? '', this.o.platform, request),
    });
    this.shown.set(conversationId, { notification, count });
    notification.on('click', () => {
      this.dismiss(conversationId);
      this.o.open(conversationId);
    });
    // Dismissed by the user or replaced: forget it, unless a newer one has taken its place.
    notification.on('close', () => {
      if (this.shown.get(conversationId)?.notification === notification) this.shown.delete(conversationId);
    });
    notification.show();
  }

  /**
   * Conversations whose unread count dropped to 0 were read (here or on another device).
   * Each snapshot also says whether it is still a request.
   */
  onConversationsChanged(event: IpcEventPayload<'conversations.changed'>): void {
    for (const conversation of event.conversations) {
      if (conversation.unread === 0) this.dismiss(conversation.id);
      this.learn(conversation);
    }
  }

  onConversationRemoved(event: IpcEventPayload<'conversation.removed'>): void {
    this.dismiss(event.conversationId);
    this.forget(event.conversationId);
  }

  onBlocksChanged(event: IpcEventPayload<'blocks.changed'>): void {
    this.blocked = new Set(event.users.map((u) => u.id));
  }

  /**
   * Signed in (then the block list and the conversations are read) or out (then nothing
   * of the old account may stay on screen or in memory).
   */
  onAccountChanged(account: IpcEventPayload<'account'>): void {
    const next = account?.userId ?? null;
    if (next === this.account) return;
    this.account = next;
    this.dismissAll();
    this.blocked = new Set();
    this.requests.clear();
    this.requestNotified.clear();
    this.seen.clear();
    this.names.clear();
    this.kinds.clear();
    if (next !== null) void this.prime(next);
  }

  /** The window came to the front: what it shows has been seen. */
  onWindowFocused(): void {
    const active = this.o.core.activeConversationId();
    if (active !== null) this.dismiss(active);
  }

  dismiss(conversationId: string): void {
    const shown = this.shown.get(conversationId);
    if (shown === undefined) return;
    this.shown.delete(conversationId);
    shown.notification.close();
  }

  dismissAll(): void {
    for (const conversationId of [...this.shown.keys()]) this.dismiss(conversationId);
  }

  private learn(c: Pick<LocalConversation, 'id' | 'kind' | 'members'>): void {
    // Snapshots come from our own core; still, a partial one (no members) teaches nothing.
    if (!Array.isArray(c.members)) return;
    this.seen.add(c.id);
    this.names.set(c.id, c.members);
    this.kinds.set(c.id, c.kind);
    const me = this.o.core.myUserId();
    const pending = c.members.some((m) => m.userId === me && m.state === 'pending');
    if (pending) {
      this.requests.set(c.id, c.kind);
      return;
    }
    this.requests.delete(c.id);
    this.requestNotified.delete(c.id);
  }

  /** Who sent it, as the window would name them, in which group; the core's title while the members are not known. */
  private titleOf(conversationId: string, senderId: string, title: string): string {
    const sender = this.names.get(conversationId)?.byId.get(senderId);
    if (sender === undefined) return title;
    if (this.kinds.get(conversationId) === 'direct') return nameWithHandle(sender, this.names.collides(sender));
    return `${nameWithHandle(sender, this.names.get(conversationId)?.ambiguous ?? false)} in ${title}`;
  }

  private forget(conversationId: string): void {
    this.names.delete(conversationId);
    this.kinds.delete(conversationId);
    this.seen.delete(conversationId);
    this.requests.delete(conversationId);
    this.requestNotified.delete(conversationId);
  }

  /** The picture at sign-in; events after it keep it current. The answers are checked like any input. */
  private async prime(account: string): Promise<void> {
    const [blocks, conversations] = await Promise.all([this.o.core.dispatch('blocks.list', null), this.o.core.dispatch('conversations.list', null)]);
    if (this.account !== account) return;
    const users = blocks.ok ? IPC_METHODS['blocks.list'].result.safeParse(blocks.value) : null;
    // An event may have arrived meanwhile; the answer adds to it rather than replacing it.
    if (users?.success) this.blocked = new Set([...this.blocked, ...users.data.map((u) => u.id)]);
    const list = conversations.ok ? IPC_METHODS['conversations.list'].result.safeParse(conversations.value) : null;
    if (list?.success) for (const c of list.data) if (!this.seen.has(c.id)) this.learn(c);
  }
}
