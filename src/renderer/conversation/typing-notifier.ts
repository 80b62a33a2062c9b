import { TYPING_REFRESH_MS, TYPING_TTL_MS } from '../../shared/protocol/limits';
import { realTimers, type Timers } from '../state/timers';

/** How long after the last keystroke we say "stopped typing" (well inside the receivers' TTL). */
export const TYPING_IDLE_MS = Math.min(5000, TYPING_TTL_MS - 1000);

export interface TypingClock extends Timers {
  now(): number;
}

const realClock: TypingClock = { ...realTimers, now: () => Date.now() };

/**
 * Turns keystrokes into typing notices: `true` at most once per refresh interval while the
 * user types, `false` after a pause, on send, on clearing the text, or on leaving the chat.
 * Receivers expire a notice on their own, so a lost `false` costs only a few seconds.
 */
export class TypingNotifier {
  private typing = false;
  private lastSentAt = -Infinity;
  private idleTimer: unknown = null;

  constructor(
    private readonly send: (typing: boolean) => void,
    private readonly clock: TypingClock = realClock,
  ) {}

  /** The text changed; `hasText` is whether anything is left in the box. */
  input(hasText: boolean): void {
    if (!hasText) {
      this.stop();
      return;
    }
    const now = this.clock.now();
    if (!this.typing || now - this.lastSentAt >= TYPING_REFRESH_MS) {
      this.typing = true;
      this.lastSentAt = now;
      this.send(true);
    }
    this.clearIdle();
    this.idleTimer = this.clock.setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  stop(): void {
    this.clearIdle();
    if (!this.typing) return;
    this.typing = false;
    this.lastSentAt = -Infinity;
    this.send(false);
  }

  private clearIdle(): void {
    if (this.idleTimer !== null) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
