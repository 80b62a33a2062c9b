import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { Virtuoso, type IndexLocationWithAlign, type ListRange, type VirtuosoHandle } from 'react-virtuoso';
import { systemText } from '../format/names';
import { dayLabel } from '../format/time';
import { useApp, useNow } from '../state/app-context';
import { useStore, useStoreValue } from '../state/use-store';
import { Icon } from '../ui/icons';
import { MessageRow } from './message-row';
import { buildRows, ownState, type TimelineRow } from './rows';
import { TimelineStore, type TimelineState } from './timeline-store';
import { anchorTopRows } from './top-anchor';
import './timeline.css';

/**
 * The open conversation's messages, virtualised: only the loaded pages are held, older
 * pages load when scrolled to the top, and a search result can be jumped to. Keyed by
 * conversation id by its parent; fills the height it is given.
 */
export function Timeline({ conversationId }: { conversationId: string }): ReactElement {
  const app = useApp();
  const [store, setStore] = useState<TimelineStore | null>(null);
  const handledJump = useRef<number | null>(null);

  useEffect(() => {
    const s = new TimelineStore(app.courier, conversationId, app.conversations, { myUserId: app.myUserId });
    const jump = app.ui.getSnapshot().jump;
    if (jump?.conversationId === conversationId) {
      handledJump.current = jump.nonce;
      void s.open(jump.seq).then(() => app.ui.clearJump(jump.nonce));
    } else {
      void s.open();
    }
    setStore(s);
    return () => s.dispose();
  }, [app, conversationId]);

  // Later jumps (another search result in this conversation).
  const ui = useStore(app.ui);
  useEffect(() => {
    const jump = ui.jump;
    if (store === null || jump?.conversationId !== conversationId || handledJump.current === jump.nonce) return;
    handledJump.current = jump.nonce;
    void store.jumpTo(jump.seq).then(() => app.ui.clearJump(jump.nonce));
  }, [app, conversationId, store, ui.jump]);

  if (store === null) return <div className="timeline" />;
  return <TimelineView store={store} />;
}

interface EdgeContext {
  state: TimelineState;
  loadOlder: () => void;
}

