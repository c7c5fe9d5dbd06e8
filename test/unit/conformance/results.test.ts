import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { baseTestId, classOf, collectRecords, scoreSuite, type TestRecord } from '../../conformance/results.js';
import { decodeSubunit } from '../../conformance/subunit.js';
import { parseTestList } from '../../conformance/tempest.js';

const records = collectRecords(decodeSubunit(readFileSync(new URL('./fixtures/sample.subunit', import.meta.url))));
const listed = parseTestList(readFileSync(new URL('./fixtures/sample-list.txt', import.meta.url), 'utf8'));

describe('scoreSuite', () => {
  const result = scoreSuite(listed, records);
  const outcome = (suffix: string) => result.tests.find((t) => t.id.includes(suffix));

  it('counts every listed test exactly once', () => {
    expect(listed).toHaveLength(8);
    expect([result.passed, result.failed, result.skipped]).toEqual([2, 4, 2]);
    expect(result.passed + result.failed + result.skipped).toBe(listed.length);
  });

  it('gives the tests of a class whose setUpClass failed or skipped that outcome', () => {
    expect(outcome('BrokenSetUp.test_one')).toMatchObject({ outcome: 'failed', source: 'fixture' });
    expect(outcome('BrokenSetUp.test_two')?.detail).toContain('Connection refused');
    expect(outcome('SkippedClass.test_three')).toMatchObject({ outcome: 'skipped', source: 'fixture', detail: "Trusts aren't enabled" });
    expect(result.fixtureFailures.map((r) => r.id)).toEqual(['setUpClass (sample.test_sample.BrokenSetUp)']);
  });

  it('counts an expected failure as passed and a skip as not passed', () => {
    expect(outcome('test_expected_failure')?.outcome).toBe('passed');
    expect(outcome('test_skipped')).toMatchObject({ outcome: 'skipped', detail: 'Application credential access rules are not available' });
  });

  it('keeps the traceback and request log of a failure', () => {
    const failed = outcome('test_fail_not_found');
    expect(failed?.detail).toContain('LookupError: Object not found');
    expect(failed?.log).toContain('404 GET http://127.0.0.1:41234/v3/roles/');
  });

  it('counts a listed test without any result as failed', () => {
    const more = scoreSuite([...listed, 'sample.test_sample.Gone.test_never_ran[id-1]'], records);
    expect(more.failed).toBe(5);
    expect(more.tests.at(-1)).toMatchObject({ outcome: 'failed', source: 'missing', detail: 'no result: the test never ran' });
  });

  it('counts a test that started but never finished as failed', () => {
    const started: TestRecord = { id: 'p.C.test_hung', attachments: new Map() };
    const hung = scoreSuite(['p.C.test_hung'], new Map([['p.C.test_hung', started]]));
    expect(hung.tests[0]).toMatchObject({ outcome: 'failed', source: 'missing' });
  });

  it('matches a result to a listed id whatever the attribute suffix', () => {
    const withoutAttrs = scoreSuite(['sample.test_sample.PassingAndFailing.test_pass'], records);
    expect(withoutAttrs.passed).toBe(1);
  });
});

describe('test ids', () => {
  it('splits off attributes and the method', () => {
    expect(baseTestId('a.b.C.test_x[id-1,smoke]')).toBe('a.b.C.test_x');
    expect(classOf('a.b.C.test_x[id-1,smoke]')).toBe('a.b.C');
  });
});
