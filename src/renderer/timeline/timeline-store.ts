import type { Courier } from '../state/bridge';
import { errorMessage } from '../state/bridge';
import { realTimers, type Timers } from '../state/timers';
import { Store } from '../state/store';
import type { LocalConversation, LocalMessage, MessagePage } from '../state/types';
import { insertEntry, newestSeq, oldestSeq, sameEntry, storedLength, visibleCount } from './message-list';

/** Entries per scroll-back page. */
export const PAGE_SIZE = 50;
/** Entries per page while catching up to the first unread entry, and per jump window. */
export const WIDE_PAGE = 100;
/** How many pages back the first unread entry is looked for before jumping to it instead. */
export const MAX_UNREAD_PAGES = 10;
export const MARK_READ_DELAY_MS = 250;
export const HIGHLIGHT_MS = 2500;
/**
 * Virtuoso's index of the first item: it only ever decreases (by the number of rows
 * prepended), so it starts high. 100,000+ messages fit many times over.
 */
export const FIRST_INDEX = 1_000_000_000;

/** Where a fresh window (a new `epoch`) starts scrolled to. */
export type InitialPosition = { kind: 'bottom' } | { kind: 'seq'; seq: number; align: 'start' | 'center' };

/** A scroll the view should perform inside the current window; `nonce` makes repeats distinct. */
export type ScrollRequest = { kind: 'bottom'; nonce: number } | { kind: 'seq'; seq: number; nonce: number };

export interface TimelineState {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  /**
   * The loaded window: entries with a seq ascending, then the outbox (seq null) in compose
   * order. While `hasOlder`, the first entry is context only: the view hides it and uses it
   * to decide how the next one renders (so prepending never changes a row on screen).
   */
  messages: readonly LocalMessage[];
  hasOlder: boolean;
  loadingOlder: boolean;
  /** The last older page could not be loaded (offline): the view offers to try again. */
  olderFailed: boolean;
  /** Detached: a window away from the newest entries (after a jump); live appends wait. */
  detached: boolean;
  loadingNewer: boolean;
  /** Virtuoso's `firstItemIndex` for the visible rows. */
  firstItemIndex: number;
  /** Bumped whenever the window is replaced: the view remounts its list at `initial`. */
  epoch: number;
  initial: InitialPosition;
  scrollRequest: ScrollRequest | null;
  /** The "New messages" divider goes before this entry (frozen at open). */
  unreadSeq: number | null;
  highlight: { seq: number; nonce: number } | null;
  atBottom: boolean;
  /** Entries from others that arrived while not following the bottom ("3 new"). */
  newBelow: number;
}

/** What the store reads of the conversation list. */
export interface ConversationSource {
  get(conversationId: string): LocalConversation | undefined;
}

export interface TimelineOptions {
  myUserId?: string | null;
  timers?: Timers;
}

type Change = { kind: 'changed'; messages: readonly LocalMessage[]; origin: string } | { kind: 'deleted'; clientId: string };

/**
 * One open conversation's timeline: which pages are loaded, live changes merged in (each
 * entry exactly once), the unread divider, jumps, and read marking. The view (timeline.tsx)
 * renders `messages` with react-virtuoso and reports scrolling back through the setters.
 */
export class TimelineStore extends Store<TimelineState> {
  private readonly disposers: Array<() => void> = [];
  private readonly timers: Timers;
  private readonly myUserId: string | null;
  /** Bumped by every window replacement; loads started under an older one are dropped. */
  private generation = 0;
  /** Changes that arrive while the window is being replaced, applied to the new one. */
  private queued: Change[] | null = [];
  private nonce = 0;
  private opened: Promise<void> | null = null;
  private disposed = false;
  /** Highest seq already counted (or seen) for the "n new" badge. */
  private countedSeq = 0;
  private range: { start: number; end: number } | null = null;
  private documentActive = false;
  private markTimer: unknown = null;
  private markedSeq = 0;
  private highlightTimer: unknown = null;

