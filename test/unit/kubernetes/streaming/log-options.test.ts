import { describe, expect, it } from 'vitest';
import { parseLogOptions } from '../../../../src/kubernetes/apiserver/streaming/log-options.js';
import { StatusError } from '../../../../src/kubernetes/apiserver/status.js';

describe('parseLogOptions', () => {
  it('reads flags and numbers', () => {
    expect(parseLogOptions({ follow: 'true', tailLines: '10', sinceSeconds: '5', timestamps: '1', limitBytes: '100' })).toEqual({
      follow: true,
      timestamps: true,
      previous: false,
      tailLines: 10,
      sinceSeconds: 5,
      limitBytes: 100,
    });
    expect(parseLogOptions({})).toEqual({ follow: false, timestamps: false, previous: false });
  });

  it('accepts tailLines=0 but not sinceSeconds=0', () => {
    expect(parseLogOptions({ tailLines: '0' }).tailLines).toBe(0);
    try {
      parseLogOptions({ sinceSeconds: '0' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StatusError);
      expect((e as StatusError).status).toMatchObject({ code: 422, reason: 'Invalid', details: { causes: [{ field: 'sinceSeconds' }] } });
    }
  });

  it('refuses non-integers with 400', () => {
    expect(() => parseLogOptions({ tailLines: 'x' })).toThrow('invalid tailLines "x": must be an integer');
  });
});
