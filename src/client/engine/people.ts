import type { Privacy, User } from '../../shared/protocol';
import type { CoreEventListener } from '../app/desktop-core';
import type { CourierSocket } from '../courier-socket';
import { CourierError } from '../errors';
import type { LocalStore } from '../store/local-store';

/**
 * What the account decides about other people: whom it blocked (kept in the local store,
 * so the timeline hides their messages offline too) and its privacy settings. Refreshed
 * from the server after every catch-up; other devices' changes arrive as events.
 */
export class People {
  private privacy: Privacy | null = null;

  constructor(
    private readonly o: {
      store: LocalStore;
      socket: () => CourierSocket | null;
      emit: CoreEventListener;
    },
  ) {}

  /** After a catch-up: the server's lists replace ours (another device may have changed them). */
  async refresh(socket: CourierSocket): Promise<void> {
    const [blocked, privacy] = await Promise.all([socket.request('block.list', {}), socket.request('privacy.get', {})]);
    this.o.store.setBlockedUsers(blocked.users);
    this.o.emit('blocks.changed', { users: blocked.users });
    this.privacyChanged(privacy.privacy);
  }

  /** block.changed from the server: refetch the list (the event names only the id). */
  async blockChanged(socket: CourierSocket): Promise<void> {
    const blocked = await socket.request('block.list', {});
    this.o.store.setBlockedUsers(blocked.users);
    this.o.emit('blocks.changed', { users: blocked.users });
  }

  privacyChanged(privacy: Privacy): void {
    this.privacy = privacy;
    this.o.emit('privacy', privacy);
  }

  blockedUsers(): User[] {
    return this.o.store.blockedUsers();
  }

  currentPrivacy(): Privacy | null {
    return this.privacy;
  }

  async block(user: User): Promise<void> {
    await this.online().request('block.add', { userId: user.id });
    this.o.store.updateBlocked(user, true);
    this.o.emit('blocks.changed', { users: this.o.store.blockedUsers() });
  }

  async unblock(userId: string): Promise<void> {
    await this.online().request('block.remove', { userId });
    const user = this.o.store.blockedUsers().find((u) => u.id === userId);
    if (user) this.o.store.updateBlocked(user, false);
    this.o.emit('blocks.changed', { users: this.o.store.blockedUsers() });
  }

  async setPrivacy(patch: Partial<Privacy>): Promise<Privacy> {
    const { privacy } = await this.online().request('privacy.set', { privacy: patch });
    this.privacyChanged(privacy);
    return privacy;
  }

  private online(): CourierSocket {
    const socket = this.o.socket();
    if (!socket) throw new CourierError('offline', "You're offline. Try again when Courier has reconnected.");
    return socket;
  }
}
