import { MAX_WATERMARKS, TYPING_REFRESH_MS, type Conversation, type Presence, type Privacy, type SessionInfo, type User } from '../../shared/protocol';
import type { Account, ConnectionState, LocalConversation, LocalMessage, MessagePage, OutboxSummary, SearchHit } from '../../shared/ipc';
import type { CoreEventListener } from '../app/desktop-core';
import { ConnectionManager, type ConnectionManagerOptions } from '../connection/connection-manager';
import type { CourierSocket } from '../courier-socket';
import { CourierError } from '../errors';
import type { CourierHttp } from '../http-api';
import type { ApplyResult, LocalStore } from '../store/local-store';
import { createWakeDetector, type WakeDetector } from '../connection/wake-detector';
import { OutboxSender } from './outbox-sender';
import { People } from './people';
import { ReceiptPump } from './receipt-pump';
import type { SessionTokens } from './session-tokens';
import { uuidv7 } from '../../shared/uuid-v7';

export type ConnectionTuning = Partial<
  Pick<ConnectionManagerOptions, 'baseDelayMs' | 'maxDelayMs' | 'healthyAfterMs' | 'connectTimeoutMs' | 'probeTimeoutMs' | 'random' | 'ca' | 'log'>
>;

export interface ActiveSessionOptions {
  account: Account;
  store: LocalStore;
  tokens: SessionTokens;
  http: CourierHttp;
  emit: CoreEventListener;
  /** For conversations this device has never seen: fetch at most this many latest entries at catch-up. */
  backlog: number;
  connection?: ConnectionTuning;
  onSessionEnded: (state: ConnectionState) => void;
}

/**
 * One signed-in account on this device: its local store, its connection, and everything
 * that moves data between the two (catch-up, live events, outbox, receipts, presence).
 * Every change is written to the store first and then announced, so what the UI shows is
 * always what a restart would show.
 */
export class ActiveSession {
  readonly connection: ConnectionManager;
  private readonly store: LocalStore;
  private readonly outbox: OutboxSender;
  private readonly receipts: ReceiptPump;
  private readonly people: People;
  private socket: CourierSocket | null = null;
  private syncing = false;
  private resyncWanted = false;
  private presence: 'online' | 'away' = 'online';
  private readonly presenceByUser = new Map<string, Presence>();
  private readonly typingSentAt = new Map<string, number>();
  private lastUnread = -1;
  private lastOutbox = '';
  private closed = false;
  /** Notices a sleep the OS did not report (no resume event reaches a Node process). */
  private readonly wake: WakeDetector;
  private readonly stopRenewing: () => void;

  constructor(private readonly o: ActiveSessionOptions) {
    this.store = o.store;
    this.receipts = new ReceiptPump(() => this.socket);
    this.people = new People({ store: o.store, socket: () => this.socket, emit: o.emit });
    this.outbox = new OutboxSender({
      store: o.store,
      myUserId: o.account.userId,
      socket: () => this.socket,
      onChange: (message) => this.messageChanged(message, 'live'),
      ...(o.connection?.log ? { log: o.connection.log } : {}),
    });
    // The socket lives only as long as its token: hand it each new one, without reconnecting.
    this.stopRenewing = o.tokens.onRefreshed((token) => {
      this.socket?.request('session.renew', { token }).catch(() => {
        // Refused or lost: the server closes the socket (4002) when the old token expires, and
        // the connection manager reconnects with the new one. Nothing is lost either way.
      });
    });
    this.wake = createWakeDetector({ onWake: (sleptMs) => this.connection.reconnectNow(`woke after ${Math.round(sleptMs / 1000)} s`) });
    this.connection = new ConnectionManager({
      serverUrl: o.account.serverUrl,
      tokens: o.tokens,
      onConnected: (socket, isCurrent) => this.connected(socket, isCurrent),
      onDisconnected: () => {
        this.socket = null;
      },
      onState: (state) => {
        if (this.closed) return;
        this.o.emit('connection', state);
        if (state.status === 'signedOut') this.o.onSessionEnded(state);
      },
      ...o.connection,
    });
  }

  get account(): Account {
    return this.o.account;
  }

  start(): void {
    this.connection.start();
    this.wake.start();
    this.emitCounters();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopRenewing();
    this.wake.stop();
    this.outbox.stop();
    this.receipts.stop();
    this.o.tokens.stop();
    await this.connection.stop();
    this.store.close();
  }

  // ---- connection lifecycle --------------------------------------------------------

