import { describe, expect, it } from 'vitest';
import { isKosError } from '../../../../../src/core/errors.js';
import {
  decodeProtobufBody,
  ProtobufDecodeError,
  UnsupportedProtobufKindError,
} from '../../../../../src/kubernetes/apimachinery/protobuf/index.js';
import { bytes, envelope, mapEntry, message, str, sub, varint } from './encoder.js';

const intOrStringInt = (n: number, value: number): Uint8Array => sub(n, varint(1, 0), varint(2, value));
const quantity = (n: number, value: string): Uint8Array => sub(n, str(1, value));

describe('decodeProtobufBody', () => {
  it('decodes a Secret: bytes map values become base64, unknown fields are skipped', () => {
    const raw = message(
      sub(1, str(1, 's'), str(3, ''), varint(99, 1)),
      mapEntry(2, 'a', bytes(2, Buffer.from('b'))),
      mapEntry(2, 'bin', bytes(2, Uint8Array.of(0, 255))),
      str(3, 'Opaque'),
      varint(99, 7),
    );
    const decoded = decodeProtobufBody(envelope('v1', 'Secret', raw));
    expect(decoded.apiVersion).toBe('v1');
    expect(decoded.kind).toBe('Secret');
    expect(decoded.object).toEqual({
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 's' },
      data: { a: 'Yg==', bin: 'AP8=' },
      type: 'Opaque',
    });
  });

  it('decodes a Deployment with a PodSpec the way Go would write it as JSON', () => {
    const labels = mapEntry(11, 'app', str(2, 'd'));
    const container = message(
      str(1, 'c'),
      str(2, 'nginx'),
      sub(6, varint(3, 80), str(4, '')),
      sub(8, mapEntry(1, 'cpu', quantity(2, '500m'))),
      sub(10, sub(1, sub(2, str(1, '/healthz'), intOrStringInt(2, 8080))), varint(4, 10)),
      str(13, ''),
      varint(16, false),
    );
    const podSpec = message(
      sub(1, str(1, 'v'), sub(2, sub(2, str(1, '')))), // volume v, emptyDir {}
      sub(2, container),
      varint(4, 30),
      // runAsUser 0 is present (a pointer), supplementalGroups packed
      sub(14, varint(2, 0), bytes(4, Uint8Array.of(0xe8, 0x07, 0xd0, 0x0f))),
    );
    const raw = message(
      sub(1, str(1, 'd'), labels, sub(8)),
      sub(2,
        varint(1, 0),
        sub(2, mapEntry(1, 'app', str(2, 'd'))),
        sub(3, sub(1, labels), sub(2, podSpec)),
        sub(4),
        varint(5, 0)),
      sub(3),
    );
    expect(decodeProtobufBody(envelope('apps/v1', 'Deployment', raw)).object).toEqual({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'd', labels: { app: 'd' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: {
            volumes: [{ name: 'v', emptyDir: {} }],
            containers: [{
              name: 'c',
              image: 'nginx',
              ports: [{ containerPort: 80 }],
              resources: { limits: { cpu: '500m' } },
              livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
            }],
            terminationGracePeriodSeconds: 30,
            securityContext: { runAsUser: 0, supplementalGroups: [1000, 2000] },
          },
        },
        strategy: {},
      },
      status: {},
    });
  });

  it('keeps Go key order: kind, apiVersion, then fields in struct order', () => {
    const raw = message(str(3, 'Opaque'), sub(1, str(1, 's')), mapEntry(4, 'k', str(2, 'v')));
    expect(Object.keys(decodeProtobufBody(envelope('v1', 'Secret', raw)).object))
      .toEqual(['kind', 'apiVersion', 'metadata', 'stringData', 'type']);
  });

  it('decodes metadata times, owner references, managed fields and sorted annotations', () => {
    const raw = message(sub(1,
      str(1, 'cm'),
      sub(8, varint(1, 1_700_000_000)),
      mapEntry(12, 'z', str(2, '1')),
      mapEntry(12, 'a', str(2, '2')),
      sub(13, str(5, 'apps/v1'), str(1, 'Deployment'), str(3, 'd'), str(4, 'uid-1'), varint(6, true)),
      sub(17, str(1, 'kubectl'), str(2, 'Apply'), sub(4, varint(1, 0)), str(6, 'FieldsV1'), sub(7, str(1, '{"f:data":{}}'))),
    ));
    const { object } = decodeProtobufBody(envelope('v1', 'ConfigMap', raw));
    expect(object).toEqual({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {
        name: 'cm',
        creationTimestamp: '2023-11-14T22:13:20Z',
        annotations: { a: '2', z: '1' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'uid-1', controller: true }],
        managedFields: [{
          manager: 'kubectl', operation: 'Apply', time: '1970-01-01T00:00:00Z',
          fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} },
        }],
      },
    });
    expect(Object.keys((object['metadata'] as Record<string, unknown>)['annotations'] as object)).toEqual(['a', 'z']);
  });

  it('decodes a policy/v1 Eviction with its DeleteOptions', () => {
    const raw = message(
      sub(1, str(1, 'p'), str(3, 'default')),
      sub(2, varint(1, 0), sub(2, str(1, 'u')), str(5, 'All')),
    );
    expect(decodeProtobufBody(envelope('policy/v1', 'Eviction', raw)).object).toEqual({
      kind: 'Eviction',
      apiVersion: 'policy/v1',
      metadata: { name: 'p', namespace: 'default' },
      deleteOptions: { gracePeriodSeconds: 0, preconditions: { uid: 'u' }, dryRun: ['All'] },
    });
  });

  it('decodes a SubjectAccessReview whose extra values are named slices', () => {
    const raw = message(
      sub(1),
      sub(2,
        sub(1, str(2, 'get'), str(5, 'pods')),
        str(3, 'alice'),
        str(4, 'g'),
        mapEntry(5, 'scopes', sub(2, str(1, 'a'), str(1, 'b'))),
        mapEntry(5, 'empty', sub(2))),
    );
    expect(decodeProtobufBody(envelope('authorization.k8s.io/v1', 'SubjectAccessReview', raw)).object).toEqual({
      kind: 'SubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {},
      spec: {
        resourceAttributes: { verb: 'get', resource: 'pods' },
        user: 'alice',
        groups: ['g'],
        extra: { empty: null, scopes: ['a', 'b'] },
      },
      status: { allowed: false },
    });
  });

  it('decodes an autoscaling/v2 HorizontalPodAutoscaler with resource metrics', () => {
    const raw = message(
      sub(1, str(1, 'h')),
      sub(2,
        sub(1, str(1, 'Deployment'), str(2, 'd'), str(3, 'apps/v1')),
        varint(2, 1),
        varint(3, 5),
        sub(4, str(1, 'Resource'), sub(4, str(1, 'cpu'), sub(2, str(1, 'Utilization'), varint(4, 80)))),
        sub(4, str(1, 'Resource'), sub(4, str(1, 'memory'), sub(2, str(1, 'AverageValue'), quantity(3, '1Gi'))))),
    );
    expect(decodeProtobufBody(envelope('autoscaling/v2', 'HorizontalPodAutoscaler', raw)).object).toEqual({
      kind: 'HorizontalPodAutoscaler',
      apiVersion: 'autoscaling/v2',
      metadata: { name: 'h' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'd', apiVersion: 'apps/v1' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } } },
        ],
      },
      status: { desiredReplicas: 0, currentMetrics: null },
    });
  });

  it('merges a message field sent twice, as protobuf does', () => {
    const raw = message(sub(1, str(1, 'n')), sub(1, str(3, 'ns')));
    expect(decodeProtobufBody(envelope('v1', 'ServiceAccount', raw)).object['metadata']).toEqual({ name: 'n', namespace: 'ns' });
  });

  it('answers 415 naming the kind when no descriptor exists', () => {
    const body = envelope('apps/v1', 'ControllerRevision', sub(1, str(1, 'x')));
    expect(() => decodeProtobufBody(body)).toThrow(UnsupportedProtobufKindError);
    expect(() => decodeProtobufBody(body)).toThrow(/apps\/v1, Kind=ControllerRevision/);
    try {
      decodeProtobufBody(body);
    } catch (e) {
      expect(isKosError(e) && e.status).toBe(415);
    }
    const gzip = envelope('v1', 'Secret', new Uint8Array(0), [str(3, 'gzip')]);
    expect(() => decodeProtobufBody(gzip)).toThrow(/contentEncoding gzip/);
  });

  it('answers 400 for bodies that are not well-formed', () => {
    const bad: Array<[Uint8Array, RegExp]> = [
      [Buffer.from('{"kind":"Secret"}'), /k8s\\0 prefix/],
      [envelope('v1', '', new Uint8Array(0)), /names no kind/],
      [envelope('v1', 'Secret', varint(1, 5)), /v1\.Secret\.metadata: expected a length-delimited/],
      [envelope('v1', 'Secret', str(2, 'x')).subarray(0, 30), /truncated|runs past/],
      [envelope('v1', 'Secret', sub(1, varint(1, 1))), /ObjectMeta\.name: expected a length-delimited/],
    ];
    for (const [body, message] of bad) {
      let error: unknown;
      try {
        decodeProtobufBody(body);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ProtobufDecodeError);
      expect((error as Error).message).toMatch(message);
      expect((error as ProtobufDecodeError).status).toBe(400);
    }
  });
});
