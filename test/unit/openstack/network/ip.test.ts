/** IP arithmetic: parsing, canonical formatting, CIDRs, overlaps and EUI-64. */
import { describe, expect, it } from 'vitest';
import {
  canonicalIp, contains, eui64, formatCidr, formatIp, lastOf, overlaps, parseCidr, parseIp, sizeOf,
} from '../../../../src/openstack/network/ip.js';

const cidr = (s: string) => {
  const c = parseCidr(s);
  if (!c) throw new Error(`bad cidr ${s}`);
  return c;
};

describe('addresses', () => {
  it('parses IPv4 and refuses malformed ones', () => {
    expect(parseIp('10.0.0.1')).toEqual({ version: 4, value: 0x0a000001n });
    expect(parseIp('255.255.255.255')?.value).toBe(0xffffffffn);
    for (const bad of ['10.0.0', '10.0.0.256', '10.0.0.1.2', 'a.b.c.d', '', '10.0.0.-1']) expect(parseIp(bad)).toBeUndefined();
  });

  it('parses IPv6 with :: and an IPv4 tail, and refuses two ::', () => {
    expect(parseIp('::1')).toEqual({ version: 6, value: 1n });
    expect(parseIp('2001:db8::')?.value).toBe(0x20010db8n << 96n);
    expect(parseIp('::ffff:10.0.0.1')?.value).toBe((0xffffn << 32n) | 0x0a000001n);
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', ':::']) expect(parseIp(bad)).toBeUndefined();
  });

  it('formats IPv6 canonically (RFC 5952: lowercase, longest zero run compressed, single zero kept)', () => {
    expect(canonicalIp('2001:DB8:0:0:0:0:0:0001')).toBe('2001:db8::1');
    expect(canonicalIp('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
    expect(canonicalIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIp('0:0:0:0:0:0:0:0')).toBe('::');
    expect(formatIp(4, 0xc0a80101n)).toBe('192.168.1.1');
  });
});

describe('CIDRs', () => {
  it('normalizes host bits away and measures the block', () => {
    const c = cidr('10.1.2.3/24');
    expect(formatCidr(c)).toBe('10.1.2.0/24');
    expect(sizeOf(c)).toBe(256n);
    expect(formatIp(4, lastOf(c))).toBe('10.1.2.255');
    expect(sizeOf(cidr('2001:db8::/64'))).toBe(1n << 64n);
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.0/8/1')).toBeUndefined();
  });

  it('tells containment and overlap, never across IP versions', () => {
    expect(contains(cidr('10.0.0.0/24'), parseIp('10.0.0.255')!.value)).toBe(true);
    expect(contains(cidr('10.0.0.0/24'), parseIp('10.0.1.0')!.value)).toBe(false);
    expect(overlaps(cidr('10.0.0.0/16'), cidr('10.0.200.0/24'))).toBe(true);
    expect(overlaps(cidr('10.0.0.0/24'), cidr('10.0.1.0/24'))).toBe(false);
    expect(overlaps(cidr('::/96'), cidr('0.0.0.0/0'))).toBe(false);
  });

  it('derives SLAAC EUI-64 addresses from a MAC (universal/local bit flipped, ff:fe inserted)', () => {
    expect(formatIp(6, eui64(cidr('2001:db8::/64'), '52:54:00:12:34:56'))).toBe('2001:db8::5054:ff:fe12:3456');
    expect(formatIp(6, eui64(cidr('fd00:1:2:3::/64'), 'fa:16:3e:aa:bb:cc'))).toBe('fd00:1:2:3:f816:3eff:feaa:bbcc');
  });
});