  constructor(
    private readonly courier: Courier,
    readonly conversationId: string,
    private readonly conversations: ConversationSource,
    o: TimelineOptions = {},
  ) {
    super({
      status: 'loading',
      error: null,
      messages: [],
      hasOlder: false,
      loadingOlder: false,
      olderFailed: false,
      detached: false,
      loadingNewer: false,
      firstItemIndex: FIRST_INDEX,
      epoch: 0,
      initial: { kind: 'bottom' },
      scrollRequest: null,
      unreadSeq: null,
      highlight: null,
      atBottom: false,
      newBelow: 0,
    });
    this.timers = o.timers ?? realTimers;
    this.myUserId = o.myUserId ?? null;
    this.disposers.push(
      courier.on('messages.changed', (e) => {
        if (e.conversationId === conversationId) this.receive({ kind: 'changed', messages: e.messages, origin: e.origin });
      }),
      courier.on('message.deleted', (e) => {
        if (e.conversationId === conversationId) this.receive({ kind: 'deleted', clientId: e.clientId });
      }),
    );
  }

  // ---- loading ---------------------------------------------------------------------------

  /**
   * Loads the first window: at the target of a jump when given, else back to the first
   * unread entry (with the divider before it), else the newest page.
   */
  open(jumpToSeq?: number): Promise<void> {
    this.opened = this.load(jumpToSeq);
    return this.opened;
  }

  private async load(jumpToSeq?: number): Promise<void> {
    const gen = this.beginReplace();
    this.update({ status: 'loading', error: null });
    try {
      if (jumpToSeq !== undefined) {
        await this.loadAround(gen, jumpToSeq);
        return;
      }
      const conversation = this.conversations.get(this.conversationId);
      const firstUnread = conversation !== undefined && conversation.unread > 0 ? conversation.readSeq + 1 : null;
      let page = await this.page({ limit: firstUnread === null ? PAGE_SIZE : WIDE_PAGE });
      if (gen !== this.generation) return;
      let messages = page.messages;
      let hasOlder = page.hasMore;
      if (firstUnread !== null) {
        for (let pages = 1; hasOlder && (oldestSeq(messages) ?? 0) > firstUnread && pages < MAX_UNREAD_PAGES; pages++) {
          page = await this.page({ beforeSeq: oldestSeq(messages) ?? 1, limit: WIDE_PAGE });
          if (gen !== this.generation) return;
          const oldest = oldestSeq(messages) ?? Number.MAX_SAFE_INTEGER;
          messages = [...page.messages.filter((m) => m.seq !== null && m.seq < oldest), ...messages];
          hasOlder = page.hasMore;
        }
        if (hasOlder && (oldestSeq(messages) ?? 0) > firstUnread) {
          // Too far back to walk to: show it detached, as a jump would.
          await this.loadAround(gen, firstUnread, { unread: true });
          return;
        }
      }
      const unreadSeq = firstUnread === null ? null : this.firstFromOthers(messages, firstUnread);
      this.replace(gen, {
        messages,
        hasOlder,
        detached: false,
        unreadSeq,
        initial: unreadSeq === null ? { kind: 'bottom' } : { kind: 'seq', seq: unreadSeq, align: 'start' },
      });
    } catch (error) {
      if (gen !== this.generation) return;
      this.queued = null;
      this.update({ status: 'error', error: errorMessage(error) });
    }
  }

  /** A window around `seq`, detached from the live end unless it reaches it. */
  private async loadAround(gen: number, seq: number, o: { unread?: boolean } = {}): Promise<void> {
    const page = await this.courier.call('messages.around', { conversationId: this.conversationId, seq, limit: WIDE_PAGE });
    if (gen !== this.generation) return;
    const messages = page.messages.filter((m) => m.seq !== null);
    const target = messages.find((m) => m.seq !== null && m.seq >= seq)?.seq ?? seq;
    const unreadSeq = o.unread === true ? this.firstFromOthers(messages, seq) : this.current.unreadSeq;
    this.replace(gen, {
      messages,
      hasOlder: page.hasMore,
      detached: true,
      unreadSeq,
      initial: { kind: 'seq', seq: target, align: o.unread === true ? 'start' : 'center' },
    });
    if (o.unread !== true) this.setHighlight(target);
    // The window already holds the newest entry: join it to the live end (and the outbox).
    if (this.reachesNewest()) await this.attach(gen).catch(() => undefined);
  }

