import { describe, expect, it } from 'vitest';
import {
  dropPath,
  FieldValidator,
  parseFieldValidation,
  pathSegments,
  warningHeaderValue,
} from '../../../../src/kubernetes/apiserver/apply/field-validation.js';
import { ResourceCatalog } from '../../../../src/kubernetes/apiserver/catalog.js';
import { builtinResources } from '../../../../src/kubernetes/apiserver/resources/index.js';
import { StatusError } from '../../../../src/kubernetes/apiserver/status.js';

const validator = new FieldValidator(new ResourceCatalog(builtinResources));
const deployment = builtinResources.find((r) => r.kind === 'Deployment')!;

const body = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    foo: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y', imagePullPolicyy: 'Always' }] } },
  },
});

describe('fieldValidation', () => {
  it('parses the directive, Warn by default, 400 for anything else', () => {
    expect(parseFieldValidation(undefined)).toBe('Warn');
    expect(parseFieldValidation('Strict')).toBe('Strict');
    expect(parseFieldValidation('Ignore')).toBe('Ignore');
    expect(() => parseFieldValidation('strict')).toThrow(/Unsupported value: "strict"/);
  });

  it('Strict refuses with the real strict decoding message and leaves the body alone', () => {
    const b = body();
    let err: unknown;
    try {
      validator.enforce(deployment, b, 'Strict');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    const status = (err as StatusError).status;
    expect(status.code).toBe(400);
    expect(status.reason).toBe('BadRequest');
    expect(status.message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", unknown field "spec.template.spec.containers[1].imagePullPolicyy"',
    );
    expect(b.spec.foo).toBe(1);
  });

  it('Warn drops the fields and reports each one', () => {
    const b = body();
    expect(validator.enforce(deployment, b, 'Warn').warnings).toEqual([
      'unknown field "spec.foo"',
      'unknown field "spec.template.spec.containers[1].imagePullPolicyy"',
    ]);
    expect('foo' in b.spec).toBe(false);
    expect(b.spec.template.spec.containers[1]).toEqual({ name: 'b', image: 'y' });
  });

  it('Ignore drops the fields silently', () => {
    const b = body();
    expect(validator.enforce(deployment, b, 'Ignore').warnings).toEqual([]);
    expect('foo' in b.spec).toBe(false);
  });

  it('writes paths, segments and Warning headers as the server does', () => {
    expect(pathSegments('spec.containers[0].ports[12].x')).toEqual(['spec', 'containers', 0, 'ports', 12, 'x']);
    const o = { a: [{ b: { c: 1, d: 2 } }] };
    dropPath(o, 'a[0].b.c');
    dropPath(o, 'a[3].b.c');
    expect(o).toEqual({ a: [{ b: { d: 2 } }] });
    expect(warningHeaderValue('unknown field "spec.foo"')).toBe('299 - "unknown field \\"spec.foo\\""');
  });
});

describe('apply requests', () => {
  it('needs a field manager (422 as PatchOptions validation) and one YAML or JSON object', async () => {
    const { requireFieldManager, parseAppliedConfiguration } = await import('../../../../src/kubernetes/apiserver/apply/server-side-apply.js');
    expect(requireFieldManager('kubectl')).toBe('kubectl');
    let err: unknown;
    try {
      requireFieldManager(undefined);
    } catch (e) {
      err = e;
    }
    expect((err as StatusError).status.code).toBe(422);
    expect((err as StatusError).status.message).toContain('fieldManager: Required value: is required for apply patch');
    const enc = new TextEncoder();
    expect(parseAppliedConfiguration(enc.encode('metadata:\n  name: x\n'))).toEqual({ metadata: { name: 'x' } });
    expect(parseAppliedConfiguration(enc.encode('{"metadata":{"name":"x"}}'))).toEqual({ metadata: { name: 'x' } });
    expect(() => parseAppliedConfiguration(enc.encode('[1]'))).toThrow(/must be an object/);
  });
});
