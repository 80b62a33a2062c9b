/**
 * The image files the main process loads at run time. They are generated into build/ by
 * scripts/make-icons.mjs and shipped as `<resources>/icons` (electron-builder.yml
 * extraResources; test/packaging checks every one is listed there).
 */

/**
 * macOS: a template image (black + alpha; the name must end in "Template") so the menu bar
 * recolours it for light and dark mode. Windows: a multi-size .ico. Linux: a colour PNG.
 * Electron loads the @2x sibling of a PNG on HiDPI screens by itself.
 */
export function trayIconFile(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'trayTemplate.png';
  if (platform === 'win32') return 'tray-icon.ico';
  return 'tray-icon.png';
}

/** The Windows taskbar overlay shown while there are unread messages. */
export const BADGE_IMAGE = 'badge.png';