  /** Scrolled to the top: the page before the oldest loaded entry. */
  async loadOlder(): Promise<void> {
    const s = this.current;
    if (s.status !== 'ready' || !s.hasOlder || s.loadingOlder) return;
    const beforeSeq = oldestSeq(s.messages);
    if (beforeSeq === null) return;
    const gen = this.generation;
    this.update({ loadingOlder: true, olderFailed: false });
    try {
      const page = await this.page({ beforeSeq, limit: PAGE_SIZE });
      if (gen !== this.generation) return;
      const now = this.current;
      const oldest = oldestSeq(now.messages) ?? Number.MAX_SAFE_INTEGER;
      const older = page.messages.filter((m) => m.seq !== null && m.seq < oldest);
      if (older.length === 0) {
        // Offline with nothing older stored (hasMore) — or truly the start.
        this.update(page.hasMore ? { loadingOlder: false, olderFailed: true } : { loadingOlder: false, hasOlder: false, firstItemIndex: now.firstItemIndex - (now.messages.length > 0 ? 1 : 0) });
        return;
      }
      const messages = [...older, ...now.messages];
      const added = visibleCount(messages, page.hasMore) - visibleCount(now.messages, now.hasOlder);
      this.update({ messages, hasOlder: page.hasMore, loadingOlder: false, firstItemIndex: now.firstItemIndex - added });
      if (page.hasMore && visibleCount(messages, true) === 0) await this.loadOlder();
    } catch {
      if (gen === this.generation) this.update({ loadingOlder: false, olderFailed: true });
    }
  }

  /** Detached and scrolled to the bottom: the entries after the newest loaded one. */
  async loadNewer(): Promise<void> {
    const s = this.current;
    if (s.status !== 'ready' || !s.detached || s.loadingNewer) return;
    const gen = this.generation;
    const newest = newestSeq(s.messages) ?? 0;
    this.update({ loadingNewer: true });
    try {
      const page = await this.courier.call('messages.around', { conversationId: this.conversationId, seq: newest, limit: WIDE_PAGE });
      if (gen !== this.generation) return;
      const top = newestSeq(this.current.messages) ?? 0;
      const fresh = page.messages.filter((m) => m.seq !== null && m.seq > top);
      if (fresh.length > 0) this.update({ messages: [...this.current.messages, ...fresh] });
      if (fresh.length === 0 || this.reachesNewest()) await this.attach(gen, fresh.length === 0);
    } catch {
      // Scrolling to the bottom again retries.
    } finally {
      if (gen === this.generation) this.update({ loadingNewer: false });
    }
  }

  /**
   * Joins a detached window to the live end: the newest page (with the outbox) is merged
   * when it continues the window; otherwise, if nothing newer is stored, the window is
   * replaced by it.
   */
  private async attach(gen: number, stuck = false): Promise<void> {
    const page = await this.page({ limit: WIDE_PAGE });
    if (gen !== this.generation) return;
    const now = this.current;
    const top = newestSeq(now.messages) ?? 0;
    const pageOldest = oldestSeq(page.messages);
    if (pageOldest !== null && pageOldest > top + 1) {
      if (stuck) await this.latest();
      return;
    }
    const tail = page.messages.filter((m) => m.seq === null || m.seq > top);
    const stored = now.messages.slice(0, storedLength(now.messages));
    this.update({ messages: [...stored, ...tail], detached: false });
  }

  private reachesNewest(): boolean {
    const lastSeq = this.conversations.get(this.conversationId)?.lastSeq ?? 0;
    return (newestSeq(this.current.messages) ?? 0) >= lastSeq;
  }

  /** Scrolls to `seq` (a search result), loading a window around it when it is not loaded. */
  async jumpTo(seq: number): Promise<void> {
    if (this.opened) await this.opened.catch(() => undefined);
    if (this.disposed) return;
    const s = this.current;
    const index = s.messages.findIndex((m) => m.seq === seq);
    const hidden = s.hasOlder && index === 0;
    if (s.status === 'ready' && index !== -1 && !hidden) {
      this.update({ scrollRequest: { kind: 'seq', seq, nonce: ++this.nonce } });
      this.setHighlight(seq);
      return;
    }
    const gen = this.beginReplace();
    this.update({ status: 'loading', error: null });
    try {
      await this.loadAround(gen, seq);
    } catch (error) {
      if (gen !== this.generation) return;
      this.queued = null;
      this.update({ status: 'error', error: errorMessage(error) });
    }
  }

