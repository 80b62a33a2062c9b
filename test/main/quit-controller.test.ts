import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electron, FakeEvent, resetElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { QuitController } = await import('../../src/main/quit-controller');

beforeEach(() => resetElectron());
afterEach(() => vi.useRealTimers());

describe('QuitController', () => {
  it('holds the first before-quit until shutdown finishes, then quits again and lets that one through', async () => {
    let finish!: () => void;
    const shutdown = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const quit = new QuitController(shutdown);
    quit.install();
    expect(quit.quitting).toBe(false);

    const first = new FakeEvent();
    electron.app.emit('before-quit', first);
    expect(first.defaultPrevented).toBe(true);
    expect(quit.quitting).toBe(true);
    expect(shutdown).toHaveBeenCalledTimes(1);

    // Cmd+Q pressed again while closing: still held, shutdown not started twice.
    const again = new FakeEvent();
    electron.app.emit('before-quit', again);
    expect(again.defaultPrevented).toBe(true);
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(electron.app.quit).not.toHaveBeenCalled();

    finish();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledTimes(1));
    const last = new FakeEvent();
    electron.app.emit('before-quit', last);
    expect(last.defaultPrevented).toBe(false);
  });

  it('quits anyway when shutdown fails', async () => {
    const quit = new QuitController(() => Promise.reject(new Error('disk gone')));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    quit.onBeforeQuit(new FakeEvent());
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledTimes(1));
    errors.mockRestore();
  });

  it('quits anyway when shutdown hangs past the timeout', async () => {
    vi.useFakeTimers();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const quit = new QuitController(() => new Promise<void>(() => {}), 1_000);
    quit.onBeforeQuit(new FakeEvent());
    await vi.advanceTimersByTimeAsync(999);
    expect(electron.app.quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(electron.app.quit).toHaveBeenCalledTimes(1);
    errors.mockRestore();
  });

  it('markQuitting (Windows session end) makes windows close without a before-quit', () => {
    const quit = new QuitController(() => Promise.resolve());
    quit.markQuitting();
    expect(quit.quitting).toBe(true);
  });
});
