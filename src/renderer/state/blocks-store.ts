import type { User } from './types';
import type { Courier } from './bridge';
import { Store } from './store';

export interface BlocksState {
  /** False until `blocks.list` answered. */
  loaded: boolean;
  /** The people this account blocked, as the engine lists them. */
  users: readonly User[];
  /** Their ids, for the checks every message row and sidebar item makes. */
  ids: ReadonlySet<string>;
}

const EMPTY: BlocksState = { loaded: false, users: [], ids: new Set() };

/**
 * Whom this account blocked: `blocks.list` once signed in (the engine's local copy, so it
 * works offline), then `blocks.changed` (this device, another one, or the server's list
 * after a catch-up). Blocking and unblocking go through here; their results arrive as
 * that event too, and the list is asked again so the answer never waits on it.
 */
export class BlocksStore extends Store<BlocksState> {
  private readonly disposers: Array<() => void> = [];

  constructor(private readonly courier: Courier) {
    super(EMPTY);
    this.disposers.push(courier.on('blocks.changed', ({ users }) => this.replace(users)));
  }

  async load(): Promise<void> {
    this.replace(await this.courier.call('blocks.list', null));
  }

  isBlocked(userId: string): boolean {
    return this.current.ids.has(userId);
  }

  /** Declines their requests too (the engine removes those conversations with `conversation.removed`). */
  async block(userId: string): Promise<void> {
    await this.courier.call('user.block', { userId });
    await this.load();
  }

  async unblock(userId: string): Promise<void> {
    await this.courier.call('user.unblock', { userId });
    await this.load();
  }

  /** Forgets the list (signed out). */
  clear(): void {
    this.set(EMPTY);
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private replace(users: readonly User[]): void {
    const same = this.current.loaded && users.length === this.current.users.length && users.every((u, i) => sameUser(u, this.current.users[i]));
    if (same) return;
    this.set({ loaded: true, users, ids: new Set(users.map((u) => u.id)) });
  }
}

function sameUser(a: User, b: User | undefined): boolean {
  return b !== undefined && a.id === b.id && a.username === b.username && a.displayName === b.displayName;
}
