import type { z } from 'zod';
import { LoginBodySchema, RefreshBodySchema, RegisterBodySchema, type AuthResponse, type SessionInfo, type Tokens, type User } from '../../shared/protocol';
import { ApiError } from '../errors';
import { newId } from '../ids';
import type { Store } from '../store/store';
import { DEFAULT_COST, dummyHash, hashPassword, verifyPassword, type ScryptCost } from './passwords';
import { hashRefreshToken, newRefreshToken, type TokenSigner } from './tokens';

export interface Principal {
  userId: string;
  sessionId: string;
  /** When the access token that proved it expires (a socket opened with it is closed then, unless renewed). */
  expiresAt: number;
}

export interface AuthServiceOptions {
  store: Store;
  signer: TokenSigner;
  now: () => number;
  accessTokenTtlMs: number;
  registrationOpen: boolean;
  passwordCost?: ScryptCost;
  /** Called after sessions are revoked, so their sockets can be closed at once. */
  onRevoked: (sessionIds: string[], reason: 'logout' | 'revoked' | 'reuse') => void;
}

/** How long a refresh token may be presented again after its exchange, for a client whose answer was lost. */
export const REFRESH_REPLAY_WINDOW_MS = 60_000;

/** Accounts and device sessions: register, login, refresh rotation, logout, revoke. */
export class AuthService {
  private readonly cost: ScryptCost;

  constructor(private readonly o: AuthServiceOptions) {
    this.cost = o.passwordCost ?? DEFAULT_COST;
  }

  get registrationOpen(): boolean {
    return this.o.registrationOpen;
  }

  async register(input: unknown): Promise<AuthResponse> {
    if (!this.o.registrationOpen) throw new ApiError('registration_closed', 'registration is closed on this server; ask an administrator for an account');
    const body = parse(RegisterBodySchema, input);
    const user = await this.createUser(body.username, body.password, body.displayName ?? null);
    return { user, tokens: await this.startSession(user.id, body.deviceName) };
  }

  /** Also used by the admin CLI, which may create users while registration is closed. */
  async createUser(username: string, password: string, displayName: string | null): Promise<User> {
    const passwordHash = await hashPassword(password, this.cost);
    const created = await this.o.store.createUser({ id: newId('u'), username, displayName, passwordHash, now: this.o.now() });
    if (created === 'username_taken') throw new ApiError('username_taken', `the username "${username}" is taken`);
    return created;
  }

  async setPassword(userId: string, password: string): Promise<void> {
    await this.o.store.setPassword(userId, await hashPassword(password, this.cost));
    const revoked = await this.o.store.revokeAllSessions(userId, this.o.now());
    this.o.onRevoked(revoked, 'revoked');
  }

  async login(input: unknown): Promise<AuthResponse> {
    const body = parse(LoginBodySchema, input);
    const found = await this.o.store.findUserForLogin(body.username);
    // Spend the same time whether or not the user exists.
    const ok = await verifyPassword(body.password, found?.passwordHash ?? (await dummyHash(this.cost)));
    if (!found || !ok || found.disabled) throw new ApiError('invalid_credentials', 'wrong username or password');
    return { user: found.user, tokens: await this.startSession(found.user.id, body.deviceName) };
  }

  /**
   * Exchanges a refresh token for a new pair. Presenting the same token again within
   * REFRESH_REPLAY_WINDOW_MS, while its successor is unused (the answer was lost), answers
   * the same pair again; any other second use revokes the session.
   */
  async refresh(input: unknown): Promise<Tokens> {
    const { refreshToken } = parse(RefreshBodySchema, input);
    const next = this.o.signer.nextRefreshToken(refreshToken);
    const now = this.o.now();
    const rotated = await this.o.store.rotateRefreshToken(hashRefreshToken(refreshToken), hashRefreshToken(next), now, REFRESH_REPLAY_WINDOW_MS);
    if (!rotated.ok) {
      if (rotated.reason === 'reused' && rotated.sessionId) this.o.onRevoked([rotated.sessionId], 'reuse');
      throw new ApiError('auth_invalid', rotated.reason === 'reused'
        ? 'this refresh token was already used; the session has been revoked, sign in again'
        : 'refresh token is not valid; sign in again');
    }
    // Signed over the same claims as the first answer, so a replay is byte for byte the same pair.
    return this.tokens(rotated.userId, rotated.sessionId, next, rotated.issuedAt);
  }

  /** The principal behind an access token whose session is still live, or null. */
  async authenticate(accessToken: string): Promise<Principal | null> {
    const claims = this.o.signer.verify(accessToken, this.o.now());
    if (!claims) return null;
    const session = await this.o.store.getLiveSession(claims.sid);
    if (!session || session.userId !== claims.sub) return null;
    return { userId: session.userId, sessionId: session.id, expiresAt: claims.exp };
  }

  async logout(p: Principal): Promise<void> {
    await this.o.store.revokeSession(p.userId, p.sessionId, this.o.now());
    this.o.onRevoked([p.sessionId], 'logout');
  }

  async listSessions(p: Principal): Promise<SessionInfo[]> {
    const sessions = await this.o.store.listSessions(p.userId);
    return sessions.map((s) => ({ ...s, current: s.id === p.sessionId }));
  }

  async revoke(p: Principal, sessionId: string): Promise<void> {
    const done = await this.o.store.revokeSession(p.userId, sessionId, this.o.now());
    if (!done) throw new ApiError('not_found', 'no such session');
    this.o.onRevoked([sessionId], 'revoked');
  }

  private async startSession(userId: string, deviceName: string | undefined): Promise<Tokens> {
    const sessionId = newId('s');
    const refreshToken = newRefreshToken();
    const now = this.o.now();
    await this.o.store.createSession({ id: sessionId, userId, deviceName: deviceName ?? 'Unnamed device', refreshHash: hashRefreshToken(refreshToken), now });
    return this.tokens(userId, sessionId, refreshToken, now);
  }

  private tokens(userId: string, sessionId: string, refreshToken: string, now: number): Tokens {
    const accessExpiresAt = now + this.o.accessTokenTtlMs;
    return { accessToken: this.o.signer.sign({ sub: userId, sid: sessionId, exp: accessExpiresAt }), accessExpiresAt, refreshToken, sessionId };
  }
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ApiError('invalid_request', issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid body');
  }
  return result.data;
}
