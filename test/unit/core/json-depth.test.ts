import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth } from '../../../src/core/json-depth.js';

const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(exceedsJsonDepth({ a: { b: [1, 'x', null] } }, 3)).toBe(false);
    expect(exceedsJsonDepth({ a: { b: [[1]] } }, 3)).toBe(true);
    expect(exceedsJsonDepth('plain', 0)).toBe(false);
  });

  it('walks bodies far deeper than the stack allows without overflowing', () => {
    expect(exceedsJsonDepth(nested(1000))).toBe(false);
    expect(exceedsJsonDepth(nested(1001))).toBe(true);
    expect(exceedsJsonDepth(nested(200_000))).toBe(true);
  });
});
