import { describe, expect, it } from 'vitest';
import { canonical, formatQuantity } from '../../../../../src/kubernetes/controllers/nodes/quantity.js';

describe('canonical quantities', () => {
  it('prints integers with the largest exact decimal suffix and fractions in milli units', () => {
    expect(formatQuantity(2)).toBe('2');
    expect(formatQuantity(0.5)).toBe('500m');
    expect(formatQuantity(1.5)).toBe('1500m');
    expect(formatQuantity(0.1 + 0.2)).toBe('300m');
    expect(formatQuantity(2000)).toBe('2k');
    expect(formatQuantity(1500)).toBe('1500');
    expect(formatQuantity(0)).toBe('0');
  });

  it('keeps binary units for binary values, decimal below 1024', () => {
    expect(formatQuantity(2 ** 30, true)).toBe('1Gi');
    expect(formatQuantity(1536 * 2 ** 20, true)).toBe('1536Mi');
    expect(formatQuantity(512, true)).toBe('512');
  });

  it('canonicalises quantity strings as resource.Quantity.String does', () => {
    expect(canonical('1000m')).toBe('1');
    expect(canonical('1024Mi')).toBe('1Gi');
    expect(canonical('250m')).toBe('250m');
    expect(canonical('1G')).toBe('1G');
  });
});
