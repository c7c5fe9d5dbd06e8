/**
 * Quantities as the quota and LimitRange messages print them: resource.Quantity's
 * canonical form ("1", "500m", "1Gi", "2k"), which keeps the binary or decimal flavour of
 * the value it came from. Values are plain numbers; sums are rounded to nano units so
 * that 0.1 + 0.2 prints as "300m".
 */
import { parseQuantity } from '../../apiserver/resources/quantity.js';

export interface Amount {
  value: number;
  /** Printed with Ki/Mi/Gi… (the first operand of a sum decides, as in Go). */
  binary: boolean;
}

const binarySuffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const decimalSuffixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/** A quantity string (or number) as an Amount; undefined when malformed. */
export function amountOf(q: unknown): Amount | undefined {
  const value = parseQuantity(q);
  if (value === undefined) return undefined;
  return { value, binary: typeof q === 'string' && /[KMGTPE]i$/.test(q.trim()) };
}

/** Rounded to nano units: the finest a Quantity holds. */
export const normalize = (v: number): number => Math.round(v * 1e9) / 1e9;

/** The canonical text of a value: integers with the largest exact suffix, fractions in milli (or smaller) units. */
export function formatQuantity(value: number, binary = false): string {
  const v = normalize(value);
  if (v === 0) return '0';
  if (!Number.isInteger(v)) {
    for (const [factor, suffix] of [[1e3, 'm'], [1e6, 'u'], [1e9, 'n']] as const) {
      const scaled = Math.round(v * factor * 1e6) / 1e6;
      if (Number.isInteger(scaled)) return `${scaled}${suffix}`;
    }
    return `${Math.round(v * 1e9)}n`;
  }
  // Go prints small binary values (|v| < 1024) in decimal form.
  if (binary && Math.abs(v) >= 1024) {
    let i = 0;
    let m = v;
    while (i < binarySuffixes.length - 1 && m % 1024 === 0) {
      m /= 1024;
      i++;
    }
    return `${m}${binarySuffixes[i]}`;
  }
  let i = 0;
  let m = v;
  while (i < decimalSuffixes.length - 1 && m % 1000 === 0) {
    m /= 1000;
    i++;
  }
  return `${m}${decimalSuffixes[i]}`;
}

export const formatAmount = (a: Amount): string => formatQuantity(a.value, a.binary);

/** The canonical text of a quantity string as given (e.g. "1000m" → "1"). */
export function canonical(q: unknown): string {
  const a = amountOf(q);
  return a ? formatAmount(a) : String(q);
}
