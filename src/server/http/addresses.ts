import { BlockList, isIP, isIPv4 } from 'node:net';

/**
 * Client addresses as the HTTP limits see them: which reverse proxies are trusted to name
 * the client (X-Forwarded-For), and the key one client is counted under.
 */

/** The names proxy-addr (and so Fastify) understands, spelled out. */
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** `--trust-proxy` text to a list of `address/prefix` entries, or the first entry that is not one. */
export function parseTrustedProxies(text: string): { ok: true; entries: string[] } | { ok: false; bad: string } {
  const entries: string[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const named = NAMED_RANGES[item];
    if (named) {
      entries.push(...named);
      continue;
    }
    const [address = '', prefixText, extra] = item.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
    if (family === 0 || extra !== undefined || prefix < 0 || prefix > max) return { ok: false, bad: item };
    entries.push(`${address}/${prefix}`);
  }
  return { ok: true, entries };
}

/** A predicate over socket addresses for entries from parseTrustedProxies. */
export function trustedProxyMatcher(entries: readonly string[]): (address: string) => boolean {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix = ''] = entry.split('/');
    list.addSubnet(address, Number(prefix), isIPv4(address) ? 'ipv4' : 'ipv6');
  }
  return (address) => {
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack listener) as `192.0.2.1`. */
export function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/**
 * The key one client is counted under: an IPv4 address, or an IPv6 /64. One host gets a
 * whole /64 from its provider, so counting single IPv6 addresses would give an attacker
 * 2^64 fresh budgets.
 */
export function clientKey(address: string): string {
  const plain = unmapped(address);
  if (isIP(plain) !== 6) return plain;
  const groups = ipv6Groups(plain.split('%')[0] ?? '');
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

function ipv6Groups(address: string): number[] {
  // An embedded IPv4 tail (::ffff:0:192.0.2.1) fills the last two groups; only the first four matter here.
  const parse = (part: string) => (part === '' ? [] : part.split(':').flatMap((h) => (h.includes('.') ? [0, 0] : [parseInt(h, 16)])));
  const gap = address.indexOf('::');
  if (gap < 0) return parse(address);
  const head = parse(address.slice(0, gap));
  const tail = parse(address.slice(gap + 2));
  return [...head, ...Array<number>(Math.max(0, 8 - head.length - tail.length)).fill(0), ...tail];
}
