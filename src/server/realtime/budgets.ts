import { ApiError } from '../errors';
import { TokenBucket } from '../token-bucket';

/**
 * What one account (or one conversation) may cost the server over time, beyond the
 * per-socket frame rate: the budgets that keep a signed-in user from stalling the server
 * or spamming others. Defaults are generous for people and tight for scripts.
 */
export interface AbusePolicy {
  /** Groups one account may create per hour. */
  groupsPerHour: number;
  /** People one account may add to groups per hour (each added user counts). */
  membersAddedPerHour: number;
  /** Direct chats one account may start per hour (with people it has never talked to, and any others). */
  directsPerHour: number;
  /** Title and membership changes per conversation per minute, whoever makes them. */
  conversationChangesPerMinute: number;
  /** Read requests (history, search, conversation list/get, block list) per account per second, all its sockets together. */
  readsPerSecond: number;
  /** Bytes of answers to read requests per account per second. */
  readBytesPerSecond: number;
  /** Directory searches per account per minute. */
  searchesPerMinute: number;
  /** open: search by prefix (3+ characters) or exact username; exact: exact usernames only. */
  directory: 'open' | 'exact';
}

export const DEFAULT_ABUSE_POLICY: AbusePolicy = {
  groupsPerHour: 30,
  membersAddedPerHour: 600,
  directsPerHour: 60,
  conversationChangesPerMinute: 12,
  readsPerSecond: 20,
  readBytesPerSecond: 2 * 1024 * 1024,
  searchesPerMinute: 60,
  directory: 'open',
};

/**
 * rate_limited by a budget the account (or the conversation) shares across sockets: it ran
 * dry, but not necessarily because of the socket that asked — the account's other devices,
 * or the conversation's other members, spend it too. Answered like any rate limit, never
 * counted toward a socket's abuse limit (its own frame rate still bounds what it can cost).
 */
export class SharedBudgetSpent extends ApiError {}

/** The policy as `ready.limits.budgets` announces it, bursts included, so a client can pace itself. */
export function budgetLimits(p: AbusePolicy) {
  return {
    groupsPerHour: p.groupsPerHour,
    membersAddedPerHour: p.membersAddedPerHour,
    directsPerHour: p.directsPerHour,
    conversationChangesPerMinute: p.conversationChangesPerMinute,
    readsPerSec: p.readsPerSecond,
    readBurst: p.readsPerSecond * READ_BURST,
    readBytesPerSec: p.readBytesPerSecond,
    readBytesBurst: p.readBytesPerSecond * READ_BYTES_BURST,
    searchesPerMinute: p.searchesPerMinute,
  };
}

/** Bursts above the read rates: a screenful of history at once, then the rate. */
const READ_BURST = 2;
const READ_BYTES_BURST = 4;

const HOUR_MS = 3_600_000;
/** Keys kept per kind before the least recently used (which is likely full again) is dropped. */
const MAX_KEYS = 50_000;

/** Buckets by key with bounded memory: a key whose bucket refilled is forgotten first. */
class BucketMap {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  get(key: string, now: number): TokenBucket {
    let bucket = this.buckets.get(key);
    if (bucket) {
      // Most recently used last, so eviction starts with the idle ones.
      this.buckets.delete(key);
    } else {
      bucket = new TokenBucket(this.perSecond, this.burst, now);
      if (this.buckets.size >= MAX_KEYS) this.evict(now);
    }
    this.buckets.set(key, bucket);
    return bucket;
  }

  private evict(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.buckets.size < MAX_KEYS) return;
      if (bucket.isFull(now)) this.buckets.delete(key);
    }
    // Everyone is in debt: drop the least recently used all the same, memory stays bounded.
    const oldest = this.buckets.keys().next();
    if (!oldest.done) this.buckets.delete(oldest.value);
  }
}

function perHour(n: number): BucketMap {
  return new BucketMap((n * 1000) / HOUR_MS, n);
}

export class Budgets {
  private readonly groups: BucketMap;
  private readonly membersAdded: BucketMap;
  private readonly directs: BucketMap;
  private readonly changes: BucketMap;
  private readonly reads: BucketMap;
  private readonly readBytes: BucketMap;
  private readonly searches: BucketMap;

  constructor(
    readonly policy: AbusePolicy,
    private readonly now: () => number,
  ) {
    this.groups = perHour(policy.groupsPerHour);
    this.membersAdded = perHour(policy.membersAddedPerHour);
    this.directs = perHour(policy.directsPerHour);
    this.changes = new BucketMap(policy.conversationChangesPerMinute / 60, policy.conversationChangesPerMinute);
    this.reads = new BucketMap(policy.readsPerSecond, policy.readsPerSecond * READ_BURST);
    this.readBytes = new BucketMap(policy.readBytesPerSecond, policy.readBytesPerSecond * READ_BYTES_BURST);
    this.searches = new BucketMap(policy.searchesPerMinute / 60, policy.searchesPerMinute);
  }

  createGroup(userId: string, members: number): void {
    this.spend(this.groups, userId, 1, 'you created too many groups recently');
    this.addMembers(userId, members);
  }

  addMembers(userId: string, count: number): void {
    if (count > 0) this.spend(this.membersAdded, userId, count, 'you added too many people to groups recently');
  }

  openDirect(userId: string): void {
    this.spend(this.directs, userId, 1, 'you started too many conversations recently');
  }

  changeConversation(conversationId: string): void {
    this.spend(this.changes, conversationId, 1, 'this conversation changed too often; wait a moment');
  }

  search(userId: string): void {
    this.spend(this.searches, userId, 1, 'too many searches; wait a moment');
  }

  /** Before a read request: refused while the account is over its request rate or in byte debt. */
  read(userId: string): void {
    this.spend(this.readBytes, userId, 0, 'you are reading too fast; wait a moment');
    this.spend(this.reads, userId, 1, 'too many requests; slow down');
  }

  /** After a read request: what its answer weighed. */
  readCost(userId: string, bytes: number): void {
    this.readBytes.get(userId, this.now()).charge(this.now(), bytes);
  }

  private spend(map: BucketMap, key: string, cost: number, message: string): void {
    const now = this.now();
    const wait = map.get(key, now).take(now, cost);
    if (wait > 0) throw new SharedBudgetSpent('rate_limited', message, wait);
  }
}
