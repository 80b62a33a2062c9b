import type { WebPreferences } from 'electron';
import { APP_VERSION_SWITCH } from '../shared/app-info';

/**
 * The only webPreferences a Courier window may be created with. Kept pure so a unit test
 * can pin every flag: the renderer shows messages written by other people, so it must be
 * treated as untrusted content and get no path to Node.
 */
export function secureWebPreferences(preloadPath: string, appVersion: string): WebPreferences {
  return {
    preload: preloadPath,
    // The preload's world and the page's world stay separate; only contextBridge crosses.
    contextIsolation: true,
    // OS-level sandbox for the renderer; this is also why the preload is a CJS bundle.
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    // <webview> would be a second, differently-configured renderer; we have no use for one.
    webviewTag: false,
    // Experimental Blink features widen the attack surface for no benefit here.
    experimentalFeatures: false,
    // A file dropped on the window must not replace the app with that file.
    navigateOnDragDrop: false,
    // A sandboxed preload cannot ask `app` for the version, but it can read argv.
    additionalArguments: [`${APP_VERSION_SWITCH}${appVersion}`],
  };
}
