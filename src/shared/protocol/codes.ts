/**
 * Stable error codes (in `error` frames and HTTP error bodies) and WebSocket close codes.
 * Clients switch on these strings and numbers; never rename one, only add.
 * docs/protocol.md explains each.
 */
export const ERROR_CODES = [
  'bad_frame', // not JSON, not an object, or fails the schema
  'unknown_type', // a `type` this server does not know
  'invalid_request', // well-formed but not acceptable (e.g. a direct chat with yourself)
  'too_large', // a body or field over its limit
  'not_found', // no such conversation, or you are not in it (indistinguishable on purpose)
  'user_not_found',
  'not_allowed', // you are a member but your role does not allow this
  'conflict', // a client id reused for a different message
  'rate_limited', // slow down; see retryAfterMs
  'auth_required',
  'auth_invalid', // expired, malformed, forged or revoked token
  'invalid_credentials',
  'username_taken',
  'registration_closed',
  'limit_reached', // e.g. too many conversations or members
  'unavailable', // the server is shutting down or overloaded; retry
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * WebSocket close codes. 1000-1011 are RFC 6455; 4000-4499 mean "do not reconnect
 * until the user or the client fixes something"; 4500-4999 mean "reconnect with backoff".
 */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001, // server shutting down: reconnect with backoff
  invalidPayload: 1007, // a text frame that is not UTF-8 (sent by the WebSocket layer)
  policyViolation: 1008, // abuse (flooding, repeated bad frames): reconnect with long backoff
  tooBig: 1009, // frame over MAX_FRAME_BYTES: a client bug, fix before reconnecting
  internalError: 1011, // reconnect with backoff
  tryAgainLater: 1013, // the server is full (authenticated sockets at their cap): reconnect with backoff
  authTimeout: 4001, // no auth frame within AUTH_DEADLINE_MS
  authInvalid: 4002, // token invalid or expired: refresh the token, then reconnect
  sessionRevoked: 4003, // signed out or revoked elsewhere: sign in again
  slowConsumer: 4500, // the client read too slowly: reconnect and resume
  syncOverflow: 4501, // too much happened during catch-up: reconnect and resume
} as const;
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/**
 * The reason text of each close the server initiates. Stable like the codes, because one
 * code can have several causes: 1008 is sent for three, and a client tells them apart
 * (and what to tell the user) by the reason alone. docs/protocol.md §16 lists them.
 */
export const CLOSE_REASONS = {
  tooManyRejections: 'too many rejected frames', // 1008: over the abuse limit
  tooManySockets: 'at most 64 connections per account', // 1008: this account's sockets are all in use
  tooManyEarlyFrames: 'too many requests before authentication completed', // 1008: more than 32 pipelined behind `auth`
  authTimeout: 'no auth frame within the deadline', // 4001
  authRequired: 'authentication required', // 4001: the first frame was not an acceptable `auth` frame
  authInvalid: 'token invalid or expired', // 4002
  tokenExpired: 'access token expired: renew it in time (session.renew), or refresh it and reconnect', // 4002: an open socket outlived its token
  sessionEnded: 'session ended: sign in again', // 4003
  serverFull: 'server full: try again later', // 1013
  authUnavailable: 'authentication unavailable', // 1011
  slowConsumer: 'slow consumer: reconnect and resume', // 4500
  syncOverflow: 'too much happened during catch-up: reconnect and resume', // 4501
} as const;

/** Whether a client should reconnect (with backoff) after the server closed with `code`. */
export function shouldReconnect(code: number): boolean {
  if (code >= 4000 && code < 4500) return code === CLOSE.authInvalid; // after a refresh
  // 1007 (not UTF-8) and 1009 (too big) answer a frame this client sent: a bug to fix, not a hiccup.
  if (code === CLOSE.tooBig || code === CLOSE.invalidPayload) return false;
  return true;
}
