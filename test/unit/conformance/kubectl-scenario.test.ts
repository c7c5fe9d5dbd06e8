// The scenario runner with /bin/sh standing in for kubectl: real processes, no cluster.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { invoke } from '../../conformance/kubectl/invoke.js';
import { placeholders, runScenario, selectedSteps, substitute } from '../../conformance/kubectl/scenario.js';
import type { Area } from '../../conformance/kubectl/step.js';

const sh = { kubectl: '/bin/sh', env: process.env, cwd: tmpdir() };

describe('placeholders', () => {
  it('finds and substitutes ${name}', () => {
    expect(placeholders('uid: "${ownerUid}" and ${x}')).toEqual(['ownerUid', 'x']);
    expect(substitute('a ${x} ${y}', new Map([['x', '1']]))).toBe('a 1 ${y}');
  });
});

describe('selectedSteps', () => {
  const areas: Area[] = [
    { name: 'get', steps: [{ id: 'a', args: [], expect: {} }, { id: 'b', args: [], expect: {} }] },
    { name: 'apply', steps: [{ id: 'a', args: [], expect: {} }] },
  ];
  it('keeps run order and filters on <area>/<id>', () => {
    expect(selectedSteps(areas).map((s) => `${s.area}/${s.step.id}`)).toEqual(['get/a', 'get/b', 'apply/a']);
    expect(selectedSteps(areas, /\/a$/).map((s) => `${s.area}/${s.step.id}`)).toEqual(['get/a', 'apply/a']);
  });
});

describe('runScenario', () => {
  it('goes on after a failure, saves values and substitutes them later', async () => {
    const areas: Area[] = [{
      name: 'demo',
      steps: [
        { id: 'fails', args: ['-c', 'echo nope >&2; exit 2'], expect: { stdout: [/yes/] } },
        { id: 'saves', args: ['-c', 'echo \'{"metadata":{"uid":"u-42"}}\''], save: { uid: 'metadata.uid' }, expect: {} },
        { id: 'uses', args: ['-c', 'cat'], stdin: 'owner ${uid}\n', expect: { stdout: [/^owner u-42$/m] } },
        { id: 'unsaved', args: ['-c', 'echo ${never}'], expect: {} },
      ],
    }];
    const seen: string[] = [];
    const result = await runScenario(areas, sh, { onStep: (o) => seen.push(o.id) });
    expect(seen).toEqual(['fails', 'saves', 'uses', 'unsaved']);
    expect(result.steps.map((s) => [s.id, s.passed])).toEqual([['fails', false], ['saves', true], ['uses', true], ['unsaved', false]]);
    expect(result.steps[0]?.reasons).toEqual(['exit code 2, expected 0', 'stdout does not match /yes/']);
    expect(result.steps[0]?.run.stderr).toBe('nope\n');
    expect(result.steps[3]?.reasons).toEqual(['${never} was not saved: the step that saves it failed']);
  });
});

describe('invoke', () => {
  it('stops a long-running command as soon as its output is there', async () => {
    const started = Date.now();
    const run = await invoke({ id: 'w', args: ['-c', 'echo Forwarding; sleep 20'], stopAfterMs: 10_000, expect: { stdout: [/Forwarding/] } }, sh);
    expect(run).toMatchObject({ stopped: true, timedOut: false, stdout: 'Forwarding\n' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('kills a command past its timeout', async () => {
    const run = await invoke({ id: 't', args: ['-c', 'sleep 20'], timeoutMs: 200, expect: {} }, sh);
    expect(run).toMatchObject({ timedOut: true, stopped: false, code: null });
  });
});
