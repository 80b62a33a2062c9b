import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electron, resetElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { startPresenceMonitor } = await import('../../src/main/presence-monitor');

const OPTIONS = { idleThresholdSec: 300, idlePollMs: 15_000, onlinePollMs: 5_000 };
let core: { setIdle: ReturnType<typeof vi.fn<(idle: boolean) => void>>; reconnectNow: ReturnType<typeof vi.fn<(reason: string) => void>> };
let idleSeconds: number;
let online: boolean;
let stop: (() => void) | undefined;

beforeEach(() => {
  resetElectron();
  vi.useFakeTimers();
  idleSeconds = 0;
  online = true;
  electron.powerMonitor.getSystemIdleTime.mockImplementation(() => idleSeconds);
  electron.net.isOnline.mockImplementation(() => online);
  core = { setIdle: vi.fn<(idle: boolean) => void>(), reconnectNow: vi.fn<(reason: string) => void>() };
});
afterEach(() => {
  stop?.();
  stop = undefined;
  vi.useRealTimers();
});

describe('presence monitor', () => {
  it('goes idle at the threshold and back when input resumes, reporting only changes', () => {
    stop = startPresenceMonitor(core, OPTIONS);
    idleSeconds = 299;
    vi.advanceTimersByTime(15_000);
    expect(core.setIdle).not.toHaveBeenCalled();
    idleSeconds = 300;
    vi.advanceTimersByTime(15_000);
    idleSeconds = 315;
    vi.advanceTimersByTime(15_000);
    expect(core.setIdle.mock.calls).toEqual([[true]]);
    idleSeconds = 2;
    vi.advanceTimersByTime(15_000);
    expect(core.setIdle.mock.calls).toEqual([[true], [false]]);
  });

  it('lock makes idle at once and holds it until unlock, which also reconnects', () => {
    stop = startPresenceMonitor(core, OPTIONS);
    electron.powerMonitor.emit('lock-screen');
    expect(core.setIdle.mock.calls).toEqual([[true]]);
    idleSeconds = 0;
    vi.advanceTimersByTime(60_000);
    expect(core.setIdle.mock.calls).toEqual([[true]]);
    electron.powerMonitor.emit('unlock-screen');
    expect(core.setIdle.mock.calls).toEqual([[true], [false]]);
    expect(core.reconnectNow).toHaveBeenCalledWith('unlock-screen');
  });

  it('reconnects on resume', () => {
    stop = startPresenceMonitor(core, OPTIONS);
    electron.powerMonitor.emit('resume');
    expect(core.reconnectNow).toHaveBeenCalledWith('resume');
  });

  it('reconnects when the network comes back (false → true only)', () => {
    stop = startPresenceMonitor(core, OPTIONS);
    vi.advanceTimersByTime(5_000);
    expect(core.reconnectNow).not.toHaveBeenCalled();
    online = false;
    vi.advanceTimersByTime(10_000);
    expect(core.reconnectNow).not.toHaveBeenCalled();
    online = true;
    vi.advanceTimersByTime(5_000);
    vi.advanceTimersByTime(5_000);
    expect(core.reconnectNow.mock.calls).toEqual([['network-online']]);
  });

  it('stop() removes every timer and listener', () => {
    const dispose = startPresenceMonitor(core, OPTIONS);
    dispose();
    expect(vi.getTimerCount()).toBe(0);
    for (const event of ['lock-screen', 'unlock-screen', 'resume']) expect(electron.powerMonitor.listenerCount(event)).toBe(0);
    idleSeconds = 1_000;
    vi.advanceTimersByTime(60_000);
    expect(core.setIdle).not.toHaveBeenCalled();
  });
});
