import type { ErrorCode } from '../shared/protocol';

/** An error the server answered with (HTTP body or `error` frame): act on `code`. */
export class CourierError extends Error {
  constructor(
    readonly code: ErrorCode | 'timeout' | 'closed' | 'network' | 'offline',
    message: string,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CourierError';
  }
}

/** The server refused our refresh token: the session is over; the user must sign in again. */
export class SessionEndedError extends Error {
  constructor(message = 'Your session has ended. Sign in again.') {
    super(message);
    this.name = 'SessionEndedError';
  }
}
