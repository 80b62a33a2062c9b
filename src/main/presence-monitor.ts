import { net, powerMonitor } from 'electron';
import type { DesktopCore } from '../client/app/desktop-core';

/**
 * Feeds the OS's view of the user and the machine into the core:
 * - away after `idleThresholdSec` without input (polled: Electron has no idle event),
 *   and at once when the screen locks; back when input resumes or the screen unlocks;
 * - reconnect now (instead of waiting out a backoff) on resume from sleep, on unlock, and
 *   when the network comes back (polled: there is no online event in main either).
 * Returns the function that stops every timer and listener it started.
 */
export interface PresenceMonitorOptions {
  idleThresholdSec: number;
  idlePollMs: number;
  onlinePollMs: number;
}

export const DEFAULT_PRESENCE_OPTIONS: PresenceMonitorOptions = { idleThresholdSec: 5 * 60, idlePollMs: 15_000, onlinePollMs: 5_000 };

export function startPresenceMonitor(
  core: Pick<DesktopCore, 'setIdle' | 'reconnectNow'>,
  options: PresenceMonitorOptions = DEFAULT_PRESENCE_OPTIONS,
): () => void {
  let idle = false;
  let locked = false;
  let online = net.isOnline();

  const setIdle = (next: boolean): void => {
    if (next === idle) return;
    idle = next;
    core.setIdle(next);
  };

  const pollIdle = (): void => {
    // While locked the idle clock may restart (some desktops count the lock screen as
    // input); the lock itself decides until unlock.
    if (locked) return;
    setIdle(powerMonitor.getSystemIdleTime() >= options.idleThresholdSec);
  };
  const pollOnline = (): void => {
    const now = net.isOnline();
    if (now && !online) core.reconnectNow('network-online');
    online = now;
  };
  const onLock = (): void => {
    locked = true;
    setIdle(true);
  };
  const onUnlock = (): void => {
    locked = false;
    setIdle(false);
    core.reconnectNow('unlock-screen');
  };
  const onResume = (): void => core.reconnectNow('resume');

  powerMonitor.on('lock-screen', onLock);
  powerMonitor.on('unlock-screen', onUnlock);
  powerMonitor.on('resume', onResume);
  const idleTimer = setInterval(pollIdle, options.idlePollMs);
  const onlineTimer = setInterval(pollOnline, options.onlinePollMs);

  return () => {
    clearInterval(idleTimer);
    clearInterval(onlineTimer);
    powerMonitor.off('lock-screen', onLock);
    powerMonitor.off('unlock-screen', onUnlock);
    powerMonitor.off('resume', onResume);
  };
}
