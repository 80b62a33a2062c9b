/**
 * The layout APIs a real browser has and jsdom does not, for every component test
 * (`// @vitest-environment jsdom`). Product code calls them unguarded, as it may in
 * Chromium; only this file knows that jsdom lacks them. jsdom computes no layout, so
 * they move the stored scroll offsets and report no sizes, which is what jsdom already
 * does for everything else (every box is 0×0).
 *
 * Before this file, react-virtuoso's scroll correction called `scrollBy` whenever a
 * measurement landed late (under CPU load) and threw an unhandled TypeError.
 */
function installLayoutApis(win: Window & typeof globalThis): void {
  const proto = win.Element.prototype;

  const scrollToOptions = (el: Element, a: ScrollToOptions | number | undefined, b?: number): { top: number; left: number } =>
    typeof a === 'number' ? { left: a, top: b ?? el.scrollTop } : { left: a?.left ?? el.scrollLeft, top: a?.top ?? el.scrollTop };

  // A browser fires `scroll` once the position changed, after the call returns.
  const moveTo = (el: Element, to: { top: number; left: number }): void => {
    if (to.top === el.scrollTop && to.left === el.scrollLeft) return;
    el.scrollTop = to.top;
    el.scrollLeft = to.left;
    win.setTimeout(() => el.dispatchEvent(new win.Event('scroll')), 0);
  };

  proto.scrollTo ??= function scrollTo(this: Element, a?: ScrollToOptions | number, b?: number) {
    moveTo(this, scrollToOptions(this, a, b));
  } as Element['scrollTo'];
  proto.scroll ??= proto.scrollTo;
  proto.scrollBy ??= function scrollBy(this: Element, a?: ScrollToOptions | number, b?: number) {
    const by = typeof a === 'number' ? { left: a, top: b ?? 0 } : { left: a?.left ?? 0, top: a?.top ?? 0 };
    moveTo(this, { top: this.scrollTop + by.top, left: this.scrollLeft + by.left });
  } as Element['scrollBy'];
  proto.scrollIntoView ??= function scrollIntoView() {
    // Nothing has a position without layout: there is nowhere to scroll to.
  };

  // Sizes never change without layout, so an observer has nothing to report.
  win.ResizeObserver ??= class ResizeObserver {
    constructor(_callback: ResizeObserverCallback) {}
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}

if (typeof window !== 'undefined') installLayoutApis(window);
