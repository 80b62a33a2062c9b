import type { Courier } from './bridge';
import type { ConversationsStore } from './conversations-store';
import { Store } from './store';

/** At most one overlay at a time: Esc closes it, and focus returns where it was. */
export type Panel = 'none' | 'search' | 'settings' | 'groupInfo' | 'newDirect' | 'newGroup' | 'quickSwitcher';

export interface UiState {
  activeConversationId: string | null;
  panel: Panel;
  /** The sidebar's filter text. */
  filter: string;
  /** A message to scroll to and highlight (search result); `nonce` makes a repeat jump distinct. */
  jump: { conversationId: string; seq: number; nonce: number } | null;
}

/** What the window shows: which conversation, which panel, and navigation between them. */
export class UiStore extends Store<UiState> {
  private readonly disposers: Array<() => void> = [];
  private nonce = 0;

  constructor(
    private readonly courier: Courier,
    private readonly conversations: ConversationsStore,
  ) {
    super({ activeConversationId: null, panel: 'none', filter: '', jump: null });
    this.disposers.push(
      courier.on('navigate.conversation', ({ conversationId }) => this.openConversation(conversationId)),
      courier.on('conversation.removed', ({ conversationId }) => {
        if (this.current.activeConversationId === conversationId) this.openConversation(null);
      }),
    );
  }

  openConversation(conversationId: string | null, jumpToSeq?: number): void {
    const jump = conversationId !== null && jumpToSeq !== undefined ? { conversationId, seq: jumpToSeq, nonce: ++this.nonce } : null;
    const changed = conversationId !== this.current.activeConversationId;
    const panel = this.current.panel === 'groupInfo' && changed ? 'none' : this.current.panel;
    this.update({ activeConversationId: conversationId, jump, panel: panel === 'quickSwitcher' ? 'none' : panel });
    // Main decides notifications by what the window shows; a failure here only costs a notification.
    if (changed) void this.courier.call('conversation.setActive', { conversationId }).catch(() => undefined);
  }

  /** Alt+↑ / Alt+↓: the neighbour in the sidebar's order (wrapping is surprising, so it stops at the ends). */
  openAdjacent(step: 1 | -1): void {
    const order = this.visibleOrder();
    if (order.length === 0) return;
    const index = this.current.activeConversationId === null ? -1 : order.indexOf(this.current.activeConversationId);
    const next = index === -1 ? (step === 1 ? 0 : order.length - 1) : Math.min(order.length - 1, Math.max(0, index + step));
    const id = order[next];
    if (id !== undefined && id !== this.current.activeConversationId) this.openConversation(id);
  }

  /** Conversation ids in sidebar order (the filter does not hide the active one from Alt+↑/↓). */
  visibleOrder(): readonly string[] {
    return this.conversations.getSnapshot().order;
  }

  openPanel(panel: Panel): void {
    this.update({ panel });
  }

  togglePanel(panel: Exclude<Panel, 'none'>): void {
    this.update({ panel: this.current.panel === panel ? 'none' : panel });
  }

  closePanel(): void {
    if (this.current.panel !== 'none') this.update({ panel: 'none' });
  }

  setFilter(filter: string): void {
    this.update({ filter });
  }

  /** The timeline calls this once it has scrolled to the target. */
  clearJump(nonce: number): void {
    if (this.current.jump?.nonce === nonce) this.update({ jump: null });
  }

  reset(): void {
    this.set({ activeConversationId: null, panel: 'none', filter: '', jump: null });
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }
}
