import type { ErrorCode } from '../shared/protocol';

/**
 * The server's one error type. Handlers throw it; the HTTP layer and the socket
 * dispatcher each turn it into their own error shape in one place.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  bad_frame: 400,
  invalid_request: 400,
  too_large: 413,
  auth_required: 401,
  auth_invalid: 401,
  invalid_credentials: 401,
  not_found: 404,
  user_not_found: 404,
  not_allowed: 403,
  registration_closed: 403,
  username_taken: 409,
  conflict: 409,
  rate_limited: 429,
  limit_reached: 422,
  unavailable: 503,
};

export function httpStatus(code: ErrorCode): number {
  return HTTP_STATUS[code] ?? 500;
}

/** The error each refusal a store returns as a value becomes: a stable code and words a user can act on. */
const REFUSALS = {
  not_found: ['not_found', 'conversation not found'],
  not_allowed: ['not_allowed', 'your role in this conversation does not allow that'],
  invalid_request: ['invalid_request', 'that change does not apply to this conversation'],
  limit_reached: ['limit_reached', 'a member or conversation limit would be exceeded'],
  user_not_found: ['user_not_found', 'no such user'],
  blocked: ['not_allowed', 'this user is not accepting conversations from you'],
  actor_blocked: ['invalid_request', 'you blocked this user: unblock them first'],
  requests_full: ['limit_reached', 'this user has too many unanswered requests; try again later'],
  removed_by_owner: ['not_allowed', 'the owner removed this user: only the owner can add them back'],
  accept_first: ['not_allowed', 'accept the invitation first'],
} as const satisfies Record<string, readonly [ErrorCode, string]>;

export type RefusalCode = keyof typeof REFUSALS;

export function refuse(refusal: RefusalCode): never {
  const [code, message] = REFUSALS[refusal];
  throw new ApiError(code, message);
}
