/**
 * The renderer dev-server URL to load, or undefined to load the built files.
 *
 * electron-vite passes the URL in ELECTRON_RENDERER_URL during `electron-vite dev`. A
 * packaged app ignores it: otherwise anyone who can set an environment variable could
 * point the app (and its preload API) at a page of their choosing. Only http(s) is
 * accepted because that is all Vite serves.
 */
export function resolveDevServerUrl(
  env: Readonly<Record<string, string | undefined>>,
  isPackaged: boolean,
): string | undefined {
  if (isPackaged) return undefined;
  const raw = env['ELECTRON_RENDERER_URL'];
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
