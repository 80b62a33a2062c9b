import type { z } from 'zod';
import {
  API_PREFIX,
  AuthResponseSchema,
  HttpErrorBodySchema,
  RefreshResponseSchema,
  ServerInfoSchema,
  SessionsResponseSchema,
  type AuthResponse,
  type ServerInfo,
  type SessionInfo,
  type Tokens,
} from '../shared/protocol';
import { CourierError } from './errors';

/**
 * The account endpoints of a Courier server (register, login, refresh, logout, sessions).
 * Every response is parsed with the shared schemas: the server is a trust boundary too.
 */
export class CourierHttp {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  serverInfo(): Promise<ServerInfo> {
    return this.call('GET', `${API_PREFIX}/server`, ServerInfoSchema);
  }

  register(input: { username: string; password: string; displayName?: string; deviceName?: string }): Promise<AuthResponse> {
    return this.call('POST', `${API_PREFIX}/auth/register`, AuthResponseSchema, { body: input });
  }

  login(input: { username: string; password: string; deviceName?: string }): Promise<AuthResponse> {
    return this.call('POST', `${API_PREFIX}/auth/login`, AuthResponseSchema, { body: input });
  }

  async refresh(refreshToken: string): Promise<Tokens> {
    return (await this.call('POST', `${API_PREFIX}/auth/refresh`, RefreshResponseSchema, { body: { refreshToken } })).tokens;
  }

  async logout(accessToken: string): Promise<void> {
    await this.call('POST', `${API_PREFIX}/auth/logout`, null, { token: accessToken });
  }

  async sessions(accessToken: string): Promise<SessionInfo[]> {
    return (await this.call('GET', `${API_PREFIX}/sessions`, SessionsResponseSchema, { token: accessToken })).sessions;
  }

  async revokeSession(accessToken: string, sessionId: string): Promise<void> {
    await this.call('DELETE', `${API_PREFIX}/sessions/${encodeURIComponent(sessionId)}`, null, { token: accessToken });
  }

  private async call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S | null,
    o: { body?: unknown; token?: string } = {},
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = {};
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (o.token) headers['authorization'] = `Bearer ${o.token}`;
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
    } catch (error) {
      throw new CourierError('network', `cannot reach ${this.baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await res.text();
    const json: unknown = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const parsed = HttpErrorBodySchema.safeParse(json);
      if (parsed.success) throw new CourierError(parsed.data.error.code, parsed.data.error.message, parsed.data.error.retryAfterMs, res.status);
      throw new CourierError(res.status >= 500 ? 'unavailable' : 'invalid_request', `HTTP ${res.status} from ${path}`, undefined, res.status);
    }
    if (!schema) return undefined as z.infer<S>;
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new CourierError('bad_frame', `unexpected response from ${path}`);
    return parsed.data;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
