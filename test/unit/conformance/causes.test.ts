import { describe, expect, it } from 'vitest';
import { causeOf, exceptionOf, groupCauses, lastFailedRequest, normalize } from '../../conformance/causes.js';
import type { TestOutcome } from '../../conformance/results.js';

// As tempest 33 on Python 3.11 prints them: frames, code lines, ^^^ markers, then the
// exception with the server's answer on a Details line.
const NOT_FOUND = `Traceback (most recent call last):

  File "/usr/lib/python3/dist-packages/tempest/api/identity/admin/v3/test_roles.py", line 60, in test_x
    self.roles_client.show_role(role_id)

  File "/usr/lib/python3/dist-packages/tempest/lib/common/rest_client.py", line 880, in _error_checker
    raise exceptions.NotFound(resp_body, resp=resp)
    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

tempest.lib.exceptions.NotFound: Object not found
Details: {'error': {'code': 404, 'message': 'Could not find role: 0f4b0a55ed0c4c1c9e7f3ad3a1d2b3c4.', 'title': 'Not Found'}}
`;

const failed = (id: string, detail: string, extra: Partial<TestOutcome> = {}): TestOutcome =>
  ({ id, className: id.slice(0, id.lastIndexOf('.')), outcome: 'failed', source: 'test', detail, ...extra });

describe('exceptionOf', () => {
  it('keeps the exception and its Details line', () => {
    expect(exceptionOf(NOT_FOUND)).toBe(
      "tempest.lib.exceptions.NotFound: Object not found | Details: {'error': {'code': 404, 'message': 'Could not find role: 0f4b0a55ed0c4c1c9e7f3ad3a1d2b3c4.', 'title': 'Not Found'}}",
    );
  });

  it('takes the first line of something that is not a traceback', () => {
    expect(exceptionOf('worker crashed\nexit 1\n')).toBe('worker crashed');
  });

  it('takes the last line of a traceback cut after its last frame', () => {
    expect(exceptionOf('Traceback (most recent call last):\n  File "x.py", line 1, in t\n    f()\n')).toBe('f()');
  });
});

describe('normalize', () => {
  it('blanks ids, generated names, addresses, ports and durations', () => {
    expect(normalize('role 0f4b0a55ed0c4c1c9e7f3ad3a1d2b3c4 user 8a2c1b8e-5f0e-4a43-9b1c-0f6a9d6b2e11'))
      .toBe('role <id> user <uuid>');
    expect(normalize("name 'tempest-RolesV3TestJSON-1234567890' at 0x7f739ce96a10 port=41234 in 0.012s"))
      .toBe("name '<name>' at <addr> port=<port> in <t>");
    expect(normalize('GET http://127.0.0.1:41234/v3/users')).toBe('GET /v3/users');
  });
});

describe('lastFailedRequest', () => {
  it('finds the last call answered with an error', () => {
    const log = [
      'Request (RolesV3TestJSON:test_x): 201 POST http://127.0.0.1:41234/v3/roles 0.010s',
      'Request (RolesV3TestJSON:test_x): 501 GET http://127.0.0.1:41234/v3/roles/0f4b0a55ed0c4c1c9e7f3ad3a1d2b3c4/implies 0.002s',
      'Request (RolesV3TestJSON:test_x): 204 DELETE http://127.0.0.1:41234/v3/roles/x 0.002s',
    ].join('\n');
    expect(lastFailedRequest(log)).toBe('501 GET /v3/roles/<id>/implies');
    expect(lastFailedRequest('Request (C:t): 200 GET http://h/v3 0.1s')).toBeUndefined();
  });
});

describe('causeOf and groupCauses', () => {
  it('groups failures that differ only in ids, most frequent first', () => {
    const other = NOT_FOUND.replaceAll('0f4b0a55ed0c4c1c9e7f3ad3a1d2b3c4', '11111111222233334444555566667777');
    const log = 'Request (C:t): 404 GET http://127.0.0.1:1/v3/roles/0f4b0a55ed0c4c1c9e7f3ad3a1d2b3c4 0.1s';
    const groups = groupCauses([
      failed('p.C.test_a', NOT_FOUND, { log }),
      failed('p.C.test_b', other, { log }),
      failed('p.D.test_c', 'Traceback (most recent call last):\n  File "x.py", line 1, in t\n    f()\nValueError: bad'),
    ]);
    expect(groups.map((g) => [g.count, g.tests.length])).toEqual([[2, 2], [1, 1]]);
    expect(groups[0]?.cause).toContain('Could not find role: <id>.');
    expect(groups[0]?.requests).toEqual(['404 GET /v3/roles/<id>']);
    expect(groups[1]?.cause).toBe('ValueError: bad');
  });

  it('marks class-level causes and explains tests that never ran', () => {
    expect(causeOf(failed('p.C.t', 'Traceback (most recent call last):\n  File "x", line 1, in s\n    g()\nKeyError: 1', { source: 'fixture' })))
      .toBe('setUpClass: KeyError: 1');
    expect(causeOf(failed('p.C.t', 'no result: the test never ran', { source: 'missing' }))).toBe('no result: the test never ran');
  });
});
