import { describe, expect, it } from 'vitest';
import { parseHarnessArgs, UsageError } from '../../conformance/args.js';
import { parseTestList, regexArgument, tempestEnv } from '../../conformance/tempest.js';

describe('parseHarnessArgs', () => {
  it('defaults to a plain run', () => {
    expect(parseHarnessArgs(['identity'])).toEqual({ suite: 'identity', keep: false, list: false, concurrency: 2, timeoutSeconds: 1500 });
  });

  it('reads every option', () => {
    expect(parseHarnessArgs(['identity', '--keep', '--list', '--regex', 'tempest\\.api\\.identity\\.v3\\.test_tokens', '--min-pass-rate', '0.8', '--concurrency', '4', '--timeout', '60']))
      .toEqual({ suite: 'identity', keep: true, list: true, regex: 'tempest\\.api\\.identity\\.v3\\.test_tokens', minPassRate: 0.8, concurrency: 4, timeoutSeconds: 60 });
  });

  it('refuses what it cannot use', () => {
    expect(() => parseHarnessArgs([])).toThrow(UsageError);
    expect(() => parseHarnessArgs(['identity', 'network'])).toThrow(/unexpected/);
    expect(() => parseHarnessArgs(['identity', '--min-pass-rate', '80'])).toThrow(/0 to 1/);
    expect(() => parseHarnessArgs(['identity', '--concurrency', '1.5'])).toThrow(/whole/);
    expect(() => parseHarnessArgs(['identity', '--bogus'])).toThrow(UsageError);
  });
});

describe('tempest plumbing', () => {
  it('passes several regexes as one whitespace-separated --regex', () => {
    expect(regexArgument(['^a\\.', '^b\\.'])).toBe('^a\\. ^b\\.');
    expect(() => regexArgument(['a b'])).toThrow(/whitespace/);
  });

  it('keeps only test ids from a listing', () => {
    const text = 'WARNING something odd\n a.b.C.test_x[id-1,smoke]\n\na.b.C.test_y\n';
    expect(parseTestList(text)).toEqual(['a.b.C.test_x[id-1,smoke]', 'a.b.C.test_y']);
  });

  it('lets stestr pick tempest\'s interpreter and bounds each test', () => {
    const env = tempestEnv({ PYTHON: '/root/.pyenv/shims/python3', PATH: '/usr/bin' });
    expect(env.PYTHON).toBeUndefined();
    expect(env.OS_TEST_TIMEOUT).toBe('300');
    expect(tempestEnv({ OS_TEST_TIMEOUT: '60' }).OS_TEST_TIMEOUT).toBe('60');
  });
});