  /** "Jump to latest": to the bottom, reloading the newest page when detached. */
  async jumpToLatest(): Promise<void> {
    if (!this.current.detached && this.current.status === 'ready') {
      this.update({ scrollRequest: { kind: 'bottom', nonce: ++this.nonce }, newBelow: 0 });
      return;
    }
    await this.latest();
  }

  private async latest(): Promise<void> {
    const gen = this.beginReplace();
    try {
      const page = await this.page({ limit: PAGE_SIZE });
      if (gen !== this.generation) return;
      this.replace(gen, { messages: page.messages, hasOlder: page.hasMore, detached: false, unreadSeq: this.current.unreadSeq, initial: { kind: 'bottom' } });
      this.update({ newBelow: 0 });
    } catch (error) {
      if (gen !== this.generation) return;
      this.queued = null;
      this.update({ status: 'error', error: errorMessage(error) });
    }
  }

  private page(o: { beforeSeq?: number; limit: number }): Promise<MessagePage> {
    return this.courier.call('messages.page', { conversationId: this.conversationId, ...o });
  }

  private beginReplace(): number {
    this.queued ??= [];
    return ++this.generation;
  }

  private replace(
    gen: number,
    o: { messages: readonly LocalMessage[]; hasOlder: boolean; detached: boolean; unreadSeq: number | null; initial: InitialPosition },
  ): void {
    if (gen !== this.generation || this.disposed) return;
    this.countedSeq = Math.max(this.countedSeq, newestSeq(o.messages) ?? 0);
    this.update({
      status: 'ready',
      error: null,
      messages: o.messages,
      hasOlder: o.hasOlder,
      detached: o.detached,
      unreadSeq: o.unreadSeq,
      initial: o.initial,
      loadingOlder: false,
      olderFailed: false,
      loadingNewer: false,
      firstItemIndex: FIRST_INDEX,
      epoch: this.current.epoch + 1,
      scrollRequest: null,
    });
    const queued = this.queued ?? [];
    this.queued = null;
    for (const change of queued) this.apply(change);
  }

  private firstFromOthers(messages: readonly LocalMessage[], fromSeq: number): number | null {
    return messages.find((m) => m.seq !== null && m.seq >= fromSeq && m.senderId !== this.myUserId)?.seq ?? null;
  }

  // ---- live changes ----------------------------------------------------------------------

  private receive(change: Change): void {
    if (this.disposed) return;
    if (this.queued !== null) this.queued.push(change);
    else this.apply(change);
  }

  private apply(change: Change): void {
    const s = this.current;
    if (change.kind === 'deleted') {
      const messages = s.messages.filter((m) => m.clientId !== change.clientId);
      if (messages.length !== s.messages.length) this.update({ messages });
      return;
    }
    let messages = s.messages as LocalMessage[];
    let copied = false;
    const writable = (): LocalMessage[] => {
      if (!copied) messages = [...messages];
      copied = true;
      return messages;
    };
    let newFromOthers = 0;
    let ownSend = false;
    for (const m of change.messages) {
      const index = messages.findIndex((x) => sameEntry(x, m));
      if (index !== -1) {
        const old = messages[index];
        if (old === m) continue;
        const list = writable();
        if (old?.seq === m.seq) {
          list[index] = m;
          continue;
        }
        list.splice(index, 1);
        insertEntry(list, m);
        continue;
      }
      if (m.seq === null) {
        if (m.senderId === this.myUserId && change.origin === 'local') ownSend = true;
        if (s.detached) continue;
        writable().push(m);
        continue;
      }
      const isNew = m.seq > this.countedSeq;
      if (isNew) this.countedSeq = m.seq;
      const oldest = oldestSeq(messages);
      const newest = newestSeq(messages) ?? 0;
      // Older than the window: it belongs to a page not loaded yet (its own page brings it).
      if (oldest !== null && m.seq < oldest) continue;
      if (oldest === null && s.hasOlder) continue;
      if (isNew && m.senderId !== this.myUserId) newFromOthers++;
      // Detached: a gap may lie between the window and the live end; scrolling down fills it.
      if (s.detached && m.seq > newest) continue;
      insertEntry(writable(), m);
    }
    const patch: Partial<TimelineState> = {};
    if (copied) patch.messages = messages;
    if (newFromOthers > 0 && (!s.atBottom || s.detached)) patch.newBelow = s.newBelow + newFromOthers;
    if (ownSend && !s.detached) patch.scrollRequest = { kind: 'bottom', nonce: ++this.nonce };
    if (Object.keys(patch).length > 0) this.update(patch);
    // Own sends always show the bottom, where the new message is.
    if (ownSend && s.detached) void this.latest();
  }

