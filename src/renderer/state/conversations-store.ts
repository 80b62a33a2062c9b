import type { LocalConversation, Presence, User } from './types';
import type { Courier } from './bridge';
import { PeopleNames } from './people-names';
import { Store } from './store';
import { realTimers, type Timers } from './timers';

export interface ConversationsState {
  loaded: boolean;
  byId: ReadonlyMap<string, LocalConversation>;
  /** Ids, newest activity first (the sidebar's order). */
  order: readonly string[];
  /** Latest presence per user id. */
  presence: ReadonlyMap<string, Presence>;
  /** conversationId → the user ids typing there now. */
  typing: ReadonlyMap<string, readonly string[]>;
}


function sortOrder(byId: ReadonlyMap<string, LocalConversation>): string[] {
  return [...byId.values()].sort((a, b) => b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : 1)).map((c) => c.id);
}

/**
 * The conversation list with presence and typing, fed by main's events. Snapshots from
 * `conversations.changed` replace ours whole (main sends complete conversations).
 */
export class ConversationsStore extends Store<ConversationsState> {
  private readonly disposers: Array<() => void> = [];
  /** `${conversationId}\n${userId}` → expiry timer for a typing notice. */
  private readonly typingTimers = new Map<string, unknown>();
  /** Who needs their @username shown, kept in step with the list (see PeopleNames). */
  readonly names = new PeopleNames();

  constructor(
    private readonly courier: Courier,
    private readonly timers: Timers = realTimers,
    /** People whose typing is not shown (the ones this account blocked). */
    private readonly hideTypingOf: (userId: string) => boolean = () => false,
  ) {
    super({ loaded: false, byId: new Map(), order: [], presence: new Map(), typing: new Map() });
    this.disposers.push(
      courier.on('conversations.changed', ({ conversations }) => this.upsert(conversations)),
      courier.on('conversation.removed', ({ conversationId }) => this.remove(conversationId)),
      courier.on('presence', (presence) => this.setPresence([presence])),
      courier.on('typing', (t) => {
        if (!t.typing || !this.hideTypingOf(t.userId)) this.setTyping(t.conversationId, t.userId, t.typing, t.ttlMs);
      }),
    );
  }

  /** `presence`: the picture `session.get` gave when the window opened (later changes arrive as events). */
  async load(presence: readonly Presence[] = []): Promise<void> {
    const conversations = await this.courier.call('conversations.list', null);
    const byId = new Map(conversations.map((c) => [c.id, c]));
    this.names.clear();
    for (const c of conversations) this.names.set(c);
    this.update({ loaded: true, byId, order: sortOrder(byId) });
    this.setPresence(presence);
  }

  /** Forgets everything (signed out). */
  clear(): void {
    for (const handle of this.typingTimers.values()) this.timers.clearTimeout(handle);
    this.typingTimers.clear();
    this.names.clear();
    this.set({ loaded: false, byId: new Map(), order: [], presence: new Map(), typing: new Map() });
  }

  get(conversationId: string): LocalConversation | undefined {
    return this.current.byId.get(conversationId);
  }

  upsert(conversations: readonly LocalConversation[]): void {
    if (conversations.length === 0) return;
    const byId = new Map(this.current.byId);
    for (const c of conversations) {
      byId.set(c.id, c);
      this.names.set(c);
    }
    this.update({ byId, order: sortOrder(byId) });
  }

  private remove(conversationId: string): void {
    if (!this.current.byId.has(conversationId)) return;
    const byId = new Map(this.current.byId);
    byId.delete(conversationId);
    this.names.delete(conversationId);
    const typing = new Map(this.current.typing);
    typing.delete(conversationId);
    this.update({ byId, order: sortOrder(byId), typing });
  }

  private setPresence(list: readonly Presence[]): void {
    if (list.length === 0) return;
    const presence = new Map(this.current.presence);
    for (const p of list) presence.set(p.userId, p);
    this.update({ presence });
  }

  private setTyping(conversationId: string, userId: string, typing: boolean, ttlMs: number): void {
    const key = `${conversationId}\n${userId}`;
    const previous = this.typingTimers.get(key);
    if (previous !== undefined) this.timers.clearTimeout(previous);
    this.typingTimers.delete(key);
    // A typing notice that is never refreshed (the sender closed the app) expires on its own.
    if (typing) this.typingTimers.set(key, this.timers.setTimeout(() => this.setTyping(conversationId, userId, false, 0), ttlMs));
    const users = this.current.typing.get(conversationId) ?? [];
    const next = typing ? (users.includes(userId) ? users : [...users, userId]) : users.filter((u) => u !== userId);
    if (next === users) return;
    const map = new Map(this.current.typing);
    if (next.length === 0) map.delete(conversationId);
    else map.set(conversationId, next);
    this.update({ typing: map });
  }

  // ---- actions (their results arrive as events too; returning them lets the UI navigate) ----

  async openDirect(userId: string): Promise<LocalConversation> {
    const c = await this.courier.call('conversation.openDirect', { userId });
    this.upsert([c]);
    return c;
  }

  async createGroup(title: string, memberIds: string[]): Promise<LocalConversation> {
    const c = await this.courier.call('conversation.createGroup', { title, memberIds });
    this.upsert([c]);
    return c;
  }

  async rename(conversationId: string, title: string): Promise<void> {
    this.upsert([await this.courier.call('conversation.rename', { conversationId, title })]);
  }

  async addMembers(conversationId: string, userIds: string[]): Promise<void> {
    this.upsert([await this.courier.call('conversation.addMembers', { conversationId, userIds })]);
  }

  async removeMember(conversationId: string, userId: string): Promise<void> {
    this.upsert([await this.courier.call('conversation.removeMember', { conversationId, userId })]);
  }

  async leave(conversationId: string): Promise<void> {
    await this.courier.call('conversation.leave', { conversationId });
    this.remove(conversationId);
  }

  /** Answers a request or an invitation with yes: the conversation becomes an ordinary one. */
  async accept(conversationId: string): Promise<LocalConversation> {
    const c = await this.courier.call('conversation.accept', { conversationId });
    this.upsert([c]);
    return c;
  }

  /** …with no: it leaves this device (and, in a DM, the sender cannot ask again). */
  async decline(conversationId: string): Promise<void> {
    await this.courier.call('conversation.decline', { conversationId });
    this.remove(conversationId);
  }

  async setMuted(conversationId: string, muted: boolean): Promise<void> {
    await this.courier.call('conversation.setMuted', { conversationId, muted });
    const c = this.get(conversationId);
    if (c && c.muted !== muted) this.upsert([{ ...c, muted }]);
  }

  searchUsers(query: string): Promise<User[]> {
    return this.courier.call('users.search', { query });
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    for (const handle of this.typingTimers.values()) this.timers.clearTimeout(handle);
    this.typingTimers.clear();
  }
}