  private async connected(socket: CourierSocket, isCurrent: () => boolean): Promise<void> {
    // Subscribe before syncing: the server holds live events until the catch-up is done
    // and then releases them minus duplicates, so nothing falls between the two.
    socket.on('message.new', (e) => isCurrent() && this.apply(this.store.applyMessages([e.message], this.me), 'live'));
    socket.on('conversation.updated', (e) => isCurrent() && this.apply(this.store.upsertConversations([e.conversation], this.me), 'live'));
    socket.on('conversation.changed', (e) => isCurrent() && this.apply(this.store.applyConversationChange(e), 'live'));
    socket.on('conversation.removed', (e) => isCurrent() && this.removed([e.conversationId]));
    socket.on('block.changed', () => {
      if (isCurrent()) this.people.blockChanged(socket).catch(() => {}); // the next catch-up refreshes it anyway
    });
    socket.on('privacy.changed', (e) => isCurrent() && this.people.privacyChanged(e.privacy));
    socket.on('receipt.updated', (e) => {
      if (isCurrent() && this.store.applyReceipt(e.receipt)) this.conversationsChanged([e.receipt.conversationId]);
    });
    socket.on('presence.updated', (e) => isCurrent() && this.presenceChanged(e.presence));
    socket.on('typing.updated', (e) => {
      if (isCurrent()) this.o.emit('typing', { conversationId: e.conversationId, userId: e.userId, typing: e.typing, ttlMs: e.ttlMs });
    });

    await this.catchUp(socket);
    if (!isCurrent()) return;
    // Best effort: without the lists the session still works, and the next catch-up retries.
    await this.people.refresh(socket).catch(() => {});
    if (!isCurrent()) return;
    this.socket = socket;
    if (this.presence === 'away') socket.notify('presence.set', { status: 'away' });
    this.pushReadMarks();
    this.receipts.resume();
    this.outbox.kick();
  }

  /** Asks for everything after our watermarks; each batch is stored (one transaction) and announced as it lands. */
  private async catchUp(socket: CourierSocket): Promise<void> {
    this.syncing = true;
    try {
      do {
        this.resyncWanted = false;
        const result = await socket.sync(
          this.store.watermarks().slice(0, MAX_WATERMARKS),
          (batch) => {
            const applied = this.store.applySyncBatch(batch, this.me);
            this.apply(applied, 'sync');
            if (applied.removed.length > 0) this.removed(applied.removed, false);
          },
          this.o.backlog,
        );
        for (const presence of result.presence) this.presenceChanged(presence);
      } while (this.resyncWanted);
    } finally {
      this.syncing = false;
    }
  }

  /** A message arrived after a gap (should not happen; recover by syncing again). */
  private resync(): void {
    const socket = this.socket;
    if (this.syncing) {
      this.resyncWanted = true;
      return;
    }
    if (!socket) return; // the next connection syncs anyway
    this.catchUp(socket).catch(() => socket.raw.terminate());
  }

  /** Read marks made offline (or lost with a connection) are behind on the server: send them. */
  private pushReadMarks(): void {
    for (const c of this.store.listConversations()) {
      const mine = c.members.find((m) => m.userId === this.me);
      if (mine && c.readSeq > mine.readSeq) this.receipts.mark(c.id, 'read', c.readSeq);
    }
  }

  // ---- applying changes ------------------------------------------------------------

  private apply(result: ApplyResult, origin: 'live' | 'sync' | 'history'): void {
    for (const [conversationId, messages] of result.inserted) {
      this.o.emit('messages.changed', { conversationId, messages, origin });
      const newest = messages[messages.length - 1];
      if (origin !== 'history' && newest !== undefined && newest.seq !== null && messages.some((m) => m.senderId !== this.me)) {
        this.receipts.mark(conversationId, 'delivered', newest.seq);
      }
    }
    this.conversationsChanged(result.changed);
    if (result.gaps.length > 0) this.resync();
  }

  private removed(conversationIds: string[], deleteLocal = true): void {
    for (const id of conversationIds) {
      if (deleteLocal) this.store.removeConversation(id);
      this.o.emit('conversation.removed', { conversationId: id });
    }
    this.emitCounters();
  }

  private messageChanged(message: LocalMessage, origin: 'local' | 'live'): void {
    this.o.emit('messages.changed', { conversationId: message.conversationId, messages: [message], origin });
    this.conversationsChanged([message.conversationId]);
  }

