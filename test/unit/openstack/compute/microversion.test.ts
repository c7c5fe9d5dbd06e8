import { describe, expect, it } from 'vitest';
import { KosError } from '../../../../src/core/errors.js';
import { MAX_MINOR, negotiate } from '../../../../src/openstack/compute/microversion.js';

const status = (f: () => unknown): number | undefined => {
  try { f(); } catch (e) { if (e instanceof KosError) return (e.details?.httpStatus as number | undefined) ?? e.status; }
  return undefined;
};

describe('compute microversion negotiation', () => {
  it('defaults to 2.1 and reads both headers, the new one winning', () => {
    expect(negotiate({})).toBe(1);
    expect(negotiate({ 'openstack-api-version': 'compute 2.47' })).toBe(47);
    expect(negotiate({ 'x-openstack-nova-api-version': '2.26' })).toBe(26);
    expect(negotiate({ 'openstack-api-version': 'compute 2.60', 'x-openstack-nova-api-version': '2.26' })).toBe(60);
    expect(negotiate({ 'openstack-api-version': 'volume 3.50, compute 2.3' })).toBe(3);
  });

  it('takes latest as the maximum, 2.93', () => {
    expect(negotiate({ 'openstack-api-version': 'compute latest' })).toBe(MAX_MINOR);
    expect(MAX_MINOR).toBe(93);
  });

  it('answers 400 for a malformed version and 406 for one out of range', () => {
    expect(status(() => negotiate({ 'openstack-api-version': 'compute 2.x' }))).toBe(400);
    expect(status(() => negotiate({ 'openstack-api-version': 'compute 2.94' }))).toBe(406);
    expect(status(() => negotiate({ 'openstack-api-version': 'compute 3.0' }))).toBe(406);
    expect(status(() => negotiate({ 'openstack-api-version': 'compute 2.0' }))).toBe(406);
  });
});
