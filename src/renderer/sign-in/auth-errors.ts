/** The form field an error is about: focus goes there and it is marked invalid. */
export type AuthField = 'server' | 'username' | 'password' | 'displayName';

export interface AuthErrorText {
  text: string;
  field: AuthField | null;
}

const FIELD_NAMES: Record<string, { field: AuthField; label: string }> = {
  serverUrl: { field: 'server', label: 'Server address' },
  username: { field: 'username', label: 'Username' },
  password: { field: 'password', label: 'Password' },
  displayName: { field: 'displayName', label: 'Display name' },
};

/** "at least 8 characters" → "At least 8 characters." */
function sentence(s: string): string {
  const t = s.trim();
  return withPeriod(t.charAt(0).toUpperCase() + t.slice(1));
}

function withPeriod(s: string): string {
  const t = s.trim();
  return t === '' || /[.!?]$/.test(t) ? t : `${t}.`;
}

/**
 * The sentence the sign-in screen shows for a refused sign-in or registration, from the
 * BridgeError code. Codes come from the server (src/shared/protocol/codes.ts, raised by
 * src/server/auth/auth-service.ts), the HTTP client (src/client/http-api.ts: `network`,
 * `bad_frame`, `invalid_request` "HTTP 404 from …" for a non-Courier answer), the socket
 * (`timeout`, `offline`) and the IPC layer (`invalid_argument` "serverUrl: …").
 */
export function describeAuthError(code: string, message: string, host: string): AuthErrorText {
  switch (code) {
    case 'invalid_credentials':
      return { text: 'Wrong username or password.', field: 'password' };
    case 'network':
    case 'timeout':
    case 'offline':
      return { text: unreachableText(host), field: 'server' };
    case 'unavailable':
      return { text: `${host} is not available right now. Try again in a moment.`, field: 'server' };
    case 'bad_frame':
      return { text: notCourierText(host), field: 'server' };
    case 'registration_closed':
      return { text: 'Registration is closed on this server. Ask its administrator for an account.', field: null };
    case 'username_taken':
      return { text: 'That username is taken. Choose another one.', field: 'username' };
    case 'rate_limited':
      return { text: 'Too many attempts. Wait a minute and try again.', field: null };
    case 'invalid_request':
    case 'invalid_argument':
      return fieldMessage(message, host);
    default:
      return { text: message.trim() === '' ? 'Something went wrong. Try again.' : sentence(message), field: null };
  }
}

export function unreachableText(host: string): string {
  return `Can't reach ${host}. Check the address and your connection.`;
}

function notCourierText(host: string): string {
  return `${host} doesn't answer like a Courier server. Check the address.`;
}

/** The server's rule messages ("password: at least 8 characters") name the field first. */
function fieldMessage(message: string, host: string): AuthErrorText {
  // A web server that is not Courier answers with a bare HTTP status (src/client/http-api.ts).
  if (/^HTTP \d{3}\b/.test(message)) return { text: notCourierText(host), field: 'server' };
  const match = /^([A-Za-z]+):\s*(.*)$/s.exec(message.trim());
  const named = match ? FIELD_NAMES[match[1] ?? ''] : undefined;
  if (!match || !named) return { text: sentence(message) || 'The server refused the request.', field: null };
  if (named.field === 'server') return { text: 'Enter a server address that starts with http:// or https://.', field: 'server' };
  return { text: `${named.label}: ${withPeriod(match[2] ?? '')}`, field: named.field };
}
