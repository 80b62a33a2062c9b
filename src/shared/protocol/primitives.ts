import { z } from 'zod';
import { humanText, isWellFormedText } from './human-text';
import { MAX_BODY_BYTES, MAX_TITLE_LENGTH } from './limits';

/** Server-made ids: a prefix and random base64url characters, opaque to clients. */
export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'expected an id');
export const UserIdSchema = IdSchema;
export const ConversationIdSchema = IdSchema;
/** Client message ids are UUIDs (v7 recommended: time-ordered ids keep the index compact). */
export const ClientIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a UUID')
  .transform((s) => s.toLowerCase());
export const SeqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const RequestIdSchema = z.string().min(1).max(64);
export const TimestampSchema = z.number().int().min(0);

const encoder = new TextEncoder();
/** UTF-8 length without allocating when the answer is obvious. */
export function utf8Length(text: string): number {
  if (text.length * 3 <= MAX_BODY_BYTES) return text.length; // a lower bound is enough here
  return encoder.encode(text).length;
}

export const BodySchema = z
  .string()
  .min(1, 'a message needs text')
  .refine((s) => s.length <= MAX_BODY_BYTES && utf8Length(s) <= MAX_BODY_BYTES, {
    message: `a message is at most ${MAX_BODY_BYTES} bytes of UTF-8`,
  })
  .refine(isWellFormedText, { message: 'not valid Unicode text (it contains a lone surrogate)' });
/** Group titles: a readable name (human-text.ts), at most MAX_TITLE_LENGTH characters as a reader counts them. */
export const TitleSchema = humanText(MAX_TITLE_LENGTH);
export const UsernameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{2,31}$/, '3-32 letters, digits, _ . - (starting with a letter or digit)')
  .transform((s) => s.toLowerCase());
export const DisplayNameSchema = humanText(64);
export const PasswordSchema = z.string().min(8, 'at least 8 characters').max(256);
export const DeviceNameSchema = humanText(64);
