// npm run bench:renderer — the renderer in headless Chromium through the E2E harness, with
// the real engine and a real server: time to show a conversation of 100,000 messages,
// frames and long tasks while scrolling it, and JS heap after opening 50 conversations.
import { CourierSocket } from '../../src/client';
import { percentile } from '../stats';
import { PASSWORD, startRestartableServer } from '../../test/helpers/child-courier';
import { launchBrowser, startUser } from '../../test/e2e/harness/harness';
import { openConversation, renderedSeqs, sidebarItem, waitForMainWindow } from '../../test/e2e/driver';

const MESSAGES = Number(process.argv[process.argv.indexOf('--messages') + 1]) || 100_000;
const CONVERSATIONS = 50;

type PageGlobal = Record<string, unknown> & {
  document: { querySelector(s: string): { scrollTop: number; scrollHeight: number; clientHeight: number } | null };
  requestAnimationFrame(cb: (t: number) => void): void;
  performance: { now(): number };
  PerformanceObserver: new (cb: (list: { getEntries(): Array<{ duration: number }> }) => void) => { observe(o: unknown): void; disconnect(): void };
};

async function main(): Promise<void> {
  const server = await startRestartableServer(['--rate-messages', '100000', '--rate-frames', '100000']);
  const browser = await launchBrowser();
  try {
    const annAuth = await server.user('ann');
    const bobAuth = await server.user('bob');
    const bob = await CourierSocket.connect({ serverUrl: server.url, accessToken: bobAuth.tokens.accessToken });
    const big = (await bob.request('conversation.openDirect', { userId: annAuth.user.id })).conversation;

    // 50 more conversations with some history each, for the heap measurement.
    const others: string[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const g = (await bob.request('conversation.createGroup', { title: `Project ${String(i + 1).padStart(2, '0')}`, memberIds: [annAuth.user.id] })).conversation;
      others.push(g.id);
      for (let m = 0; m < 60; m++) await bob.send(g.id, `update ${m} on project ${i + 1}: things are moving along nicely`);
    }

    // Ann's app is open (live), so all 100,000 land in her local store as they are sent.
    const ann = await startUser({ browser, name: 'ann', serverUrl: server.url, viewport: { width: 1280, height: 800 } });
    await ann.call('session.signIn', { serverUrl: server.url, username: 'ann', password: PASSWORD });
    await waitForMainWindow(ann.page);
    const started = Date.now();
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 1; i <= MESSAGES; i++) {
      const p = bob.send(big.id, `message ${i}: ${i % 7 === 0 ? 'a longer line that wraps onto a second row in the timeline, as real chat does now and then' : 'short one'}`).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= 200) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const lastSeq = MESSAGES + 1;
    for (;;) {
      const c = (await ann.call('conversations.list', null)).find((x) => x.id === big.id);
      if (c?.lastSeq === lastSeq) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    console.error(`seeded ${MESSAGES} messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await ann.call('conversation.markRead', { conversationId: big.id, seq: lastSeq });
    // A fresh window, as after a restart: nothing of the seeding is in the renderer's memory.
    await ann.page.reload();
    await waitForMainWindow(ann.page);

    // 1. Time to show: click in the sidebar → the newest message is on screen (two frames later).
    const showTimes: number[] = [];
    for (let run = 0; run < 7; run++) {
      await openConversation(ann.page, 'Project 01');
      const item = sidebarItem(ann.page, 'bob');
      const handle = await item.elementHandle();
      const ms = await ann.page.evaluate(
        async ({ el, seq }) => {
          const g = globalThis as unknown as PageGlobal;
          const t0 = g.performance.now();
          (el as unknown as { click(): void }).click();
          for (;;) {
            await new Promise((r) => g.requestAnimationFrame(() => r(null)));
            if (g.document.querySelector(`[role="log"] [data-seq="${seq}"]`)) break;
          }
          await new Promise((r) => g.requestAnimationFrame(() => r(null)));
          return g.performance.now() - t0;
        },
        { el: handle, seq: lastSeq },
      );
      showTimes.push(ms);
    }

    // 2. Scrolling: wheel up through history for 6 s; count frames, gaps and long tasks.
    const scroll = await ann.page.evaluate(async () => {
      const g = globalThis as unknown as PageGlobal;
      const scroller = g.document.querySelector('[data-virtuoso-scroller]');
      if (!scroller) throw new Error('no scroller');
      const longTasks: number[] = [];
      const observer = new g.PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
      observer.observe({ type: 'longtask' });
      const frames: number[] = [];
      const t0 = g.performance.now();
      let last = t0;
      while (g.performance.now() - t0 < 6000) {
        const t = await new Promise<number>((r) => g.requestAnimationFrame(r));
        frames.push(t - last);
        last = t;
        scroller.scrollTop -= 120; // about a notch of a mouse wheel per frame: fast scrolling
      }
      observer.disconnect();
      return { frames, longTasks, scrolledPx: scroller.scrollHeight };
    });
    const seqsAfterScroll = await renderedSeqs(ann.page);
    const frameMedian = percentile(scroll.frames, 50);
    const dropped = scroll.frames.filter((f) => f > frameMedian * 1.5).length;

    // 3. Heap after opening 50 conversations (and the big one).
    for (let i = 0; i < CONVERSATIONS; i++) await openConversation(ann.page, `Project ${String(i + 1).padStart(2, '0')}`);
    const cdp = await ann.context.newCDPSession(ann.page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };

    const report = {
      messages: MESSAGES,
      timeToShowMs: { first: Number(showTimes[0]?.toFixed(1)), p50: Number(percentile(showTimes, 50).toFixed(1)), max: Number(Math.max(...showTimes).toFixed(1)) },
      scroll: {
        seconds: 6,
        frames: scroll.frames.length,
        frameMedianMs: Number(frameMedian.toFixed(1)),
        droppedFrames: dropped,
        longTasksOver50ms: scroll.longTasks.length,
        longestTaskMs: Number(Math.max(0, ...scroll.longTasks).toFixed(1)),
        oldestSeqReached: seqsAfterScroll[0] ?? null,
      },
      heapAfter50ConversationsMB: Number((heap.usedSize / 1024 / 1024).toFixed(1)),
      pageErrors: ann.pageErrors,
    };
    console.log(JSON.stringify(report, null, 2));
    await bob.close();
    await ann.close();
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
