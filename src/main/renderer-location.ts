/**
 * Which page is "our renderer", the only page allowed to call main over IPC: the built
 * `out/renderer/index.html` (a file: URL) in a normal run, or the electron-vite dev
 * server's origin during development. The hash and query are ignored (client routing).
 */
export interface RendererLocation {
  /** file: URL of the built index.html. */
  htmlFileUrl: string;
  /** The dev server URL; when set, it replaces the file entirely. */
  devServerUrl?: string | undefined;
  /** win32 file paths compare case-insensitively. */
  platform: NodeJS.Platform;
}

export function isRendererUrl(url: string, location: RendererLocation): boolean {
  const target = parse(url);
  if (target === undefined) return false;
  if (location.devServerUrl !== undefined) {
    const dev = parse(location.devServerUrl);
    return dev !== undefined && dev.origin !== 'null' && target.origin === dev.origin;
  }
  const html = parse(location.htmlFileUrl);
  if (html === undefined || target.protocol !== 'file:' || html.protocol !== 'file:') return false;
  // file://host/... (a UNC share on Windows) is never our installed file.
  if (target.host !== html.host) return false;
  const a = decodePath(target.pathname);
  const b = decodePath(html.pathname);
  if (a === undefined || b === undefined) return false;
  return location.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function decodePath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}
