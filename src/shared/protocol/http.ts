import { z } from 'zod';
import { ERROR_CODES } from './codes';
import { DeviceNameSchema, DisplayNameSchema, PasswordSchema, TimestampSchema, UsernameSchema } from './primitives';
import { SessionInfoSchema, UserSchema } from './entities';

/** The small REST surface (accounts and sessions), under /api/v1. */
export const API_PREFIX = '/api/v1';

export const RegisterBodySchema = z.object({
  username: UsernameSchema,
  password: PasswordSchema,
  displayName: DisplayNameSchema.optional(),
  deviceName: DeviceNameSchema.optional(),
});
export const LoginBodySchema = z.object({
  username: z.string().min(1).max(64).transform((s) => s.toLowerCase()),
  password: z.string().min(1).max(256),
  deviceName: DeviceNameSchema.optional(),
});
export const RefreshBodySchema = z.object({ refreshToken: z.string().min(1).max(512) });

export const TokensSchema = z.object({
  accessToken: z.string(),
  /** Epoch ms; refresh before this. */
  accessExpiresAt: TimestampSchema,
  /** Single use: each refresh returns a new one and spends the old one. */
  refreshToken: z.string(),
  sessionId: z.string(),
});
export type Tokens = z.infer<typeof TokensSchema>;

export const AuthResponseSchema = z.object({ user: UserSchema, tokens: TokensSchema });
export type AuthResponse = z.infer<typeof AuthResponseSchema>;
export const RefreshResponseSchema = z.object({ tokens: TokensSchema });
export const SessionsResponseSchema = z.object({ sessions: z.array(SessionInfoSchema) });
export const ServerInfoSchema = z.object({
  name: z.literal('courier'),
  version: z.string(),
  protocol: z.string(),
  registrationOpen: z.boolean(),
});
export type ServerInfo = z.infer<typeof ServerInfoSchema>;

export const HttpErrorBodySchema = z.object({
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), retryAfterMs: z.number().optional() }),
});
export type HttpErrorBody = z.infer<typeof HttpErrorBodySchema>;
