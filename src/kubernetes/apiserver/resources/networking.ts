/**
 * Field checks the networking.k8s.io and discovery.k8s.io kinds share: ports (numbers or
 * IANA service names), protocols, CIDRs.
 */
import { invalid, notSupported, type FieldError } from '../field-errors.js';
import { isObject, type JsonObject } from '../object.js';

export const protocols = ['SCTP', 'TCP', 'UDP'];

const ianaServiceName = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A port given as a number (1–65535) or as a named port (an IANA service name). */
export function portProblem(port: unknown, path: string): FieldError | undefined {
  if (typeof port === 'number') return Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined : invalid(path, port, 'must be between 1 and 65535, inclusive');
  if (typeof port === 'string') {
    return port.length <= 15 && ianaServiceName.test(port) && !port.includes('--')
      ? undefined
      : invalid(path, port, 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-); must contain at least one letter (a-z); must be no more than 15 characters');
  }
  return invalid(path, port, 'must be an integer or a port name');
}

export function protocolProblem(p: JsonObject, path: string): FieldError | undefined {
  return p.protocol === undefined || protocols.includes(String(p.protocol)) ? undefined : notSupported(`${path}.protocol`, p.protocol, protocols);
}

/** An IPv4 or IPv6 CIDR such as 10.0.0.0/8 or fd00::/64. */
export function isCidr(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const [ip, bits, extra] = v.split('/');
  if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits) || ip === undefined) return false;
  if (ip.includes(':')) return Number(bits) <= 128 && /^[0-9a-fA-F:.]+$/.test(ip) && ip.split('::').length <= 2;
  const octets = ip.split('.');
  return Number(bits) <= 32 && octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

export const objectsIn = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
