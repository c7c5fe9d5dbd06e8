/**
 * IP addresses as bigints, for IPv4 and IPv6 alike: parsing, formatting, CIDR arithmetic.
 * Every IPAM computation (pools, overlaps, allocation) works on these numbers.
 */
export type IpVersion = 4 | 6;

export interface Cidr {
  version: IpVersion;
  /** First address (the network address). */
  base: bigint;
  prefix: number;
}

const bitsOf = (v: IpVersion): number => (v === 4 ? 32 : 128);

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.split('::').length > 2) return undefined;
  let tail = s;
  let v4Tail: bigint | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    v4Tail = parseV4(s.slice(lastColon + 1));
    if (v4Tail === undefined) return undefined;
    tail = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = tail.split('::');
  const h = head === '' ? [] : head.split(':');
  const r = rest === undefined ? [] : rest === '' ? [] : rest.split(':');
  const missing = 8 - h.length - r.length;
  if (rest === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...h, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...r];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (v4Tail !== undefined) n = (n & ~0xffffffffn) | v4Tail;
  return n;
}

export function parseIp(s: string): { version: IpVersion; value: bigint } | undefined {
  if (typeof s !== 'string') return undefined;
  if (s.includes(':')) {
    const value = parseV6(s);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseV4(s);
  return value === undefined ? undefined : { version: 4, value };
}

export function formatIp(version: IpVersion, n: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  // Compress the longest run of zero groups (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Parse `a.b.c.d/n`; `strict` refuses host bits (Neutron accepts and normalizes them for subnets). */
export function parseCidr(s: string): Cidr | undefined {
  if (typeof s !== 'string') return undefined;
  const [addr = '', len, extra] = s.split('/');
  if (extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const bits = bitsOf(ip.version);
  const prefix = len === undefined ? bits : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) return undefined;
  return { version: ip.version, base: ip.value & maskOf(ip.version, prefix), prefix };
}

export const maskOf = (v: IpVersion, prefix: number): bigint => {
  const bits = BigInt(bitsOf(v));
  const all = (1n << bits) - 1n;
  return (all >> BigInt(prefix)) ^ all;
};

export const sizeOf = (c: Cidr): bigint => 1n << BigInt(bitsOf(c.version) - c.prefix);
export const lastOf = (c: Cidr): bigint => c.base + sizeOf(c) - 1n;
export const formatCidr = (c: Cidr): string => `${formatIp(c.version, c.base)}/${c.prefix}`;
export const contains = (c: Cidr, v: bigint): boolean => v >= c.base && v <= lastOf(c);
export const overlaps = (a: Cidr, b: Cidr): boolean =>
  a.version === b.version && a.base <= lastOf(b) && b.base <= lastOf(a);

/** The canonical text of an address (`2001:DB8::0001` → `2001:db8::1`), or undefined. */
export function canonicalIp(s: string): string | undefined {
  const ip = parseIp(s);
  return ip ? formatIp(ip.version, ip.value) : undefined;
}

/** EUI-64 interface identifier of a MAC inside a /64 prefix (SLAAC). */
export function eui64(prefix: Cidr, mac: string): bigint {
  const bytes = mac.split(':').map((h) => BigInt(parseInt(h, 16)));
  const b = [...bytes.slice(0, 3), 0xffn, 0xfen, ...bytes.slice(3)];
  b[0] = (b[0] ?? 0n) ^ 0x02n;
  let iid = 0n;
  for (const x of b) iid = (iid << 8n) | x;
  return prefix.base | iid;
}
