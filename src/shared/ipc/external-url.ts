/**
 * Whether a link from message text may be handed to the system browser: http(s) only, and
 * no credentials in the URL (a classic way to disguise where a link goes). Everything else
 * (javascript:, file:, custom protocol handlers that start programs) is refused.
 */
export function isSafeExternalUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' && url.hostname !== '';
}
