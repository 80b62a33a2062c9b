import type { Store } from '../store';
import { openDatabase, type Db } from './database';
import { SqliteAccounts } from './accounts';
import { SqliteConversations } from './conversations';
import { SqliteMessages } from './messages';
import { SqliteRelations } from './relations';
import { WalSync } from './wal-sync';

/**
 * The embedded default Store: one SQLite file in WAL mode. better-sqlite3 is synchronous;
 * each call runs to completion on the event loop, which also makes every method one atomic
 * step with no interleaving. A write is answered only once it is on disk, by an fdatasync
 * of the WAL that runs off the event loop and is shared by every commit made meanwhile
 * (wal-sync.ts). So the loop does not wait for the disk on commits, and an answer still
 * means durable.
 */
export class SqliteStore implements Store {
  readonly db: Db;
  private readonly wal: WalSync | null;
  private readonly accounts: SqliteAccounts;
  private readonly messages: SqliteMessages;
  private readonly conversations: SqliteConversations;
  private readonly relations: SqliteRelations;

  constructor(file: string) {
    this.db = openDatabase(file);
    const onDisk = file !== ':memory:';
    this.wal = onDisk ? new WalSync(`${file}-wal`) : null;
    this.accounts = new SqliteAccounts(this.db);
    this.messages = new SqliteMessages(this.db);
    this.relations = new SqliteRelations(this.db);
    this.conversations = new SqliteConversations(this.db, this.messages, this.relations);
  }

  createUser: Store['createUser'] = async (u) => this.durable(() => this.accounts.createUser(u));
  findUserForLogin: Store['findUserForLogin'] = async (name) => this.accounts.findUserForLogin(name);
  searchUsers: Store['searchUsers'] = async (viewer, prefix, limit, exact) => this.accounts.searchUsers(viewer, prefix, limit, exact);
  setPassword: Store['setPassword'] = async (id, hash) => this.durable(() => this.accounts.setPassword(id, hash));
  createSession: Store['createSession'] = async (s) => this.durable(() => this.accounts.createSession(s));
  getLiveSession: Store['getLiveSession'] = async (id) => this.accounts.getLiveSession(id);
  rotateRefreshToken: Store['rotateRefreshToken'] = async (old, next, now, window) => this.durable(() => this.accounts.rotateRefreshToken(old, next, now, window));
  listSessions: Store['listSessions'] = async (userId) => this.accounts.listSessions(userId);
  revokeSession: Store['revokeSession'] = async (userId, id, now) => this.durable(() => this.accounts.revokeSession(userId, id, now));
  revokeAllSessions: Store['revokeAllSessions'] = async (userId, now) => this.durable(() => this.accounts.revokeAllSessions(userId, now));
  touchSession: Store['touchSession'] = async (id, now) => this.accounts.touchSession(id, now);
  revocationsAfter: Store['revocationsAfter'] = async (cursor) => this.accounts.revocationsAfter(cursor);
  pruneRevocations: Store['pruneRevocations'] = async (before) => this.durable(() => this.accounts.pruneRevocations(before));
  setDisabled: Store['setDisabled'] = async (userId, disabled, now) => this.durable(() => this.accounts.setDisabled(userId, disabled, now));
  lastSeenAt: Store['lastSeenAt'] = async (ids) => this.accounts.lastSeenAt(ids);

  openDirect: Store['openDirect'] = async (a, b, now) => this.durable(() => this.conversations.openDirect(a, b, now));
  hasDirect: Store['hasDirect'] = async (a, b) => this.conversations.hasDirect(a, b);
  createGroup: Store['createGroup'] = async (owner, title, ids, now) => this.durable(() => this.conversations.createGroup(owner, title, ids, now));
  rename: Store['rename'] = async (actor, id, title, now) => this.durable(() => this.conversations.rename(actor, id, title, now));
  addMembers: Store['addMembers'] = async (actor, id, ids, now) => this.durable(() => this.conversations.addMembers(actor, id, ids, now));
  removeMember: Store['removeMember'] = async (actor, id, user, now) => this.durable(() => this.conversations.removeMember(actor, id, user, now));
  leave: Store['leave'] = async (user, id, now) => this.durable(() => this.conversations.leave(user, id, now));
  accept: Store['accept'] = async (user, id) => this.durable(() => this.conversations.accept(user, id));
  decline: Store['decline'] = async (user, id, now) => this.durable(() => this.conversations.decline(user, id, now));
  getConversation: Store['getConversation'] = async (viewer, id) => this.conversations.getConversation(viewer, id);
  conversationSnapshot: Store['conversationSnapshot'] = async (id) => this.conversations.snapshot(id);
  listConversations: Store['listConversations'] = async (viewer) => this.conversations.listConversations(viewer);
  listMemberships: Store['listMemberships'] = async (userId) => this.conversations.listMemberships(userId);
  memberIds: Store['memberIds'] = async (id) => this.messages.memberIds(id);
  memberStates: Store['memberStates'] = async (id) => this.conversations.memberStates(id);
  contactsOf: Store['contactsOf'] = async (userId) => this.conversations.contactsOf(userId);

  block: Store['block'] = async (userId, blockedId, now) =>
    this.durable(() =>
      this.db.transaction(() => {
        if (userId === blockedId || !this.accounts.userExists(blockedId)) return 'user_not_found' as const;
        const blocked = this.relations.block(userId, blockedId, now);
        if (blocked === 'limit_reached') return blocked;
        return this.conversations.declineRequestsFrom(userId, blockedId, now);
      })(),
    );
  unblock: Store['unblock'] = async (userId, blockedId) => this.durable(() => this.relations.unblock(userId, blockedId));
  listBlocked: Store['listBlocked'] = async (userId) => this.relations.listBlocked(userId);
  blocksOf: Store['blocksOf'] = async (userId) => this.relations.blocksOf(userId);
  presenceAudience: Store['presenceAudience'] = async (userId) => this.relations.presenceAudience(userId);
  presenceVisibleTo: Store['presenceVisibleTo'] = async (viewerId) => this.relations.presenceVisibleTo(viewerId);
  getPrivacy: Store['getPrivacy'] = async (userId) => this.relations.getPrivacy(userId);
  setPrivacy: Store['setPrivacy'] = async (userId, patch) => this.durable(() => this.relations.setPrivacy(userId, patch));
  hidingLastSeen: Store['hidingLastSeen'] = async (ids) => this.relations.hidingLastSeen(ids);

  appendMessages: Store['appendMessages'] = async (batch) => this.durable(() => this.messages.appendMessages(batch));
  historyBefore: Store['historyBefore'] = async (viewer, id, before, limit) => this.messages.historyBefore(viewer, id, before, limit);
  messagesAfter: Store['messagesAfter'] = async (id, after, limit) => this.messages.messagesAfter(id, after, limit);
  markReceipts: Store['markReceipts'] = async (batch) => this.durable(() => this.messages.markReceipts(batch));

  async ready(): Promise<void> {
    // Everything is open once the constructor returned.
  }

  /** Runs a write, then answers once it is durable. */
  private async durable<T>(write: () => T): Promise<T> {
    const result = write();
    await this.wal?.sync();
    return result;
  }

  /** fdatasyncs of the WAL so far (each covers every commit made while it waited). */
  get walSyncs(): number {
    return this.wal?.syncs ?? 0;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.wal?.close();
    // This last checkpoint must sync what it copies: a clean stop leaves one complete file.
    this.db.pragma('synchronous = FULL');
    // Fold the WAL back so a backup of the single file is complete after a clean stop.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
