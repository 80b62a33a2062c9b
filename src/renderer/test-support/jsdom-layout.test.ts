// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';

/** What jsdom-layout.ts (a vitest setup file) promises every component test (jsdom alone has none of it). */
describe('jsdom layout APIs', () => {
  it('scrollBy and scrollTo move the stored offsets and fire scroll afterwards, as a browser does', async () => {
    const el = document.createElement('div');
    document.body.append(el);
    const scrolled = new Promise<number>((resolve) => el.addEventListener('scroll', () => resolve(el.scrollTop), { once: true }));
    el.scrollBy({ top: 30 });
    el.scrollBy(0, 12);
    expect(el.scrollTop).toBe(42);
    expect(await scrolled).toBe(42);
    el.scrollTo({ top: 5 });
    expect(el.scrollTop).toBe(5);
    el.scrollTo(0, 9);
    expect(el.scrollTop).toBe(9);
    el.remove();
  });

  it('has scrollIntoView and a ResizeObserver that has nothing to report', () => {
    const el = document.createElement('div');
    expect(() => el.scrollIntoView({ block: 'nearest' })).not.toThrow();
    const observer = new ResizeObserver(() => {
      throw new Error('no layout, no resize');
    });
    observer.observe(el);
    observer.disconnect();
  });
});
