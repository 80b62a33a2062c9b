import { CLOSE, CLOSE_REASONS, type ClientFrame, type ErrorCode } from '../../shared/protocol';
import type { AuthService } from '../auth/auth-service';
import { ApiError } from '../errors';
import type { TokenBucket } from '../token-bucket';
import { SharedBudgetSpent } from './budgets';
import type { Connection } from './connection';
import type { RealtimeContext } from './context';
import { sendMessage, fetchHistory } from './handlers/messages';
import { markReceipt } from './handlers/receipts';
import { sync } from './handlers/sync';
import * as blocks from './handlers/blocks';
import * as conversations from './handlers/conversations';

/** Rejections tolerated per window before a socket is treated as abusive and closed (advertised in `ready`). */
export const ABUSE_WINDOW_MS = 10_000;
export const ABUSE_LIMIT = 50;
/**
 * A user's message budget outlives their last socket by this long (more than a bucket
 * takes to refill: burst / rate = 2 s), so hanging up and dialling again does not
 * hand out a fresh burst.
 */
const BUDGET_MEMORY_MS = 5_000;

export type RequestFrameOf = Exclude<ClientFrame, { type: 'auth' }>;


/**
 * Routes one validated request to its handler and answers it: `result` with the data,
 * or `error` with a stable code. One place converts every thrown error.
 */
export class Dispatcher {
  private readonly userBuckets = new Map<string, TokenBucket>();
  /** Users whose last socket closed, oldest first, with when. */
  private readonly gone = new Map<string, number>();

  constructor(
    private readonly ctx: RealtimeContext,
    private readonly messageBucket: (now: number) => TokenBucket,
    private readonly auth: Pick<AuthService, 'authenticate'>,
  ) {}

  async handle(conn: Connection, frame: RequestFrameOf, receivedAt: number): Promise<void> {
    const id = frame.id ?? null;
    let syncing = false;
    try {
      this.checkRate(conn, frame);
      if (frame.type === 'sync') {
        if (conn.state !== 'ready' && conn.state !== 'live') throw new ApiError('invalid_request', 'a sync is already running');
        syncing = true;
      }
      const data = await this.route(conn, frame, receivedAt);
      if (id !== null) conn.send({ type: 'result', id, data });
    } catch (error) {
      if (error instanceof ApiError) return this.reject(conn, id, error.code, error.message, error.retryAfterMs, !(error instanceof SharedBudgetSpent));
      this.ctx.logger.error({ err: error, type: frame.type, userId: conn.userId }, 'request failed');
      this.reject(conn, id, 'internal', 'the server could not complete this request; it is safe to retry');
    } finally {
      if (syncing) conn.endSync();
    }
  }

  /** Sends an error frame and (unless `counts` is false) counts it toward the abuse limit. */
  reject(conn: Connection, id: string | null, code: ErrorCode, message: string, retryAfterMs?: number, counts = true): void {
    this.ctx.metrics.rejected.inc({ code });
    conn.send(retryAfterMs === undefined ? { type: 'error', id, code, message } : { type: 'error', id, code, message, retryAfterMs });
    if (!counts || code === 'internal' || code === 'not_found' || code === 'unavailable') return;
    const now = this.ctx.now();
    if (now - conn.violationWindowStart > ABUSE_WINDOW_MS) {
      conn.violationWindowStart = now;
      conn.violations = 0;
    }
    if (++conn.violations > ABUSE_LIMIT) conn.close(CLOSE.policyViolation, CLOSE_REASONS.tooManyRejections);
  }

  /** Called when a user's last socket closes; drops the budgets of users gone long enough. */
  forgetUser(userId: string): void {
    const now = this.ctx.now();
    this.gone.delete(userId);
    this.gone.set(userId, now);
    for (const [id, since] of this.gone) {
      if (now - since < BUDGET_MEMORY_MS) break;
      this.gone.delete(id);
      if (this.ctx.hub.connectionsOf(id).size === 0) this.userBuckets.delete(id);
    }
  }

  /** A fresh token for the same session moves the socket's deadline; anything else is refused, the socket untouched. */
  private async renew(conn: Connection, token: string): Promise<{ expiresAt: number }> {
    const p = await this.auth.authenticate(token);
    if (!p || p.userId !== conn.userId || p.sessionId !== conn.sessionId) {
      throw new ApiError('auth_invalid', 'that token is not a live token of this session; refresh and try again');
    }
    conn.tokenExpiresAt = p.expiresAt;
    return { expiresAt: p.expiresAt };
  }

  private checkRate(conn: Connection, frame: RequestFrameOf): void {
    const now = this.ctx.now();
    let wait = conn.frames.take(now);
    if (wait === 0 && frame.type === 'message.send') {
      let bucket = this.userBuckets.get(conn.userId);
      if (!bucket) this.userBuckets.set(conn.userId, (bucket = this.messageBucket(now)));
      const overOwnShare = conn.ownMessages(now).take(now) > 0;
      wait = bucket.take(now);
      // The account's budget ran dry while this socket kept to its own share: its other devices spent it.
      if (wait > 0 && !overOwnShare) throw new SharedBudgetSpent('rate_limited', 'your account is over its message rate (all its devices together); wait and retry', wait);
    }
    if (wait === 0 && (frame.type === 'typing.set' || frame.type === 'presence.set')) wait = conn.notices(now).take(now);
    if (wait > 0) throw new ApiError('rate_limited', 'too many requests; slow down', wait);
  }

  private route(conn: Connection, frame: RequestFrameOf, receivedAt: number): Promise<unknown> | unknown {
    const ctx = this.ctx;
    switch (frame.type) {
      case 'sync':
        return sync(ctx, conn, frame);
      case 'message.send':
        return sendMessage(ctx, conn, frame, receivedAt);
      case 'history.fetch':
        return fetchHistory(ctx, conn, frame);
      case 'receipt.mark':
        return markReceipt(ctx, conn, frame);
      case 'typing.set':
        return ctx.typing.set(conn, frame.conversationId, frame.typing).then(() => ({}));
      case 'presence.set':
        ctx.presence.setStatus(conn, frame.status);
        return {};
      case 'conversation.list':
        return conversations.listConversations(ctx, conn);
      case 'conversation.get':
        return conversations.getConversation(ctx, conn, frame);
      case 'conversation.openDirect':
        return conversations.openDirect(ctx, conn, frame);
      case 'conversation.createGroup':
        return conversations.createGroup(ctx, conn, frame);
      case 'conversation.rename':
        return conversations.renameConversation(ctx, conn, frame);
      case 'conversation.addMembers':
        return conversations.addMembers(ctx, conn, frame);
      case 'conversation.removeMember':
        return conversations.removeMember(ctx, conn, frame);
      case 'conversation.leave':
        return conversations.leaveConversation(ctx, conn, frame);
      case 'conversation.accept':
        return conversations.acceptConversation(ctx, conn, frame);
      case 'conversation.decline':
        return conversations.declineConversation(ctx, conn, frame);
      case 'user.search':
        return conversations.searchUsers(ctx, conn, frame);
      case 'block.add':
        return blocks.blockUser(ctx, conn, frame);
      case 'block.remove':
        return blocks.unblockUser(ctx, conn, frame);
      case 'block.list':
        return blocks.listBlocked(ctx, conn);
      case 'privacy.get':
        return blocks.getPrivacy(ctx, conn);
      case 'privacy.set':
        return blocks.setPrivacy(ctx, conn, frame);
      case 'session.renew':
        return this.renew(conn, frame.token);
      default:
        return assertNever(frame);
    }
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
