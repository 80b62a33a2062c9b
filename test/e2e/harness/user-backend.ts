import { join } from 'node:path';
import { createDesktopCore } from '../../../src/client/app/create-desktop-core';
import type { DesktopCore } from '../../../src/client/app/desktop-core';
import type { IpcMethodName, IpcParams, IpcResultValue } from '../../../src/shared/ipc';
import { FAST_RECONNECT, fileVault, removeProfile, tempProfile } from '../../helpers/engine';
import { bridgeScript } from './bridge-script';
import { buildRenderer } from './build-renderer';
import { startRendererServer, type RendererServer } from './renderer-server';

/**
 * Everything one simulated user has on the Node side: a profile folder (own SQLite file
 * and vault), the real DesktopCore, and a renderer server on its own origin. No browser:
 * startUser (harness.ts) adds the page, `npm run dev:browser` leaves that to a person.
 */
export interface UserBackendOptions {
  name: string;
  /** The server the sign-in screen offers first (DesktopCoreOptions.defaultServerUrl). */
  serverUrl?: string;
  /** Called for each link the app opens, after it is added to `openedLinks`. */
  onOpenExternal?: (url: string) => void;
}

export interface UserBackend {
  name: string;
  core: DesktopCore;
  /** The app's page on this user's renderer server. */
  url: string;
  profileDir: string;
  renderer: RendererServer;
  /** Every URL the app asked the shell to open (ShellPort.openExternal), in order. */
  openedLinks: string[];
  /** Dispatches through the same table as the page and unwraps the envelope; throws on `ok: false`. */
  call<M extends IpcMethodName>(method: M, params: IpcParams<M>): Promise<IpcResultValue<M>>;
  /** Stops the renderer server, then the core, then removes the profile folder. */
  close(): Promise<void>;
}

export async function startUserBackend(o: UserBackendOptions): Promise<UserBackend> {
  const [rendererDir, script] = await Promise.all([buildRenderer(), bridgeScript()]);
  const profileDir = tempProfile(`courier-e2e-${o.name.replace(/[^a-z0-9]/gi, '')}-`);
  const openedLinks: string[] = [];
  const stack: Array<() => Promise<void> | void> = [() => removeProfile(profileDir)];
  const close = () => unwind(stack);
  try {
    const core = await createDesktopCore({
      profileDir,
      vault: fileVault(join(profileDir, 'harness-vault')),
      deviceName: `${o.name} (browser harness)`,
      shell: {
        openExternal: (url) => {
          openedLinks.push(url);
          o.onOpenExternal?.(url);
          return Promise.resolve();
        },
        settingsChanged: () => {},
      },
      connection: FAST_RECONNECT,
      ...(o.serverUrl === undefined ? {} : { defaultServerUrl: o.serverUrl }),
    });
    stack.push(() => core.close());
    const renderer = await startRendererServer({ core, rendererDir, bridgeScript: script });
    stack.push(() => renderer.close());
    return {
      name: o.name,
      core,
      url: renderer.url,
      profileDir,
      renderer,
      openedLinks,
      async call(method, params) {
        const result = await core.dispatch(method, params);
        if (!result.ok) throw Object.assign(new Error(`${o.name}: ${method}: ${result.error.code}: ${result.error.message}`), { code: result.error.code });
        return result.value as never;
      },
      close,
    };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

/**
 * Runs the stops last-started first, each even if an earlier one failed, and throws the
 * first failure afterwards: one stuck part must not leak the others.
 */
export async function unwind(stack: Array<() => Promise<void> | void>): Promise<void> {
  const failures: unknown[] = [];
  for (const stop of stack.splice(0).reverse()) {
    try {
      await stop();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
