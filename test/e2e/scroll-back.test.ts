import { describe, expect, it } from 'vitest';
import { PASSWORD } from '../helpers/child-courier';
import { startTestServer } from '../helpers/server';
import { e2eSession } from './session';
import { openConversation, renderedSeqs, timeline, waitForMainWindow } from './driver';

/**
 * 2,000 messages, of which a new device has only the latest few hundred: scrolling up
 * pages through the local store and then the server, in order, without the view jumping.
 */

const COUNT = 2000;
const e2e = e2eSession(() => startTestServer({ rateMessagesPerSec: 100_000, rateFramesPerSec: 100_000 }));

interface ScrollReport {
  seen: number[];
  outOfOrder: string[];
  jumps: string[];
  steps: number;
  reachedStart: boolean;
}

describe('scroll-back', () => {
  it('loads older pages in order, without jumps, down to the first message', async () => {
    const aliceAuth = await e2e.server.http.register({ username: 'alice', password: PASSWORD, displayName: 'Alice', deviceName: 'laptop' });
    const bob = await e2e.server.user('bob');
    const socket = await bob.connect();
    const { conversation } = await socket.request('conversation.openDirect', { userId: aliceAuth.user.id });
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 1; i <= COUNT; i++) {
      const p = socket.send(conversation.id, `message number ${i}`).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= 100) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const lastSeq = COUNT + 1; // seq 1 is the conversation's "created" entry

    // A new device: catch-up brings the latest 200 (the engine's backlog); the 1,800 before
    // them come from the server as the user scrolls, after the local pages run out.
    const alice = await e2e.user('alice');
    await alice.call('session.signIn', { serverUrl: e2e.server.url, username: 'alice', password: PASSWORD });
    await waitForMainWindow(alice.page);
    // Read up to the end on another device, so the timeline opens at the bottom.
    await expect.poll(async () => (await alice.call('conversations.list', null))[0]?.lastSeq).toBe(lastSeq);
    await alice.call('conversation.markRead', { conversationId: conversation.id, seq: lastSeq });
    await openConversation(alice.page, 'bob');
    await expect.poll(async () => (await renderedSeqs(alice.page)).at(-1)).toBe(lastSeq);
    await timeline(alice.page).waitFor();

    const report: ScrollReport = await alice.page.evaluate(async (maxSteps) => {
      type El = { getAttribute(n: string): string | null; getBoundingClientRect(): { top: number; bottom: number }; scrollTop: number; clientHeight: number };
      const doc = (globalThis as unknown as { document: { querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El> } }).document;
      const frame = () => new Promise((r) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => r(null)));
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const scroller = doc.querySelector('[data-virtuoso-scroller]');
      if (!scroller) throw new Error('no virtuoso scroller');
      const rows = () => Array.from(doc.querySelectorAll('[role="log"] [data-seq]'));
      // Start once the opening scroll has settled (the timeline holds its own scrolling for a
      // moment after it opens; a user's scroll in that moment is not what is measured here).
      for (let last = -1, stable = 0; stable < 20; ) {
        await frame();
        if (scroller.scrollTop === last) stable++;
        else [last, stable] = [scroller.scrollTop, 0];
      }
      await sleep(500);
      const seen = new Set<number>();
      const outOfOrder: string[] = [];
      const jumps: string[] = [];
      let steps = 0;
      for (; steps < maxSteps; steps++) {
        const current = rows();
        const seqs = current.map((r) => Number(r.getAttribute('data-seq')));
        seqs.forEach((s) => seen.add(s));
        for (let i = 1; i < seqs.length; i++) if (seqs[i] !== (seqs[i - 1] ?? 0) + 1) outOfOrder.push(`step ${steps}: ${seqs[i - 1]} then ${seqs[i]}`);
        if (seen.has(1)) break;
        // Anchor: the first row; after scrolling up by `delta` it must sit exactly `delta` lower.
        const anchor = current[0];
        if (!anchor) throw new Error('no rows rendered');
        const anchorSeq = anchor.getAttribute('data-seq');
        const before = anchor.getBoundingClientRect().top;
        const delta = Math.min(400, scroller.scrollTop);
        scroller.scrollTop -= delta;
        await frame();
        await sleep(40);
        await frame();
        const after = doc.querySelector(`[role="log"] [data-seq="${anchorSeq}"]`);
        if (after && delta > 0) {
          const moved = after.getBoundingClientRect().top - before;
          if (Math.abs(moved - delta) > 2) jumps.push(`step ${steps}: seq ${anchorSeq} moved ${moved.toFixed(1)}px for a ${delta}px scroll`);
        }
        // Older pages arrive asynchronously: at the top, wait for them instead of spinning.
        if (scroller.scrollTop === 0) await sleep(150);
      }
      return { seen: [...seen].sort((a, b) => a - b), outOfOrder, jumps, steps, reachedStart: seen.has(1) };
    }, 2000);

    expect(report.outOfOrder).toEqual([]);
    expect(report.jumps).toEqual([]);
    expect(report.reachedStart).toBe(true);
    expect(report.seen).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    expect(alice.pageErrors).toEqual([]);
    await socket.close();
  }, 120_000);
});
