/**
 * Whether the renderer may navigate its own frame to `url`.
 *
 * The app is a single page: once loaded, it never needs to go anywhere else. The one
 * exception is development, where Vite's dev server may reload the page (same origin as
 * the dev server). In a packaged app `devUrl` is undefined, so every navigation is denied,
 * which stops a link or script in a message from replacing the app with a remote page that
 * would then inherit the preload's API.
 */
export function isAllowedNavigation(url: string, devUrl: string | undefined): boolean {
  if (devUrl === undefined) return false;
  const target = parseUrl(url);
  const dev = parseUrl(devUrl);
  if (target === undefined || dev === undefined) return false;
  // file: and other opaque origins serialise as "null"; never treat two of them as equal.
  if (dev.origin === 'null') return false;
  return target.origin === dev.origin;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
