import type { z } from 'zod';
import type { ErrorCode } from './codes';
import { ClientFrameSchema, REQUEST_TYPES, type ClientFrame } from './requests';
import { ServerFrameSchema, type ServerFrame } from './events';

export type Decoded<T> =
  | { ok: true; frame: T }
  /** `type`: the frame's type when it had a string one (an `auth` frame that fails its schema is told apart by it). */
  | { ok: false; code: ErrorCode; message: string; id: string | null; type?: string };

const KNOWN_CLIENT_TYPES = new Set<string>(['auth', ...REQUEST_TYPES]);

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid frame';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'frame';
  return `${where}: ${issue.message}`;
}

/** The request id of a frame we could not accept, so the error can answer it. */
function salvageId(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as Record<string, unknown>)['id'];
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : null;
}

const NOT_JSON = { ok: false, code: 'bad_frame', message: 'frame is not valid JSON', id: null } as const;
const INVALID = Symbol('invalid JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

/** Parses one text frame from a client. Never throws. */
export function decodeClientFrame(text: string): Decoded<ClientFrame> {
  const value = parseJson(text);
  if (value === INVALID) return NOT_JSON;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'bad_frame', message: 'frame must be a JSON object', id: null };
  }
  const id = salvageId(value);
  const type = (value as Record<string, unknown>)['type'];
  if (typeof type !== 'string') return { ok: false, code: 'bad_frame', message: 'type: expected a string', id };
  if (!KNOWN_CLIENT_TYPES.has(type)) {
    return { ok: false, code: 'unknown_type', message: `unknown frame type "${type.slice(0, 64)}"`, id, type };
  }
  const parsed = ClientFrameSchema.safeParse(value);
  if (!parsed.success) {
    const tooLarge = parsed.error.issues.some((i) => i.code === 'too_big' || i.message.includes('at most'));
    return { ok: false, code: tooLarge ? 'too_large' : 'bad_frame', message: describe(parsed.error), id, type };
  }
  return { ok: true, frame: parsed.data };
}

/**
 * The request id in a frame's text. For the one frame whose schema has no id (an `auth`
 * sent after authentication), so its error still answers the request that caused it.
 */
export function requestIdOf(text: string): string | null {
  const value = parseJson(text);
  return value === INVALID ? null : salvageId(value);
}

/** Parses one text frame from the server (clients validate what they receive too). */
export function decodeServerFrame(text: string): Decoded<ServerFrame> {
  const value = parseJson(text);
  if (value === INVALID) return NOT_JSON;
  const parsed = ServerFrameSchema.safeParse(value);
  if (!parsed.success) return { ok: false, code: 'bad_frame', message: describe(parsed.error), id: salvageId(value) };
  return { ok: true, frame: parsed.data };
}
