// The read-only facts the preload exposes as `window.courier`. It lives in src/shared
// because both the preload (which builds it) and the renderer (which reads it) need the
// shape, and neither may import the other.

/** What the renderer can learn about the app it runs in. Every field is plain data. */
export interface CourierAppInfo {
  /** Node's `process.platform` value, e.g. 'darwin', 'win32', 'linux'. */
  readonly platform: string;
  readonly versions: {
    /** The Courier app version (package.json `version`, from `app.getVersion()`). */
    readonly app: string;
    readonly electron: string;
    readonly chrome: string;
    readonly node: string;
  };
}

/**
 * The command-line switch main uses to hand the app version to the preload: a sandboxed
 * preload cannot call `app.getVersion()`, but it can read `process.argv`, and
 * `webPreferences.additionalArguments` is Electron's documented way to put values there.
 */
export const APP_VERSION_SWITCH = '--courier-app-version=';