function TimelineView({ store }: { store: TimelineStore }): ReactElement {
  const app = useApp();
  const s = useStore(store);
  // Only this conversation: presence and typing elsewhere must not re-render the timeline.
  const conversation = useStoreValue(app.conversations, (c) => c.byId.get(store.conversationId));
  // Cached and stable while the members' names stay the same (read receipts do not change it).
  const names = useStoreValue(app.conversations, (c) => app.namesOf(c.byId.get(store.conversationId)));
  const myUserId = app.myUserId;
  const now = useNow(60_000);
  const virtuoso = useRef<VirtuosoHandle>(null);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const scrollerRef = useCallback((el: HTMLElement | Window | null) => setScroller(el instanceof HTMLElement ? el : null), []);

  const { ids: blocked } = useStore(app.blocks);
  const rows = useMemo(
    () => buildRows(s.messages, { myUserId, unreadSeq: s.unreadSeq, skipFirst: s.hasOlder, blocked }),
    [s.messages, s.hasOlder, s.unreadSeq, myUserId, blocked],
  );

  // Marking read needs the window to be seen: visible and focused.
  useEffect(() => {
    const update = () => store.setDocumentActive(document.visibilityState === 'visible' && document.hasFocus());
    update();
    window.addEventListener('focus', update);
    window.addEventListener('blur', update);
    document.addEventListener('visibilitychange', update);
    return () => {
      window.removeEventListener('focus', update);
      window.removeEventListener('blur', update);
      document.removeEventListener('visibilitychange', update);
    };
  }, [store]);

  // Where a fresh window (new epoch) starts: Virtuoso reads it once, when the list mounts,
  // so it is recomputed only for a new window (not for every row added).
  const initial = useMemo((): IndexLocationWithAlign => {
    if (s.initial.kind === 'bottom') return { index: 'LAST', align: 'end' };
    const { seq, align } = s.initial;
    const index = rows.findIndex((r) => r.message.seq === seq);
    return index === -1 ? { index: 'LAST', align: 'end' } : { index, align };
  }, [s.epoch, s.status]);

  const onRetry = useCallback((clientId: string) => void store.retry(clientId).catch(() => undefined), [store]);
  const onDelete = useCallback((clientId: string) => void store.delete(clientId).catch(() => undefined), [store]);
  const firstItemIndex = s.firstItemIndex;
  // Virtuoso settles the initial position of a new window over a few frames; a page
  // prepended meanwhile throws it off. Edge loads wait until it has settled.
  const settled = useRef(false);
  const lastRange = useRef<{ start: number; end: number } | null>(null);
  const rowCount = rows.length;
  const loadEdges = useCallback(() => {
    const r = lastRange.current;
    if (!settled.current || r === null) return;
    // Fetch ahead, while the edge is still off screen: rows that arrive above rows not yet
    // rendered cannot move anything on screen.
    if (r.start < PREFETCH_ROWS) void store.loadOlder();
    if (r.end >= rowCount - PREFETCH_ROWS) void store.loadNewer();
  }, [store, rowCount]);
  const onRange = useCallback(
    (r: ListRange) => {
      const start = r.startIndex - firstItemIndex;
      const end = r.endIndex - firstItemIndex;
      lastRange.current = { start, end };
      store.setVisibleRange(start, end);
      loadEdges();
    },
    [store, firstItemIndex, loadEdges],
  );
  useEffect(() => (scroller === null ? undefined : anchorTopRows(scroller, () => settled.current)), [scroller]);
  const loadEdgesRef = useRef(loadEdges);
  loadEdgesRef.current = loadEdges;
  // Edge loads and top anchoring pause while Virtuoso places a new window or performs a
  // scroll we asked for.
  const settleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // A window opened at an entry (the first unread, a search result) does not follow the
  // bottom until it has settled there by itself. Virtuoso pins a list that is at the bottom
  // when a row grows or the viewport shrinks, and its first estimate (every row small, so
  // everything fits) reads as "at the bottom": a tall row measured a moment later would pull
  // the view away from the entry it opened at (seen under CPU load).
  const [followingEpoch, setFollowingEpoch] = useState<number | null>(null);
  const follows = s.initial.kind === 'bottom' || followingEpoch === s.epoch;
  const settle = useCallback(() => {
    settled.current = false;
    clearTimeout(settleTimer.current);
    settleTimer.current = setTimeout(() => {
      settled.current = true;
      const now = store.getSnapshot();
      if (now.atBottom) setFollowingEpoch(now.epoch);
      loadEdgesRef.current();
    }, SETTLE_MS);
  }, [store]);
  useEffect(() => {
    settle();
    return () => clearTimeout(settleTimer.current);
  }, [s.epoch, settle]);
  // Scrolls the store asks for inside the current window (own send, jump to a loaded entry).
  useEffect(() => {
    const request = s.scrollRequest;
    if (request === null) return;
    store.consumeScrollRequest(request.nonce);
    const list = virtuoso.current;
    if (list === null || rows.length === 0) return;
    settle();
    if (request.kind === 'bottom') {
      list.scrollToIndex({ index: 'LAST', align: 'end' });
      return;
    }
    const index = rows.findIndex((r) => r.message.seq === request.seq);
    if (index !== -1) list.scrollToIndex({ index, align: 'center' });
  }, [s.scrollRequest, rows, store, settle]);

  const detached = s.detached;
  // Virtuoso asks on every count change, prepends included: only appends at the bottom
  // (while following it, attached to the live end) scroll.
  const followedFirst = useRef(firstItemIndex);
  const followOutput = useCallback(
    (atBottom: boolean) => {
      const prepended = followedFirst.current !== firstItemIndex;
      followedFirst.current = firstItemIndex;
      return atBottom && store.getSnapshot().atBottom && !prepended && !detached ? 'auto' : false;
    },
    [detached, firstItemIndex, store],
  );
  const context = useMemo((): EdgeContext => ({ state: s, loadOlder: () => void store.loadOlder() }), [s, store]);

  const highlightSeq = s.highlight?.seq ?? null;
  const itemContent = useCallback(
    (_: number, row: TimelineRow) => {
      const m = row.message;
      return (
        <MessageRow
          message={m}
          own={row.own}
          dayLabel={row.dayStart ? dayLabel(m.ts, now) : null}
          unreadStart={row.unreadStart}
          groupStart={row.groupStart}
          sender={names.of(m.senderId)}
          systemText={m.kind === 'system' && m.system !== null ? systemText(m.system, m.senderId, conversation?.kind, names) : null}
          status={ownState(m, conversation, myUserId)}
          highlighted={highlightSeq !== null && m.seq === highlightSeq}
          blocked={row.blocked}
          onRetry={onRetry}
          onDelete={onDelete}
        />
      );
    },
    [names, now, conversation, myUserId, highlightSeq, onRetry, onDelete],
  );

  if (s.status === 'error') {
    return (
      <div className="timeline timeline--centre">
        <p role="alert">Couldn’t load the messages: {s.error}</p>
        <button type="button" className="btn btn--secondary" onClick={() => void store.open()}>
          Try again
        </button>
      </div>
    );
  }
  if (s.status === 'loading' && s.epoch === 0) {
    return (
      <div className="timeline timeline--centre" aria-busy="true">
        <span className="timeline__spinner" aria-hidden="true" />
        <span className="visually-hidden">Loading messages</span>
      </div>
    );
  }
  const showJump = rows.length > 0 && (!s.atBottom || s.detached);
  return (
    // data-following: whether an entry arriving now scrolls into view (tests wait for it).
    <div className="timeline" aria-busy={s.status === 'loading'} data-following={follows}>
      <Virtuoso<TimelineRow, EdgeContext>
        key={s.epoch}
        ref={virtuoso}
        scrollerRef={scrollerRef}
        className="timeline__list"
        role="log"
        aria-label="Messages"
        aria-relevant="additions"
        data={rows}
        context={context}
        firstItemIndex={firstItemIndex}
        initialTopMostItemIndex={initial}
        computeItemKey={computeKey}
        itemContent={itemContent}
        alignToBottom
        // Rows above the viewport are rendered (and measured) ahead, while Virtuoso can still
        // compensate for their real height; nothing below, so the visible range stays exact
        // at the bottom, where read marking looks.
        increaseViewportBy={INCREASE_VIEWPORT}
        followOutput={follows ? followOutput : false}
        atBottomThreshold={48}
        atBottomStateChange={(atBottom) => {
          store.setAtBottom(atBottom);
          if (atBottom && settled.current) setFollowingEpoch(store.getSnapshot().epoch);
        }}
        startReached={() => settled.current && void store.loadOlder()}
        endReached={() => settled.current && void store.loadNewer()}
        rangeChanged={onRange}
        components={COMPONENTS}
      />
      {showJump && (
        <button type="button" className="timeline__jump" onClick={() => void store.jumpToLatest()}>
          <Icon name="arrowDown" size={16} />
          <span className="visually-hidden">Jump to latest</span>
          {s.newBelow > 0 && <span className="timeline__jump-count">{s.newBelow > 99 ? '99+' : s.newBelow} new</span>}
        </button>
      )}
    </div>
  );
}

