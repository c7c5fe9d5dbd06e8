import { describe, expect, it } from 'vitest';
import { failureReasons, valueAt, type Invocation } from '../../conformance/kubectl/checks.js';
import type { Step } from '../../conformance/kubectl/step.js';

const ran = (over: Partial<Invocation> = {}): Invocation => ({ code: 0, stdout: '', stderr: '', stopped: false, timedOut: false, ...over });
const step = (expect: Step['expect'], over: Partial<Step> = {}): Step => ({ id: 's', args: [], expect, ...over });

describe('valueAt', () => {
  const doc = { items: [{ metadata: { name: 'a' } }], data: { n: 0 } };
  it('follows keys and array indexes', () => {
    expect(valueAt(doc, 'items.0.metadata.name')).toEqual({ present: true, value: 'a' });
    expect(valueAt(doc, 'data.n')).toEqual({ present: true, value: 0 });
  });
  it('reports what is not there', () => {
    expect(valueAt(doc, 'items.1')).toEqual({ present: false });
    expect(valueAt(doc, 'data.n.x')).toEqual({ present: false });
    expect(valueAt(doc, 'items.name')).toEqual({ present: false });
  });
});

describe('failureReasons', () => {
  it('passes when every expectation holds', () => {
    expect(failureReasons(step({ stdout: [/^ok$/m], notStdout: [/bad/], stderr: [/warn/] }), ran({ stdout: 'ok\n', stderr: 'warn' }))).toEqual([]);
  });

  it('lists every unmet expectation', () => {
    const reasons = failureReasons(step({ code: 1, stdout: [/^yes$/m], notStdout: [/^no$/m] }), ran({ code: 0, stdout: 'no\n' }));
    expect(reasons).toEqual(['exit code 0, expected 1', 'stdout does not match /^yes$/m', 'stdout matches /^no$/m, which it must not']);
  });

  it('ignores the exit code of a command the runner stopped', () => {
    expect(failureReasons(step({ stdout: [/Forwarding/] }, { stopAfterMs: 10 }), ran({ code: null, stopped: true, stdout: 'Forwarding from' }))).toEqual([]);
  });

  it('reports a timeout alone', () => {
    expect(failureReasons(step({ stdout: [/x/] }, { timeoutMs: 5_000 }), ran({ code: null, timedOut: true }))).toEqual(['timed out after 5 s']);
  });

  it('checks JSON values by equality, pattern and presence', () => {
    const stdout = JSON.stringify({ spec: { replicas: 2, ports: [{ port: 80 }] }, metadata: { uid: 'u-1' } });
    const expectation = {
      json: [
        { path: 'spec.replicas', equals: 3 },
        { path: 'spec.ports', equals: [{ port: 80 }] },
        { path: 'metadata.uid', matches: /^x/ },
        { path: 'metadata.labels' },
        { path: 'spec', exists: false },
        { path: 'status', exists: false },
      ],
    };
    expect(failureReasons(step(expectation), ran({ stdout }))).toEqual([
      'spec.replicas is 2, expected 3',
      'metadata.uid is "u-1", does not match /^x/',
      'metadata.labels is missing',
      'spec is present ({"replicas":2,"ports":[{"port":80}]}), expected absent',
    ]);
  });

  it('says when stdout is not JSON', () => {
    expect(failureReasons(step({ json: [{ path: 'a' }] }), ran({ stdout: 'Error' }))).toEqual(['stdout is not JSON']);
  });
});