  // ---- what the view reports -------------------------------------------------------------

  setAtBottom(atBottom: boolean): void {
    if (atBottom === this.current.atBottom) return;
    this.update(atBottom && !this.current.detached ? { atBottom, newBelow: 0 } : { atBottom });
  }

  /** The rendered rows (indices into the visible entries, as the view shows them). */
  setVisibleRange(start: number, end: number): void {
    this.range = { start, end };
    this.scheduleMarkRead();
  }

  /** Whether the window is visible and focused (only then is anything marked read). */
  setDocumentActive(active: boolean): void {
    this.documentActive = active;
    this.scheduleMarkRead();
  }

  consumeScrollRequest(nonce: number): void {
    if (this.current.scrollRequest?.nonce === nonce) this.update({ scrollRequest: null });
  }

  retry(clientId: string): Promise<unknown> {
    return this.courier.call('message.retry', { conversationId: this.conversationId, clientId });
  }

  delete(clientId: string): Promise<unknown> {
    return this.courier.call('message.delete', { conversationId: this.conversationId, clientId });
  }

  // ---- read marking ----------------------------------------------------------------------

  /** The highest seq on screen, when the newest loaded entries are on screen; else null. */
  private readableSeq(): number | null {
    const s = this.current;
    if (this.range === null || s.status !== 'ready') return null;
    const offset = s.messages.length - visibleCount(s.messages, s.hasOlder);
    const last = s.messages.length - 1 - offset;
    if (this.range.end < last) return null;
    let best: number | null = null;
    for (let i = Math.max(0, this.range.start); i <= Math.min(this.range.end, last); i++) {
      const seq = s.messages[i + offset]?.seq ?? null;
      if (seq !== null && (best === null || seq > best)) best = seq;
    }
    return best;
  }

  private wantsMark(): number | null {
    if (!this.documentActive || this.disposed) return null;
    const seq = this.readableSeq();
    if (seq === null) return null;
    const readSeq = this.conversations.get(this.conversationId)?.readSeq ?? 0;
    return seq > readSeq && seq > this.markedSeq ? seq : null;
  }

  private scheduleMarkRead(): void {
    if (this.wantsMark() === null || this.markTimer !== null) return;
    this.markTimer = this.timers.setTimeout(() => {
      this.markTimer = null;
      const seq = this.wantsMark();
      if (seq === null) return;
      this.markedSeq = seq;
      void this.courier.call('conversation.markRead', { conversationId: this.conversationId, seq }).catch(() => {
        this.markedSeq = 0;
      });
    }, MARK_READ_DELAY_MS);
  }

  private setHighlight(seq: number): void {
    if (this.highlightTimer !== null) this.timers.clearTimeout(this.highlightTimer);
    const nonce = ++this.nonce;
    this.update({ highlight: { seq, nonce } });
    this.highlightTimer = this.timers.setTimeout(() => {
      this.highlightTimer = null;
      if (this.current.highlight?.nonce === nonce) this.update({ highlight: null });
    }, HIGHLIGHT_MS);
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    for (const dispose of this.disposers.splice(0)) dispose();
    if (this.markTimer !== null) this.timers.clearTimeout(this.markTimer);
    if (this.highlightTimer !== null) this.timers.clearTimeout(this.highlightTimer);
    this.markTimer = null;
    this.highlightTimer = null;
  }
}
