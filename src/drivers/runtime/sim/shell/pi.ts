/**
 * Digits of π for the Job example's `perl -Mbignum=bpi -wle 'print bpi(2000)'`:
 * Machin's formula in BigInt fixed point, `digits` significant digits, truncated.
 */
function arctanInverse(x: bigint, scale: bigint): bigint {
  // arctan(1/x) = 1/x - 1/(3x^3) + 1/(5x^5) - …
  let power = scale / x;
  let sum = power;
  const x2 = x * x;
  for (let n = 3n, sign = -1n; power !== 0n; n += 2n, sign = -sign) {
    power /= x2;
    sum += (sign * power) / n;
  }
  return sum;
}

export function piDigits(digits: number): string {
  if (digits < 1) return '0';
  const guard = 10;
  const scale = 10n ** BigInt(digits - 1 + guard);
  const pi = 16n * arctanInverse(5n, scale) - 4n * arctanInverse(239n, scale);
  const text = (pi / 10n ** BigInt(guard)).toString();
  return digits === 1 ? text : `${text[0]}.${text.slice(1)}`;
}
