import { describe, expect, it } from 'vitest';
import { ResourceCatalog } from '../../../../src/kubernetes/apiserver/catalog.js';
import { strictDecodingMessage, UnknownFieldChecker } from '../../../../src/kubernetes/apiserver/openapi/index.js';
import { builtinResources } from '../../../../src/kubernetes/apiserver/resources/index.js';

const checker = new UnknownFieldChecker(new ResourceCatalog(builtinResources));
const find = (kind: string) => {
  const def = builtinResources.find((r) => r.kind === kind && (kind !== 'Event' || r.group === ''));
  if (!def) throw new Error(kind);
  return def;
};

describe('unknown fields against the published schemas', () => {
  it('accepts a well-formed deployment, free-form maps included', () => {
    const body = {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', labels: { anything: 'goes' }, annotations: { x: 'y' } },
      spec: {
        replicas: 1, selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: { limits: { cpu: '1' } } }] } },
      },
    };
    expect(checker.check(find('Deployment'), body)).toEqual([]);
  });

  it('names unknown fields with the paths the real server prints', () => {
    const body = {
      apiVersion: 'apps/v1', kind: 'Deployment', bogus: 1,
      metadata: { name: 'web', labelz: {} },
      spec: { selector: {}, template: { spec: { containers: [{ name: 'a' }, { name: 'b', imagePullPolicyy: 'Always' }] } } },
    };
    expect(checker.check(find('Deployment'), body)).toEqual([
      'bogus', 'metadata.labelz', 'spec.template.spec.containers[1].imagePullPolicyy',
    ]);
  });

  it('words the Strict rejection as the real server does', () => {
    expect(strictDecodingMessage({ kind: 'ConfigMap', version: 'v1' }, ['metadata.labelz', 'x'])).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.labelz", unknown field "x"',
    );
  });
});
