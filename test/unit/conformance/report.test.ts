import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { causesFile, classTally, countsLine, failedList, failureGroups, topCauses } from '../../conformance/report.js';
import { collectRecords, scoreSuite } from '../../conformance/results.js';
import { decodeSubunit } from '../../conformance/subunit.js';
import { parseTestList } from '../../conformance/tempest.js';

const result = scoreSuite(
  parseTestList(readFileSync(new URL('./fixtures/sample-list.txt', import.meta.url), 'utf8')),
  collectRecords(decodeSubunit(readFileSync(new URL('./fixtures/sample.subunit', import.meta.url)))),
);

describe('report', () => {
  it('closes with the plain counts line CI reads', () => {
    expect(countsLine(result)).toBe('2 passed, 4 failed, 2 skipped');
    expect(countsLine({ passed: 0, failed: 0, skipped: 0 })).toMatch(/^\d+ passed, \d+ failed, \d+ skipped$/);
  });

  it('tallies per class', () => {
    expect(classTally(result).split('\n')).toEqual([
      'Per class (passed/listed):',
      '      0/2  sample.test_sample.BrokenSetUp  (2 failed)',
      '      2/5  sample.test_sample.PassingAndFailing  (2 failed, 1 skipped)',
      '      0/1  sample.test_sample.SkippedClass  (1 skipped)',
    ]);
  });

  it('lists failed ids, one a line, for tempest --load-list', () => {
    expect(failedList(result).trim().split('\n')).toEqual([
      'sample.test_sample.BrokenSetUp.test_one',
      'sample.test_sample.BrokenSetUp.test_two',
      'sample.test_sample.PassingAndFailing.test_fail_assert',
      'sample.test_sample.PassingAndFailing.test_fail_not_found',
    ]);
  });

  it('puts the most frequent cause first, with the failing call', () => {
    const groups = failureGroups(result);
    const top = topCauses(groups);
    expect(top).toContain('Top failure causes (3 distinct):');
    expect(top.split('\n')[1]).toContain('2 × setUpClass: ConnectionRefusedError: [Errno 111] Connection refused');
    expect(top).toContain('calls: 404 GET /v3/roles/<id>');
    const file = causesFile(result, groups);
    expect(file).toContain("    sample.test_sample.BrokenSetUp.test_two\n");
    expect(file).toContain('Failed class fixtures:\n    setUpClass (sample.test_sample.BrokenSetUp)');
  });
});

// Three results cut from a real identity run of tempest 33 against kos (subunit-filter),
// with the request logs trimmed to tempest's INFO lines (no request bodies).
describe('a real tempest stream', () => {
  const ids = [
    'tempest.api.identity.admin.v3.test_trusts.TrustsV3TestJSON.test_get_trusts_all[id-4773ebd5-ecbf-4255-b8d8-b63e6f72b65d,smoke]',
    'tempest.api.identity.v3.test_api_discovery.TestApiDiscovery.test_api_version_resources[id-b9232f5e-d9e5-4d97-b96c-28d3db4de1bd,smoke]',
    'tempest.api.identity.v3.test_users.IdentityV3UsersTest.test_password_history_check_self_service_api[id-941784ee-5342-4571-959b-b80dd2cea516]',
  ];
  const real = scoreSuite(ids, collectRecords(decodeSubunit(readFileSync(new URL('./fixtures/tempest-identity.subunit', import.meta.url)))));

  it('counts it', () => {
    expect(countsLine(real)).toBe('1 passed, 1 failed, 1 skipped');
  });

  it('names the cause and the call that failed', () => {
    const [group] = failureGroups(real);
    expect(group?.cause).toBe(
      "tempest.lib.exceptions.NotFound: Object not found | Details: {'code': 404, 'title': 'Not Found', 'message': 'The resource could not be found: POST /v3/OS-TRUST/trusts'}",
    );
    expect(group?.requests).toEqual(['404 POST /v3/OS-TRUST/trusts']);
  });

  it('gives the skip reason', () => {
    expect(real.tests[2]?.detail).toBe('Security compliance not available.');
  });
});
