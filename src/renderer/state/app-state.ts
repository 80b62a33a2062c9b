import type { CourierBridge } from '../../shared/ipc';
import { BlocksStore } from './blocks-store';
import { wrapBridge, type Courier } from './bridge';
import { ConversationsStore } from './conversations-store';
import type { ConversationNames } from '../format/names';
import type { LocalConversation } from './types';
import type { Timers } from './timers';
import { DraftsStore, type DraftStorage } from './drafts-store';
import { PrivacyStore } from './privacy-store';
import { SessionStore } from './session-store';
import { UiStore } from './ui-store';

/** Every store of the window, wired to one bridge. Components get it from AppContext. */
export class AppState {
  readonly courier: Courier;
  readonly session: SessionStore;
  readonly conversations: ConversationsStore;
  readonly ui: UiStore;
  readonly drafts: DraftsStore;
  readonly blocks: BlocksStore;
  readonly privacy: PrivacyStore;
  private readonly disposers: Array<() => void> = [];

  constructor(bridge: CourierBridge, o: { storage?: DraftStorage | null; timers?: Timers } = {}) {
    this.courier = wrapBridge(bridge);
    this.session = new SessionStore(this.courier);
    this.blocks = new BlocksStore(this.courier);
    this.privacy = new PrivacyStore(this.courier);
    this.conversations = new ConversationsStore(this.courier, o.timers, (userId) => this.blocks.isBlocked(userId));
    this.ui = new UiStore(this.courier, this.conversations);
    this.drafts = new DraftsStore(o.storage ?? null);
    let userId: string | null = null;
    // Signing in or out (here, from another window, or by the server ending the session)
    // swaps the whole picture: nothing of the previous account may stay on screen.
    this.disposers.push(
      this.session.subscribe(() => {
        const next = this.session.getSnapshot().account?.userId ?? null;
        if (next === userId) return;
        userId = next;
        this.ui.reset();
        this.conversations.clear();
        this.blocks.clear();
        this.privacy.clear();
        this.drafts.useAccount(next);
        if (next === null) return;
        void this.conversations.load(this.session.initialPresence).catch(() => undefined);
        // Without the lists the window still works; their events fill them in later.
        void this.blocks.load().catch(() => undefined);
        void this.privacy.load().catch(() => undefined);
      }),
    );
  }

  get myUserId(): string | null {
    return this.session.getSnapshot().account?.userId ?? null;
  }

  /** How a conversation names its people for the signed-in user (cached; see PeopleNames). */
  namesOf(c: LocalConversation | undefined): ConversationNames {
    return this.conversations.names.of(c, this.myUserId);
  }

  /** Signs out and forgets this account's drafts with its local history. */
  async signOut(): Promise<void> {
    const userId = this.myUserId;
    await this.session.signOut();
    if (userId !== null) this.drafts.clearAccount(userId);
  }

  start(): Promise<void> {
    return this.session.load();
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    this.drafts.flush();
    this.ui.dispose();
    this.conversations.dispose();
    this.blocks.dispose();
    this.privacy.dispose();
    this.session.dispose();
  }
}
