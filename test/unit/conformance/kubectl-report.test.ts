import { describe, expect, it } from 'vitest';
import { areaTally, failedFile, failedSummary, scenarioCountsLine, scoreSteps, type StepOutcome } from '../../conformance/kubectl/report.js';

const outcome = (area: string, id: string, passed: boolean, over: Partial<StepOutcome> = {}): StepOutcome => ({
  area, id, passed, args: ['get', 'cm'], reasons: passed ? [] : [`${id} broke`],
  run: { code: passed ? 0 : 1, stdout: '', stderr: '', stopped: false, timedOut: false }, ...over,
});

const result = scoreSteps([
  outcome('get', 'a', true),
  outcome('get', 'b', false),
  outcome('apply', 'c', true),
  outcome('pods', 'logs', false, { args: ['logs', 'my pod'], reasons: ['exit code 1, expected 0', 'stdout does not match /x/'], run: { code: 1, stdout: 'out\n', stderr: 'Error from server\n', stopped: false, timedOut: false } }),
]);

describe('kubectl report', () => {
  it('counts passed and failed steps, with no skipped part', () => {
    expect([result.passed, result.failed]).toEqual([2, 2]);
    expect(scenarioCountsLine(result)).toBe('2 passed, 2 failed');
  });

  it('tallies per area in scenario order', () => {
    expect(areaTally(result)).toBe([
      'Per area (passed/run):',
      '      1/2  get  (1 failed)',
      '      1/1  apply',
      '      0/1  pods  (1 failed)',
    ].join('\n'));
  });

  it('summarises each failure by its first reason', () => {
    expect(failedSummary(result)).toBe('Failed steps:\n  get/b: b broke\n  pods/logs: exit code 1, expected 0');
    expect(failedSummary(scoreSteps([outcome('get', 'a', true)]))).toBe('No failures.');
  });

  it('writes each failed step with its command, reasons and output', () => {
    const text = failedFile(result);
    expect(text).toContain([
      '=== pods/logs',
      "$ kubectl logs 'my pod'",
      'reason: exit code 1, expected 0',
      'reason: stdout does not match /x/',
      'exit: 1',
      '--- stdout',
      'out',
      '--- stderr',
      'Error from server',
    ].join('\n'));
    expect(text).toContain('=== get/b\n');
    expect(text).not.toContain('get/a');
  });
});
