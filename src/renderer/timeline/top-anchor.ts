/**
 * Keeps what is on screen still when rows above it turn out taller or shorter than
 * Virtuoso estimated.
 *
 * Virtuoso compensates for such rows while the user scrolls up, but not always: never once
 * the list's very first row is rendered (it treats that as "at the top", and at the start
 * of a conversation that row carries the day separator and the first group's header, so it
 * is always taller than estimated), nor right after prepending a page. This does what the
 * browser's scroll anchoring would (Virtuoso turns that off): it remembers where the first
 * visible row is on screen and, when a resize moves it, scrolls by the same amount before
 * the frame is painted. Where Virtuoso did compensate, the row has not moved and nothing
 * happens. At the bottom it stays out of the way (the view follows the newest row there).
 *
 * `enabled` says whether to act now (not while Virtuoso is still placing a new window or
 * performing a scroll we asked for). Returns the function that stops it.
 */
/** Closer than this to the bottom counts as following the bottom. */
const BOTTOM_SLACK = 8;

export function anchorTopRows(scroller: HTMLElement, enabled: () => boolean): () => void {
  let anchor: { row: Element; top: number; atBottom: boolean } | null = null;

  const viewportTop = (row: Element): number => row.getBoundingClientRect().top - scroller.getBoundingClientRect().top;

  const firstVisibleRow = (): Element | null => {
    const top = scroller.getBoundingClientRect().top;
    for (const row of scroller.querySelectorAll('[data-index]')) if (row.getBoundingClientRect().bottom > top) return row;
    return null;
  };

  const record = (): void => {
    const row = firstVisibleRow();
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < BOTTOM_SLACK;
    anchor = row === null ? null : { row, top: viewportTop(row), atBottom };
  };

  const onResize = (): void => {
    // At the bottom the view follows the newest row instead (Virtuoso's followOutput).
    if (enabled() && anchor !== null && !anchor.atBottom && anchor.row.isConnected) {
      const moved = viewportTop(anchor.row) - anchor.top;
      if (Math.abs(moved) >= 1) scroller.scrollTop += moved;
    }
    record();
  };
  const resizes = new ResizeObserver(onResize);
  const observeList = (): void => {
    const list = scroller.querySelector('[data-testid="virtuoso-item-list"]');
    if (list !== null) resizes.observe(list);
  };
  observeList();
  // Virtuoso may replace its list element; follow it.
  const mutations = new MutationObserver(() => {
    resizes.disconnect();
    observeList();
  });
  mutations.observe(scroller, { childList: true });
  // Capture phase on the document: this runs before Virtuoso's own scroll listener, which
  // re-renders synchronously; the anchor must be taken from the layout before that.
  const doc = scroller.ownerDocument;
  const onScroll = (event: Event): void => {
    if (event.target === scroller) record();
  };
  doc.addEventListener('scroll', onScroll, { capture: true, passive: true });
  record();
  return () => {
    resizes.disconnect();
    mutations.disconnect();
    doc.removeEventListener('scroll', onScroll, { capture: true });
  };
}
