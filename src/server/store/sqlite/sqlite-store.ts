import type { Store } from '../store';
import { openDatabase, type Db } from './database';
import { SqliteAccounts } from './accounts';
import { SqliteConversations } from './conversations';
import { SqliteMessages } from './messages';

/**
 * The embedded default Store: one SQLite file (WAL, synchronous=FULL). better-sqlite3 is
 * synchronous; each call runs to completion on the event loop, which also makes every
 * method one atomic step with no interleaving.
 */
export class SqliteStore implements Store {
  readonly db: Db;
  private readonly accounts: SqliteAccounts;
  private readonly messages: SqliteMessages;
  private readonly conversations: SqliteConversations;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.accounts = new SqliteAccounts(this.db);
    this.messages = new SqliteMessages(this.db);
    this.conversations = new SqliteConversations(this.db, this.messages);
  }

  createUser: Store['createUser'] = async (u) => this.accounts.createUser(u);
  findUserForLogin: Store['findUserForLogin'] = async (name) => this.accounts.findUserForLogin(name);
  searchUsers: Store['searchUsers'] = async (prefix, limit) => this.accounts.searchUsers(prefix, limit);
  setPassword: Store['setPassword'] = async (id, hash) => this.accounts.setPassword(id, hash);
  createSession: Store['createSession'] = async (s) => this.accounts.createSession(s);
  getLiveSession: Store['getLiveSession'] = async (id) => this.accounts.getLiveSession(id);
  rotateRefreshToken: Store['rotateRefreshToken'] = async (old, next, now) => this.accounts.rotateRefreshToken(old, next, now);
  listSessions: Store['listSessions'] = async (userId) => this.accounts.listSessions(userId);
  revokeSession: Store['revokeSession'] = async (userId, id, now) => this.accounts.revokeSession(userId, id, now);
  revokeAllSessions: Store['revokeAllSessions'] = async (userId, now) => this.accounts.revokeAllSessions(userId, now);
  touchSession: Store['touchSession'] = async (id, now) => this.accounts.touchSession(id, now);
  lastSeenAt: Store['lastSeenAt'] = async (ids) => this.accounts.lastSeenAt(ids);

  openDirect: Store['openDirect'] = async (a, b, now) => this.conversations.openDirect(a, b, now);
  createGroup: Store['createGroup'] = async (owner, title, ids, now) => this.conversations.createGroup(owner, title, ids, now);
  rename: Store['rename'] = async (actor, id, title, now) => this.conversations.rename(actor, id, title, now);
  addMembers: Store['addMembers'] = async (actor, id, ids, now) => this.conversations.addMembers(actor, id, ids, now);
  removeMember: Store['removeMember'] = async (actor, id, user, now) => this.conversations.removeMember(actor, id, user, now);
  leave: Store['leave'] = async (user, id, now) => this.conversations.leave(user, id, now);
  getConversation: Store['getConversation'] = async (viewer, id) => this.conversations.getConversation(viewer, id);
  listConversations: Store['listConversations'] = async (viewer) => this.conversations.listConversations(viewer);
  listMemberships: Store['listMemberships'] = async (userId) => this.conversations.listMemberships(userId);
  memberIds: Store['memberIds'] = async (id) => this.messages.memberIds(id);
  contactsOf: Store['contactsOf'] = async (userId) => this.conversations.contactsOf(userId);

  appendMessages: Store['appendMessages'] = async (batch) => this.messages.appendMessages(batch);
  historyBefore: Store['historyBefore'] = async (viewer, id, before, limit) => this.messages.historyBefore(viewer, id, before, limit);
  messagesAfter: Store['messagesAfter'] = async (id, after, limit) => this.messages.messagesAfter(id, after, limit);
  markReceipts: Store['markReceipts'] = async (batch) => this.messages.markReceipts(batch);

  async close(): Promise<void> {
    if (!this.db.open) return;
    // Fold the WAL back so a backup of the single file is complete after a clean stop.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
