/**
 * mulberry32: a tiny seeded PRNG returning floats in [0, 1). Not for security; for tests
 * and benchmarks that need jitter they can replay (log the seed, rerun with it).
 */
export function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
