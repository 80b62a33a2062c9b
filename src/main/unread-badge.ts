import { app, type BrowserWindow, type NativeImage } from 'electron';

/**
 * Shows the unread count where each platform expects it, and only there:
 * - Windows: an overlay on the taskbar button (`setOverlayIcon`); the count is in its
 *   accessible description. `app.setBadgeCount` does nothing useful on Windows.
 * - macOS: the Dock badge; Linux: the launcher badge (Unity API: GNOME docks, KDE), both
 *   through `app.setBadgeCount`.
 */
export interface UnreadBadgeTarget {
  platform: NodeJS.Platform;
  /** The window whose taskbar button carries the overlay (Windows); null when destroyed. */
  window: BrowserWindow | null;
  badgeImage(): NativeImage;
}

export function applyUnreadBadge(unread: number, target: UnreadBadgeTarget): void {
  const count = Math.max(0, Math.floor(unread));
  if (target.platform === 'win32') {
    if (target.window === null || target.window.isDestroyed()) return;
    if (count > 0) target.window.setOverlayIcon(target.badgeImage(), `${count} unread`);
    else target.window.setOverlayIcon(null, '');
    return;
  }
  app.setBadgeCount(count);
}
