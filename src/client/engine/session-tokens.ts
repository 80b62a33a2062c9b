import type { Tokens } from '../../shared/protocol';
import type { SecretVault } from '../app/desktop-core';
import type { TokenSource } from '../connection/connection-manager';
import { CourierError, SessionEndedError } from '../errors';
import type { CourierHttp } from '../http-api';

/**
 * Refresh this long before the access token expires (or at half its life if that is
 * shorter), so a reconnect never presents a token about to lapse.
 */
const REFRESH_MARGIN_MS = 60_000;

export function refreshDueAt(now: number, expiresAt: number): number {
  const life = Math.max(0, expiresAt - now);
  return now + Math.max(life / 2, life - REFRESH_MARGIN_MS);
}

/**
 * Holds the session's tokens. Access tokens live in memory only; the single-use refresh
 * token is written to the vault BEFORE the new access token is used, so a crash right
 * after a refresh cannot leave the app holding a spent refresh token.
 */
export class SessionTokens implements TokenSource {
  private access: { token: string; refreshAt: number } | null = null;
  private readonly refreshed = new Set<(accessToken: string) => void>();
  private refreshing: Promise<string> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly http: CourierHttp,
    private readonly vault: SecretVault,
    private refreshToken: string,
    initial?: Tokens,
    private readonly now: () => number = Date.now,
  ) {
    if (initial) this.adopt(initial);
  }

  /** Tokens from a sign-in: persist the refresh token, keep the access token. */
  static async fromSignIn(http: CourierHttp, vault: SecretVault, tokens: Tokens): Promise<SessionTokens> {
    await vault.write(tokens.refreshToken);
    return new SessionTokens(http, vault, tokens.refreshToken, tokens);
  }

  async accessToken(): Promise<string> {
    if (this.access && this.now() < this.access.refreshAt) return this.access.token;
    return this.refresh();
  }

  /**
   * Called with every new access token: an open socket renews itself with it (session.renew)
   * before the one it opened with expires. Returns the function that unsubscribes.
   */
  onRefreshed(listener: (accessToken: string) => void): () => void {
    this.refreshed.add(listener);
    return () => this.refreshed.delete(listener);
  }

  invalidate(): void {
    this.access = null;
  }

  stop(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  /** One refresh at a time: concurrent callers share it (a second would spend a used token). */
  private refresh(): Promise<string> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<string> {
    let tokens: Tokens;
    try {
      tokens = await this.http.refresh(this.refreshToken);
    } catch (error) {
      if (error instanceof CourierError && (error.code === 'auth_invalid' || error.code === 'auth_required')) {
        await this.vault.write(null);
        throw new SessionEndedError();
      }
      throw error;
    }
    await this.vault.write(tokens.refreshToken);
    this.adopt(tokens);
    for (const listener of this.refreshed) listener(tokens.accessToken);
    return tokens.accessToken;
  }

  private adopt(tokens: Tokens): void {
    this.refreshToken = tokens.refreshToken;
    const refreshAt = refreshDueAt(this.now(), tokens.accessExpiresAt);
    this.access = { token: tokens.accessToken, refreshAt };
    // Refreshing ahead of expiry keeps the session alive on a connection that stays up for
    // days (the refresh token would otherwise age out unused) and makes reconnects instant.
    clearTimeout(this.timer);
    if (this.closed) return;
    const due = Math.max(1000, refreshAt - this.now());
    this.timer = setTimeout(() => {
      this.refresh().catch(() => {
        // A network failure is retried by the next accessToken() call; a refused token is
        // reported there too (SessionEndedError) when the connection next needs one.
      });
    }, Math.min(due, 2 ** 31 - 1));
    this.timer.unref();
  }
}
