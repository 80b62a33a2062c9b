/**
 * What the user typed in "Server address", made into the URL the engine gets: trimmed,
 * `https://` added to a bare host (`chat.example.com`, `localhost:8080`), `http://` kept
 * when typed, no trailing slash. Null when it cannot be a Courier server's address.
 */
export function normaliseServerAddress(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed === '') return null;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return null;
  let url: URL;
  try {
    url = new URL(scheme === undefined ? `https://${trimmed}` : trimmed);
  } catch {
    return null;
  }
  if (url.hostname === '' || url.username !== '' || url.password !== '') return null;
  // A server may live under a path (behind a reverse proxy); query and fragment mean nothing here.
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** "chat.example.com" (with the port when there is one), for sentences about the server. */
export function hostOf(address: string): string {
  try {
    return new URL(address).host || address;
  } catch {
    return address;
  }
}
