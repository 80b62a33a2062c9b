import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TYPING_IDLE_MS, TypingNotifier } from './typing-notifier';

describe('TypingNotifier', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const sent: boolean[] = [];
    const notifier = new TypingNotifier((t) => sent.push(t), {
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    });
    return { sent, notifier };
  }

  it('sends true once per refresh interval while typing, then false after a pause', () => {
    const { sent, notifier } = setup();
    for (let i = 0; i < 20; i++) {
      notifier.input(true);
      vi.advanceTimersByTime(200); // 4 s of steady typing
    }
    expect(sent).toEqual([true, true]);
    vi.advanceTimersByTime(TYPING_IDLE_MS);
    expect(sent).toEqual([true, true, false]);
  });

  it('stops at once when the text is cleared or sent, and starts again on the next keystroke', () => {
    const { sent, notifier } = setup();
    notifier.input(true);
    notifier.input(false);
    expect(sent).toEqual([true, false]);
    notifier.stop();
    expect(sent).toEqual([true, false]);
    notifier.input(true);
    expect(sent).toEqual([true, false, true]);
    notifier.stop();
    vi.advanceTimersByTime(TYPING_IDLE_MS * 2);
    expect(sent).toEqual([true, false, true, false]);
  });
});
