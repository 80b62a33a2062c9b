/**
 * Protocol limits shared by server and clients. The server may be configured lower,
 * never higher; it reports its effective values in the `ready` frame.
 */
export const PROTOCOL = 'courier.v1';
export const WS_PATH = '/ws';

/** Largest WebSocket message the server accepts (bytes). Larger frames close with 1009. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Largest message body, in UTF-8 bytes. */
export const MAX_BODY_BYTES = 16 * 1024;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_TITLE_LENGTH = 128;
/** Groups are capped so a membership snapshot stays a few tens of KiB. */
export const MAX_GROUP_MEMBERS = 256;
/** Conversations a user may be an accepted member of. */
export const MAX_CONVERSATIONS = 2000;
/** Requests (conversations a user was put in by a stranger) waiting for an answer; they do not count toward MAX_CONVERSATIONS. */
export const MAX_PENDING_REQUESTS = 100;
/** A sync frame lists at most this many watermarks (it must fit in one frame): every conversation and request. */
export const MAX_WATERMARKS = MAX_CONVERSATIONS + MAX_PENDING_REQUESTS;
/** Users one account may block. */
export const MAX_BLOCKED_USERS = 1000;
/** A directory search by prefix needs this many characters; shorter queries match an exact username only. */
export const MIN_SEARCH_PREFIX = 3;
/** How long a receiver shows "typing…" without a refresh. */
export const TYPING_TTL_MS = 6000;
/** Clients should not repeat typing=true more often than this. */
export const TYPING_REFRESH_MS = 3000;
/** Clients that cannot set an Authorization header must send `auth` within this time. */
export const AUTH_DEADLINE_MS = 5000;