  private conversationsChanged(ids: readonly string[]): void {
    if (ids.length > 0) {
      const conversations: LocalConversation[] = [];
      for (const id of new Set(ids)) {
        const c = this.store.getConversation(id);
        if (c) conversations.push(c);
      }
      if (conversations.length > 0) this.o.emit('conversations.changed', { conversations });
    }
    this.emitCounters();
  }

  /** Kept so a window opened later (or reloaded) starts from the current picture, not from nothing. */
  private presenceChanged(presence: Presence): void {
    this.presenceByUser.set(presence.userId, presence);
    this.o.emit('presence', presence);
  }

  /** The latest presence of everyone the server told us about. */
  presenceSnapshot(): Presence[] {
    return [...this.presenceByUser.values()];
  }

  outboxSummary(): OutboxSummary {
    return this.store.outboxSummary();
  }

  /** Unread total and outbox summary, announced only when they change. */
  private emitCounters(): void {
    const unread = this.store.unreadTotal();
    if (unread !== this.lastUnread) {
      this.lastUnread = unread;
      this.o.emit('unread', { total: unread });
    }
    const outbox = this.store.outboxSummary();
    const key = `${outbox.pending}/${outbox.failed}`;
    if (key !== this.lastOutbox) {
      this.lastOutbox = key;
      this.o.emit('outbox', outbox);
    }
  }

  // ---- what the UI asks for --------------------------------------------------------

  conversations(): LocalConversation[] {
    return this.store.listConversations();
  }

  conversation(id: string): LocalConversation | null {
    return this.store.getConversation(id);
  }

  /** Local first; when the store runs out and the server has older entries, fetch them, store them, then answer. */
  async page(conversationId: string, limit: number, beforeSeq?: number): Promise<MessagePage> {
    const conversation = this.requireConversation(conversationId);
    const range = beforeSeq === undefined ? { limit } : { beforeSeq, limit };
    let messages = this.store.page(conversationId, range);
    const stored = messages.filter((m) => m.seq !== null);
    const oldest = stored[0]?.seq ?? beforeSeq ?? conversation.lastSeq + 1;
    let serverHasNoMore = false;
    if (stored.length < limit && oldest > 1 && this.socket) {
      try {
        const page = await this.socket.request('history.fetch', { conversationId, beforeSeq: oldest, limit: limit - stored.length });
        serverHasNoMore = page.messages.length === 0;
        this.apply(this.store.applyMessages(page.messages, this.me), 'history');
        messages = this.store.page(conversationId, range);
      } catch (error) {
        if (!(error instanceof CourierError) || error.code === 'not_found') throw error;
        // Offline or slow: show what we have; the renderer asks again when scrolled further.
      }
    }
    const lowest = messages.find((m) => m.seq !== null)?.seq ?? oldest;
    return { messages, hasMore: lowest > 1 && !serverHasNoMore };
  }

  around(conversationId: string, seq: number, limit: number): MessagePage {
    this.requireConversation(conversationId);
    const messages = this.store.around(conversationId, seq, limit);
    const first = messages.find((m) => m.seq !== null)?.seq ?? null;
    return { messages, hasMore: first !== null && first > 1 };
  }

  send(conversationId: string, body: string): LocalMessage {
    this.requireConversation(conversationId);
    const message = this.store.enqueue({ conversationId, clientId: uuidv7(), body, senderId: this.me, createdAt: Date.now() });
    this.messageChanged(message, 'local');
    this.outbox.kick();
    return message;
  }

  retry(clientId: string): LocalMessage {
    const message = this.store.retry(clientId);
    if (!message) throw new CourierError('not_found', 'That message is no longer waiting to be sent.');
    this.messageChanged(message, 'local');
    this.outbox.kick();
    return message;
  }

  deleteOutbox(conversationId: string, clientId: string): void {
    if (!this.store.deleteOutbox(clientId)) throw new CourierError('not_found', 'That message is no longer waiting to be sent.');
    this.o.emit('message.deleted', { conversationId, clientId });
    this.conversationsChanged([conversationId]);
  }

  markRead(conversationId: string, seq: number): void {
    const conversation = this.requireConversation(conversationId);
    const upTo = Math.min(seq, conversation.lastSeq);
    if (!this.store.markReadLocal(conversationId, this.me, upTo)) return;
    this.receipts.mark(conversationId, 'read', upTo);
    this.conversationsChanged([conversationId]);
  }

  setMuted(conversationId: string, muted: boolean): void {
    this.requireConversation(conversationId);
    this.store.setMuted(conversationId, muted);
    this.conversationsChanged([conversationId]);
  }

