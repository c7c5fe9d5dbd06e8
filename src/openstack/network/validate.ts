/**
 * Typed attribute validators, neutron-lib style: each returns the normalized value or
 * throws Neutron's 400 (`Invalid input for <attr>. Reason: …`).
 */
import { badRequest } from './errors.js';
import { canonicalIp, parseCidr, formatCidr } from './ip.js';

export type Check = (value: unknown, attr: string) => unknown;

export const invalid = (attr: string, reason: string): never => {
  throw badRequest(`Invalid input for ${attr}. Reason: ${reason}.`);
};

export const str =
  (max = 255): Check =>
  (v, attr) => {
    if (typeof v !== 'string') return invalid(attr, `'${JSON.stringify(v)}' is not a valid string`);
    if (v.length > max) return invalid(attr, `'${v}' exceeds maximum length of ${max}`);
    return v;
  };

export const nullableStr =
  (max = 255): Check =>
  (v, attr) =>
    v === null ? null : str(max)(v, attr);

export const bool: Check = (v, attr) => {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  if (v === 0 || v === 1) return v === 1;
  return invalid(attr, `'${String(v)}' cannot be converted to boolean`);
};

export const int =
  (min?: number, max?: number): Check =>
  (v, attr) => {
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) return invalid(attr, `'${String(v)}' is not an integer`);
    if (min !== undefined && n < min) return invalid(attr, `'${n}' is too small - must be at least '${min}'`);
    if (max !== undefined && n > max) return invalid(attr, `'${n}' is too large - must be no larger than '${max}'`);
    return n;
  };

export const nullableInt =
  (min?: number, max?: number): Check =>
  (v, attr) =>
    v === null ? null : int(min, max)(v, attr);

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
export const uuidStr: Check = (v, attr) =>
  typeof v === 'string' && UUID.test(v) ? v : invalid(attr, `'${String(v)}' is not a valid UUID`);
export const nullableUuid: Check = (v, attr) => (v === null ? null : uuidStr(v, attr));

export const ipAddr: Check = (v, attr) => {
  const c = typeof v === 'string' ? canonicalIp(v) : undefined;
  return c ?? invalid(attr, `'${String(v)}' is not a valid IP address`);
};
export const nullableIp: Check = (v, attr) => (v === null ? null : ipAddr(v, attr));

export const cidrStr: Check = (v, attr) => {
  const c = typeof v === 'string' ? parseCidr(v) : undefined;
  return c ? formatCidr(c) : invalid(attr, `'${String(v)}' is not a valid IP subnet`);
};

export const oneOf =
  (values: readonly (string | null)[]): Check =>
  (v, attr) =>
    values.includes(v as string | null) ? v : invalid(attr, `'${String(v)}' is not in ${JSON.stringify(values)}`);

export const list =
  (item: Check): Check =>
  (v, attr) => {
    if (v === null) return [];
    if (!Array.isArray(v)) return invalid(attr, `'${JSON.stringify(v)}' is not a list`);
    return v.map((x) => item(x, attr));
  };

export const object: Check = (v, attr) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? v : invalid(attr, `'${JSON.stringify(v)}' is not a dictionary`);

export const anything: Check = (v) => v;

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;
export const macAddr: Check = (v, attr) => {
  if (typeof v !== 'string' || !MAC.test(v.replaceAll('-', ':'))) return invalid(attr, `'${String(v)}' is not a valid MAC address`);
  const mac = v.replaceAll('-', ':').toLowerCase();
  if (mac === '00:00:00:00:00:00' || mac === 'ff:ff:ff:ff:ff:ff') return invalid(attr, `'${String(v)}' is not a valid MAC address`);
  return mac;
};
