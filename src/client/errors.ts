import type { ErrorCode } from '../shared/protocol';

/** An error the server answered with (HTTP body or `error` frame): act on `code`. */
export class CourierError extends Error {
  constructor(
    readonly code: ErrorCode | 'timeout' | 'closed' | 'network',
    message: string,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CourierError';
  }
}