  /** Typing notices are throttled: `true` at most every TYPING_REFRESH_MS, `false` only after a `true`. */
  setTyping(conversationId: string, typing: boolean): void {
    const socket = this.socket;
    if (!socket) return;
    const now = Date.now();
    const last = this.typingSentAt.get(conversationId);
    if (typing) {
      if (last !== undefined && now - last < TYPING_REFRESH_MS) return;
      this.typingSentAt.set(conversationId, now);
      socket.notify('typing.set', { conversationId, typing: true });
    } else if (last !== undefined) {
      this.typingSentAt.delete(conversationId);
      socket.notify('typing.set', { conversationId, typing: false });
    }
  }

  setPresence(status: 'online' | 'away'): void {
    if (status === this.presence) return;
    this.presence = status;
    this.socket?.notify('presence.set', { status });
  }

  search(query: string, limit: number): SearchHit[] {
    return this.store.search(query, limit);
  }

  async searchUsers(query: string): Promise<User[]> {
    return (await this.online().request('user.search', { query, limit: 20 })).users;
  }

  openDirect(userId: string): Promise<LocalConversation> {
    return this.conversationCall(this.online().request('conversation.openDirect', { userId }));
  }

  createGroup(title: string, memberIds: string[]): Promise<LocalConversation> {
    return this.conversationCall(this.online().request('conversation.createGroup', { title, memberIds }));
  }

  rename(conversationId: string, title: string): Promise<LocalConversation> {
    return this.conversationCall(this.online().request('conversation.rename', { conversationId, title }));
  }

  addMembers(conversationId: string, userIds: string[]): Promise<LocalConversation> {
    return this.conversationCall(this.online().request('conversation.addMembers', { conversationId, userIds }));
  }

  removeMember(conversationId: string, userId: string): Promise<LocalConversation> {
    return this.conversationCall(this.online().request('conversation.removeMember', { conversationId, userId }));
  }

  async leave(conversationId: string): Promise<void> {
    await this.online().request('conversation.leave', { conversationId });
    this.removed([conversationId]);
  }

  /** Answers a request or an invitation with yes: the conversation becomes an ordinary one. */
  accept(conversationId: string): Promise<LocalConversation> {
    return this.conversationCall(this.online().request('conversation.accept', { conversationId }));
  }

  /** Answers it with no: the conversation and its history leave this device. */
  async decline(conversationId: string): Promise<void> {
    await this.online().request('conversation.decline', { conversationId });
    this.removed([conversationId]);
  }

  blockedUsers(): User[] {
    return this.people.blockedUsers();
  }

  /** Blocks someone this device knows (from a conversation's members). */
  block(userId: string): Promise<void> {
    const member = this.store.listConversations().flatMap((c) => c.members).find((m) => m.userId === userId);
    if (!member) throw new CourierError('not_found', 'No such person in your conversations.');
    return this.people.block({ id: userId, username: member.username, displayName: member.displayName });
  }

  unblock(userId: string): Promise<void> {
    return this.people.unblock(userId);
  }

  privacy(): Privacy | null {
    return this.people.currentPrivacy();
  }

  setPrivacy(patch: Partial<Privacy>): Promise<Privacy> {
    return this.people.setPrivacy(patch);
  }

  async sessions(): Promise<SessionInfo[]> {
    return this.o.http.sessions(await this.o.tokens.accessToken());
  }

  async revokeSession(sessionId: string): Promise<void> {
    await this.o.http.revokeSession(await this.o.tokens.accessToken(), sessionId);
  }

  /** Best effort: tells the server this session is over (the caller deletes local data either way). */
  async logout(): Promise<void> {
    await this.o.http.logout(await this.o.tokens.accessToken());
  }

  private async conversationCall(call: Promise<{ conversation: Conversation }>): Promise<LocalConversation> {
    const { conversation } = await call;
    this.apply(this.store.upsertConversations([conversation], this.me), 'live');
    const local = this.store.getConversation(conversation.id);
    if (!local) throw new CourierError('internal', 'the conversation was not stored');
    return local;
  }

  private online(): CourierSocket {
    if (!this.socket) throw new CourierError('offline', "You're offline. Try again when Courier has reconnected.");
    return this.socket;
  }

  private requireConversation(id: string): LocalConversation {
    const conversation = this.store.getConversation(id);
    if (!conversation) throw new CourierError('not_found', 'No such conversation.');
    return conversation;
  }

  private get me(): string {
    return this.o.account.userId;
  }
}
