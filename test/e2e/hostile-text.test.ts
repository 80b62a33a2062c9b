import { describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server';
import { screenshot } from './harness/harness';
import { e2eSession } from './session';
import { messageRows, openConversation, registerDirect } from './driver';

/**
 * Message text is text. Other people's bodies try to run code, smuggle links and break the
 * layout; none of it may work. The page keeps the shipped CSP, so this also checks that
 * nothing even tried (an attempt would show up as a CSP violation).
 */

const HOSTILE = [
  '<img src=x onerror="globalThis.__pwned=1">',
  '<script>globalThis.__pwned=2</script>',
  '[click me](javascript:globalThis.__pwned=3)',
  'javascript:globalThis.__pwned=4',
  'JaVaScRiPt:globalThis.__pwned=5 and data:text/html,<b>x</b>',
  '<a href="javascript:globalThis.__pwned=6">link</a> **bold** <b>html</b>',
  'see https://example.com/docs?q=1&r=2) and www.example.org.',
  '\u202Egnp.exe\u202C is not a picture; \u2067rtl\u2069 isolate',
  `${'W'.repeat(10_000)}`,
];

const e2e = e2eSession(() => startTestServer());

describe('hostile message bodies', () => {
  it('render as text, run nothing, open only http(s) links through main, and keep the layout', async () => {
    const alice = await e2e.user('alice');
    await registerDirect(alice, e2e.server.url, 'alice', 'Alice');
    const dialogs: string[] = [];
    alice.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const violations: string[] = [];
    alice.page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });

    const mallory = await e2e.server.user('mallory');
    const socket = await mallory.connect();
    const aliceId = (await alice.call('session.get', null)).account!.userId;
    const { conversation } = await socket.request('conversation.openDirect', { userId: aliceId });
    for (const body of HOSTILE) await socket.send(conversation.id, body);
    // All of them on Alice's device first (seq 1 is the "created" entry), so the timeline opens on the lot.
    await expect.poll(async () => (await alice.call('conversations.list', null))[0]?.lastSeq, { timeout: 10_000 }).toBe(HOSTILE.length + 1);
    // Mallory is new to Alice: this is a request, which shows its messages before any answer.
    await openConversation(alice.page, 'mallory');
    await expect.poll(() => messageRows(alice.page).count()).toBeGreaterThanOrEqual(HOSTILE.length);
    await alice.page.waitForTimeout(300);

    const page = await alice.page.evaluate(() => {
      const g = globalThis as unknown as {
        __pwned?: number;
        document: { querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> };
      };
      const log = '[role="log"]';
      return {
        pwned: g.__pwned ?? null,
        images: g.document.querySelectorAll(`${log} img`).length,
        scripts: g.document.querySelectorAll(`${log} script`).length,
        bold: g.document.querySelectorAll(`${log} b, ${log} strong`).length,
        hrefs: Array.from(g.document.querySelectorAll(`${log} a`)).map((a) => a.getAttribute('href')),
      };
    });
    expect(page.pwned).toBeNull();
    expect(page.images).toBe(0);
    expect(page.scripts).toBe(0);
    expect(page.bold).toBe(0);
    expect(page.hrefs).toEqual(['https://example.com/docs?q=1&r=2', 'https://www.example.org/']);
    expect(dialogs).toEqual([]);
    expect(violations).toEqual([]);
    // The tags are shown as the text they are.
    expect(await messageRows(alice.page, '<img src=x onerror=').count()).toBe(1);

    // A link opens in the system browser through main, and the page stays where it is.
    const before = alice.page.url();
    await alice.page.getByRole('link', { name: 'https://example.com/docs?q=1&r=2' }).click();
    await expect.poll(() => alice.openedLinks).toEqual(['https://example.com/docs?q=1&r=2']);
    expect(alice.page.url()).toBe(before);

    // Layout holds: nothing is wider than the timeline, and the RTL override stays inside its bubble.
    const layout = await alice.page.evaluate(() => {
      type El = { scrollWidth: number; clientWidth: number; getBoundingClientRect(): { left: number; right: number }; textContent: string | null };
      const doc = (globalThis as unknown as { document: { querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El> } }).document;
      const scroller = doc.querySelector('[data-virtuoso-scroller]');
      if (!scroller) throw new Error('no scroller');
      const box = scroller.getBoundingClientRect();
      const rows = Array.from(doc.querySelectorAll('[role="log"] [data-seq]'));
      const outside = rows.filter((r) => {
        const b = r.getBoundingClientRect();
        return b.left < box.left - 1 || b.right > box.right + 1;
      }).length;
      return { overflow: scroller.scrollWidth - scroller.clientWidth, outside };
    });
    expect(layout.overflow).toBeLessThanOrEqual(0);
    expect(layout.outside).toBe(0);
    const bidi = await messageRows(alice.page, 'is not a picture').locator('[dir="auto"]').first().evaluate((el) => {
      const style = (globalThis as unknown as { getComputedStyle(e: unknown): { unicodeBidi: string } }).getComputedStyle(el);
      return style.unicodeBidi;
    });
    expect(bidi).toMatch(/isolate|plaintext/);
    await screenshot(alice.page, 'hostile-text');
    expect(alice.pageErrors).toEqual([]);
    await socket.close();
  }, 60_000);
});
