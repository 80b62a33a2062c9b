import { describe, expect, it } from 'vitest';
import { clientKey, parseTrustedProxies, trustedProxyMatcher } from './addresses';

describe('client addresses', () => {
  it('counts an IPv4 client by its address and an IPv6 client by its /64', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('parses --trust-proxy into CIDRs and matches socket addresses against them', () => {
    const parsed = parseTrustedProxies(' 10.1.2.3, 192.168.0.0/16 ,loopback,2001:db8::/32');
    expect(parsed).toEqual({ ok: true, entries: ['10.1.2.3/32', '192.168.0.0/16', '127.0.0.0/8', '::1/128', '2001:db8::/32'] });
    const trusted = trustedProxyMatcher(parsed.ok ? parsed.entries : []);
    for (const address of ['10.1.2.3', '192.168.77.1', '127.0.0.2', '::ffff:127.0.0.1', '::1', '2001:db8:ff::1']) expect([address, trusted(address)]).toEqual([address, true]);
    for (const address of ['10.1.2.4', '172.16.0.1', '2001:db9::1', 'garbage']) expect([address, trusted(address)]).toEqual([address, false]);
    expect(trustedProxyMatcher([])('127.0.0.1')).toBe(false);
  });

  it('names the entry it cannot read', () => {
    expect(parseTrustedProxies('10.0.0.1,example.com')).toEqual({ ok: false, bad: 'example.com' });
    expect(parseTrustedProxies('10.0.0.0/33')).toEqual({ ok: false, bad: '10.0.0.0/33' });
    expect(parseTrustedProxies('10.0.0.0/8/1')).toEqual({ ok: false, bad: '10.0.0.0/8/1' });
    expect(parseTrustedProxies('true')).toEqual({ ok: false, bad: 'true' });
    expect(parseTrustedProxies('')).toEqual({ ok: true, entries: [] });
  });
});
