import { TokenBucket } from '../token-bucket';

export interface AddressLimiterOptions {
  ratePerSec: number;
  burst: number;
  /** Addresses remembered at once: bounds memory under an address-spraying attack. */
  capacity: number;
}

interface Entry {
  bucket: TokenBucket;
  lastUsed: number;
}

/**
 * ------------------------------------------------------------------------------------
 * One token bucket per client key, in bounded memory, that an attacker cannot reset.
 *
 * Entries are kept in least-recently-used order. A bucket left alone for burst/rate
 * seconds is full again, and forgetting a full bucket changes nothing, so when the table
 * is full the least recently used entry is dropped if it has refilled. If even that one
 * has not (more than `capacity` clients spent tokens within the last burst/rate seconds),
 * nobody is forgotten: new clients share a single overflow bucket until room frees up.
 * Spraying addresses therefore slows the sprayer and other newcomers, and never hands a
 * limited client a fresh budget (clearing the table did that).
 * ------------------------------------------------------------------------------------
 */
export class AddressLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly refillMs: number;
  private overflow: TokenBucket | null = null;

  constructor(private readonly o: AddressLimiterOptions) {
    this.refillMs = (o.burst / o.ratePerSec) * 1000;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Takes one token for `key`: 0 if allowed, else the ms until one is available. */
  take(key: string, now: number): number {
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key); // re-inserted below: Map order is the LRU order
    } else if (this.entries.size >= this.o.capacity && !this.forgetOldest(now)) {
      this.overflow ??= new TokenBucket(this.o.ratePerSec, this.o.burst, now);
      return this.overflow.take(now);
    }
    entry ??= { bucket: new TokenBucket(this.o.ratePerSec, this.o.burst, now), lastUsed: now };
    entry.lastUsed = now;
    this.entries.set(key, entry);
    return entry.bucket.take(now);
  }

  /** Drops the least recently used entry if its bucket is full again. */
  private forgetOldest(now: number): boolean {
    const oldest = this.entries.entries().next();
    if (oldest.done || now - oldest.value[1].lastUsed < this.refillMs) return false;
    this.entries.delete(oldest.value[0]);
    return true;
  }
}
