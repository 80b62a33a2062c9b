import { Notification } from 'electron';
import type { DesktopCore } from '../client/app/desktop-core';
import type { IpcEventPayload } from '../shared/ipc/contract';
import type { WindowAttention } from './main-window';
import { notificationBody, plainPreview, shouldNotify } from './notification-policy';

/**
 * Native notifications for new messages, at most one per conversation on screen at a
 * time: a second message in the same conversation replaces the first notification with
 * "N new messages: <latest>" instead of stacking a pile of them. A conversation's
 * notification is withdrawn when it is read (unread 0) or shown in the focused window.
 */
export interface NotifierOptions {
  core: Pick<DesktopCore, 'settings' | 'myUserId' | 'conversationInfo' | 'activeConversationId'>;
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
    const fresh = event.messages.filter((message) =>
      shouldNotify({
        origin: event.origin,
        kind: message.kind,
        fromMe: message.senderId === me,
        muted: info.muted,
        settings,
        window,
        conversationActive,
      }),
    );
    const latest = fresh.at(-1);
    if (latest === undefined) return;

    const previous = this.shown.get(conversationId);
    const count = (previous?.count ?? 0) + fresh.length;
    if (previous !== undefined) {
      this.shown.delete(conversationId);
      previous.notification.close();
    }
    const notification = new Notification({
      title: plainPreview(info.title, 100),
      body: notificationBody(count, latest.body ?? '', this.o.platform),
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

  /** Conversations whose unread count dropped to 0 were read (here or on another device). */
  onConversationsChanged(event: IpcEventPayload<'conversations.changed'>): void {
    for (const conversation of event.conversations) if (conversation.unread === 0) this.dismiss(conversation.id);
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
}