const INCREASE_VIEWPORT = { top: 400, bottom: 0 };
/** How close (in rows) to a loaded edge the next page is fetched. */
const PREFETCH_ROWS = 40;
const SETTLE_MS = 400;

const computeKey = (_: number, row: TimelineRow): string => row.key;

/** The top edge: loading older, a retry, or the start of the conversation (same height each, so nothing shifts). */
function Header({ context }: { context: EdgeContext }): ReactElement {
  const s = context.state;
  if (s.loadingOlder) {
    return (
      <div className="timeline__edge" aria-busy="true">
        <span className="timeline__spinner" aria-hidden="true" />
        <span className="visually-hidden">Loading older messages</span>
      </div>
    );
  }
  if (s.olderFailed) {
    return (
      <div className="timeline__edge">
        <button type="button" className="btn btn--secondary timeline__edge-button" onClick={context.loadOlder}>
          Load older messages
        </button>
      </div>
    );
  }
  if (!s.hasOlder) return <div className="timeline__edge timeline__edge--start">This is the beginning of the conversation</div>;
  return <div className="timeline__edge" />;
}

/** The bottom edge: loading newer entries of a detached window, else breathing room. */
function Footer({ context }: { context: EdgeContext }): ReactElement {
  if (context.state.loadingNewer) {
    return (
      <div className="timeline__edge" aria-busy="true">
        <span className="timeline__spinner" aria-hidden="true" />
        <span className="visually-hidden">Loading newer messages</span>
      </div>
    );
  }
  return <div className="timeline__bottom" />;
}

function EmptyPlaceholder(): ReactElement {
  return <p className="timeline__empty">No messages yet. Say hello!</p>;
}

const COMPONENTS = { Header, Footer, EmptyPlaceholder };
