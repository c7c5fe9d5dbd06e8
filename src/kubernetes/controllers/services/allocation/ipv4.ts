/** IPv4 addresses as numbers, and the service CIDR they are allocated from. */

export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const octet = Number(p);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export interface Cidr {
  text: string;
  /** The network address as a number. */
  base: number;
  /** Addresses in the block, network and broadcast included. */
  size: number;
}

export function parseCidr(text: string): Cidr {
  const [addr = '', bitsText = ''] = text.split('/');
  const ip = parseIPv4(addr);
  const bits = Number(bitsText);
  if (ip === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) throw new Error(`bad IPv4 CIDR ${text}`);
  const size = 2 ** (32 - bits);
  return { text, base: ip - (ip % size), size };
}
