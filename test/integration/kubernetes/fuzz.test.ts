/**
 * Malformed requests against an in-process cluster: a seeded generator sends a few
 * thousand of them (bad JSON, wrong types, huge strings, deep nesting, bad selectors and
 * resourceVersions, unknown content types, protobuf garbage, random paths and verbs) as
 * the admin, so every one reaches the handlers. None may be answered with a 5xx, and the
 * server must still serve afterwards.
 *
 * Every request carries a probe name (`<probe> <METHOD> <route>`). The 5xx answers known
 * today are allow-listed by that name, so the test fails on any new one; an entry goes
 * once the server is fixed (the test then says it is stale).
 *
 * Replay another sequence with KOS_FUZZ_SEED=<n> (and KOS_FUZZ_COUNT=<n>).
 */
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './fixture.js';
import { seededRandom as randomSource } from '../../../src/core/random.js';

const SEED = Number(process.env.KOS_FUZZ_SEED ?? 20261126);
const COUNT = Number(process.env.KOS_FUZZ_COUNT ?? 2500);
const CONCURRENCY = 8;

/**
 * 5xx answers known today, by probe name; anything else fails the test.
 * (none: bodies nested deeper than 1000 levels are refused while decoding, as the real
 * server does, before anything recursive sees them)
 */
const KNOWN_5XX: ReadonlySet<string> = new Set<string>([]);

/**
 * Requests known to get no answer at all, by HTTP method, with the reason. Node's HTTP
 * server hands CONNECT to a 'connect' listener and, without one, destroys the socket; the
 * real API server answers it like any other unknown verb (405).
 */
const KNOWN_UNANSWERED: ReadonlyMap<string, string> = new Map([
  ['CONNECT', 'Node drops a CONNECT nobody listens for; the real server answers 405'],
]);

// ---------------------------------------------------------------- seeded randomness

const TEXT_ALPHABET = Array.from('abcXYZ019-_.~/:?#[]@!$&\'()*+,;=% "\\\u0000\u00e9\u4e2d\u{1f600}\n\t{}<>|^`');

class Dice {
  constructor(private readonly next: () => number) {}
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i += 1) out[i] = this.int(256);
    return out;
  }
  /** Random characters, whole code points only (encodeURIComponent refuses lone surrogates). */
  text(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += this.pick(TEXT_ALPHABET);
    return out;
  }
}

// ---------------------------------------------------------------- the requests

interface FuzzRequest {
  /** `<probe> <METHOD> <route>`: what the allow-list names. */
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

/** Collections (route name, path) that exist, so bodies reach decoding and validation. */
const COLLECTIONS: readonly (readonly [string, string])[] = [
  ['configmaps', '/api/v1/namespaces/default/configmaps'],
  ['secrets', '/api/v1/namespaces/default/secrets'],
  ['pods', '/api/v1/namespaces/default/pods'],
  ['services', '/api/v1/namespaces/default/services'],
  ['namespaces', '/api/v1/namespaces'],
  ['nodes', '/api/v1/nodes'],
  ['deployments', '/apis/apps/v1/namespaces/default/deployments'],
  ['jobs', '/apis/batch/v1/namespaces/default/jobs'],
  ['hpa-v1', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers'],
  ['hpa-v2', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers'],
  ['roles', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles'],
  ['clusterrolebindings', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings'],
  ['crds', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'],
  ['events', '/apis/events.k8s.io/v1/namespaces/default/events'],
  ['ingresses', '/apis/networking.k8s.io/v1/namespaces/default/ingresses'],
  ['selfsubjectaccessreviews', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'],
  ['subjectaccessreviews', '/apis/authorization.k8s.io/v1/subjectaccessreviews'],
  ['tokenreviews', '/apis/authentication.k8s.io/v1/tokenreviews'],
];

/** Objects the fixture creates before fuzzing, so item routes and subresources exist. */
const ITEMS: readonly (readonly [string, string])[] = [
  ['configmap', '/api/v1/namespaces/default/configmaps/fuzz-cm'],
  ['deployment', '/apis/apps/v1/namespaces/default/deployments/fuzz-deploy'],
  ['deployment/scale', '/apis/apps/v1/namespaces/default/deployments/fuzz-deploy/scale'],
  ['deployment/status', '/apis/apps/v1/namespaces/default/deployments/fuzz-deploy/status'],
  ['pod', '/api/v1/namespaces/default/pods/fuzz-pod'],
  ['pod/status', '/api/v1/namespaces/default/pods/fuzz-pod/status'],
  ['pod/log', '/api/v1/namespaces/default/pods/fuzz-pod/log'],
  ['pod/exec', '/api/v1/namespaces/default/pods/fuzz-pod/exec'],
  ['pod/eviction', '/api/v1/namespaces/default/pods/fuzz-pod/eviction'],
  ['serviceaccount/token', '/api/v1/namespaces/default/serviceaccounts/default/token'],
  ['namespace', '/api/v1/namespaces/default'],
  ['missing', '/api/v1/namespaces/default/configmaps/does-not-exist'],
];

const OTHER_PATHS: readonly string[] = [
  '/', '/api', '/apis', '/api/v1', '/apis/apps/v1', '/version', '/healthz', '/openapi/v2',
  '/openapi/v3', '/openapi/v3/api/v1', '/openapi/v3/apis/apps/v1', '/apis/metrics.k8s.io/v1beta1/pods',
];

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const ODD_METHODS = ['PROPFIND', 'TRACE', 'CONNECT', 'FOO', 'LOCK', 'SEARCH', 'PURGE'] as const;

const JSON_TYPE = 'application/json';
const PATCH_TYPES = ['application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const ODD_TYPES = ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded',
  'application/yaml', 'application/json; charset=latin1', 'application/json;;;', '*/*', 'garbage', '', 'application/vnd.kubernetes.protobuf;stream=watch'];
const ACCEPTS = ['application/json', 'application/json;as=Table;v=v1;g=meta.k8s.io', 'application/json;as=Table;v=v9;g=meta.k8s.io',
  'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', 'application/vnd.kubernetes.protobuf', 'application/yaml',
  'text/html', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', ';;;', '*/*;q=x'];

const BAD_SELECTORS = ['a=', '=b', 'a in (', 'a in (b,', 'a notin b', '!', 'a==b==c', 'a!=', '(', ')', 'a in ()', 'a,,b',
  'a=b,!', 'x'.repeat(70_000), 'a in (b c)', '\u0000', 'a=%zz', 'metadata.name', 'a>1', 'a=b\nc=d', '🙂=🙂'];
const BAD_FIELD_SELECTORS = ['metadata.name', 'metadata.name==', 'spec.nodeName=a,status.phase', 'data.a=b', 'metadata.name=a=b',
  '=', ',', 'metadata.name!=a,,', 'status.phase in (a)', 'involvedObject.name=x', 'x'.repeat(70_000)];
const BAD_VERSIONS = ['-1', 'abc', '99999999999999999999999', '1.5', '0x10', ' 1', '', '9007199254740993', '1e3', 'NaN', '-0', '00000000000000000001'];
const QUERY_KEYS = ['limit', 'continue', 'timeoutSeconds', 'dryRun', 'fieldValidation', 'fieldManager', 'force',
  'propagationPolicy', 'gracePeriodSeconds', 'orphanDependents', 'allowWatchBookmarks', 'resourceVersionMatch',
  'sendInitialEvents', 'includeObject', 'pretty', 'tailLines', 'sinceSeconds', 'container', 'follow', 'command', 'stdin'];
const QUERY_VALUES = ['-1', '0', 'x', 'true', 'All', 'Strict', 'Bogus', '1e309', '99999999999999999999', '', '%', 'NotOlderThan',
  'Exact', 'Foreground', 'a'.repeat(5_000), '[]', '{}', 'null'];

/** Bodies that are not JSON at all, or JSON of the wrong shape. */
function badJsonBody(d: Dice): string {
  const good = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fuzz-x' }, data: { a: 'b' } });
  return d.pick([
    () => good.slice(0, d.int(good.length)),
    () => good.replace('{', '['),
    () => `${good}${good}`,
    () => '{"a":}',
    () => '\ufeff{}',
    () => '{"metadata":{"name":"a","name":"b"}}',
    () => d.text(d.int(200)),
    () => 'null',
    () => '[]',
    () => '"string"',
    () => '123e45678',
    () => '{"a":"\\ud800"}',
    () => '{"__proto__":{"polluted":true},"metadata":{"name":"fuzz-proto"}}',
    () => '{"constructor":{"prototype":{"x":1}}}',
  ])();
}

/** Well-formed JSON with values of the wrong types where objects, strings and numbers go. */
function wrongTypesBody(d: Dice): string {
  const odd = (): unknown => d.pick<unknown>([null, 5, -1, 1.5, 'x', true, [], {}, [1, 'a'], { a: { b: {} } }, 1e308, -0, '1']);
  const name = d.chance(0.7) ? `fuzz-${d.int(1_000_000)}` : odd();
  const body: Record<string, unknown> = {
    apiVersion: d.pick<unknown>(['v1', 'apps/v1', odd(), 'nope/v9']),
    kind: d.pick<unknown>(['ConfigMap', 'Deployment', 'Pod', odd(), 'Nope']),
    metadata: d.chance(0.15) ? odd() : {
      name,
      namespace: d.chance(0.3) ? odd() : 'default',
      labels: d.chance(0.5) ? { [d.pick(['a', 'bad key', '', 'x/y/z', 'k'.repeat(300)])]: odd() } : odd(),
      annotations: d.chance(0.5) ? { a: odd() } : odd(),
      resourceVersion: d.chance(0.5) ? d.pick(BAD_VERSIONS) : odd(),
      ownerReferences: d.chance(0.5) ? [{ apiVersion: odd(), kind: odd(), name: odd(), uid: odd() }] : odd(),
      finalizers: odd(),
      generateName: d.chance(0.3) ? odd() : undefined,
      managedFields: d.chance(0.2) ? odd() : undefined,
      deletionTimestamp: d.chance(0.2) ? d.pick(['yesterday', '2020-13-45T99:99:99Z', 5]) : undefined,
    },
    data: d.chance(0.5) ? { a: odd() } : odd(),
    stringData: d.chance(0.3) ? { a: odd() } : undefined,
    binaryData: d.chance(0.3) ? { a: d.pick(['!!notbase64', odd()]) } : undefined,
    spec: d.chance(0.2) ? odd() : {
      replicas: odd(),
      selector: d.chance(0.5) ? { matchLabels: odd(), matchExpressions: [{ key: odd(), operator: d.pick(['In', 'Bogus', odd()]), values: odd() }] } : odd(),
      template: d.chance(0.5) ? { metadata: odd(), spec: { containers: d.chance(0.5) ? [{ name: odd(), image: odd(), ports: [{ containerPort: odd(), protocol: odd() }], env: odd() }] : odd() } } : odd(),
      containers: odd(),
      ports: [{ port: odd(), targetPort: odd(), protocol: odd() }],
      type: odd(),
      rules: [{ verbs: odd(), apiGroups: odd(), resources: odd() }],
      resourceAttributes: d.chance(0.5) ? { verb: odd(), resource: odd(), namespace: odd() } : odd(),
      token: odd(),
      group: odd(),
      names: odd(),
      versions: odd(),
      scope: odd(),
      scaleTargetRef: odd(),
      metrics: odd(),
    },
    status: d.chance(0.3) ? odd() : undefined,
    subjects: d.chance(0.3) ? [{ kind: odd(), name: odd() }] : undefined,
    roleRef: d.chance(0.3) ? odd() : undefined,
  };
  return JSON.stringify(body);
}

/** Oversized or overdeep bodies, each with the variant's name for the probe name. */
function hugeBody(d: Dice): [variant: string, body: string] {
  const big = 'x'.repeat(d.pick([70_000, 300_000, 1_100_000]));
  const configMap = (metadata: unknown, data?: unknown): string => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata, data });
  return d.pick<() => [string, string]>([
    () => ['long-name', configMap({ name: big })],
    () => ['long-label', configMap({ name: 'fuzz-huge', labels: { a: big } })],
    () => ['long-annotation', configMap({ name: 'fuzz-huge', annotations: { a: big } })],
    () => ['long-key', configMap({ name: `fuzz-${d.int(1e9)}` }, { [big.slice(0, 300)]: 'v' })],
    () => ['many-labels', configMap({ name: 'fuzz-wide', labels: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, 'v'])) })],
    () => ['deep-array', `{"metadata":{"name":"fuzz-deep"},"data":${'['.repeat(5_000)}${']'.repeat(5_000)}}`],
    () => ['deep-object', `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`],
  ])();
}

/** Bytes that claim to be protobuf: no magic, the magic then noise, or a plausible envelope with a broken inner message. */
function protobufGarbage(d: Dice): Buffer {
  const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
  const field = (tag: number, payload: Buffer): Buffer => Buffer.concat([Buffer.from([(tag << 3) | 2]), varint(payload.length), payload]);
  const typeMeta = field(1, Buffer.concat([field(1, Buffer.from(d.pick(['v1', 'apps/v1', 'x']))), field(2, Buffer.from(d.pick(['ConfigMap', 'Deployment', 'Secret', 'Nope'])))]));
  return d.pick([
    () => d.bytes(d.int(300)),
    () => Buffer.concat([magic, d.bytes(d.int(300))]),
    () => Buffer.concat([magic, typeMeta, field(2, d.bytes(d.int(200)))]),
    () => Buffer.concat([magic, typeMeta, Buffer.from([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f]), d.bytes(10)]),
    () => Buffer.concat([magic, Buffer.from([0x0a]), Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])]),
    () => Buffer.concat([magic, typeMeta, field(2, Buffer.concat([field(1, field(1, d.bytes(20))), Buffer.from([0x0f, 0x07])]))]),
    () => magic,
    () => Buffer.concat([magic, typeMeta, field(2, Buffer.alloc(0)), field(3, Buffer.from('gzip'))]),
  ])();
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

function randomPath(d: Dice): string {
  const segment = (): string => d.pick([
    'api', 'apis', 'v1', 'namespaces', 'default', 'configmaps', 'pods', 'status', 'scale', 'log', 'watch', 'proxy',
    '..', '.', '', '%2e%2e', '%00', '%zz', '%ff%fe', 'a'.repeat(d.int(3_000)), encodeURIComponent(d.text(8)), d.text(4),
    'apps', 'v1beta1', 'v99', 'kube-system', 'nodes', 'x:y', '~', '*',
  ]);
  const parts = Array.from({ length: 1 + d.int(9) }, segment);
  return `/${parts.join('/')}`.replace(/[\s#?]/g, (c) => encodeURIComponent(c));
}

function query(d: Dice): string {
  const params: string[] = [];
  const add = (key: string, value: string): void => {
    params.push(`${encodeURIComponent(key)}=${d.chance(0.1) ? value : encodeURIComponent(value)}`);
  };
  const n = d.int(4);
  for (let i = 0; i < n; i += 1) add(d.pick(QUERY_KEYS), d.pick(QUERY_VALUES));
  return params.length ? `?${params.join('&')}` : '';
}

type Probe = (d: Dice) => FuzzRequest;

const json = (body: string): Buffer => Buffer.from(body, 'utf8');

const PROBES: readonly (readonly [string, Probe])[] = [
  ['bad-json', (d) => {
    const [route, path] = d.pick(COLLECTIONS);
    const method = d.pick(['POST', 'PUT']);
    const target = method === 'PUT' ? d.pick(ITEMS) : [route, path] as const;
    return { name: `bad-json ${method} ${target[0]}`, method, path: target[1], headers: { 'content-type': JSON_TYPE }, body: json(badJsonBody(d)) };
  }],
  ['wrong-types', (d) => {
    const useItem = d.chance(0.4);
    const [route, path] = useItem ? d.pick(ITEMS) : d.pick(COLLECTIONS);
    const method = useItem ? 'PUT' : 'POST';
    return { name: `wrong-types ${method} ${route}`, method, path: path + query(d), headers: { 'content-type': JSON_TYPE }, body: json(wrongTypesBody(d)) };
  }],
  ['bad-patch', (d) => {
    const [route, path] = d.pick(ITEMS);
    const type = d.pick(PATCH_TYPES);
    const body = d.pick([
      () => badJsonBody(d),
      () => wrongTypesBody(d),
      () => JSON.stringify([{ op: d.pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus']), path: d.pick(['/metadata/labels/a', '', '/', '/-', '/spec/replicas/0', '/~2', '/metadata/~1', 'nopath', '/a/b/c/d']), from: d.pick(['/x', '', 5]), value: d.pick([1, 'x', null, {}]) }]),
      () => JSON.stringify({ $patch: d.pick(['delete', 'replace', 'bogus', 5]), metadata: { $retainKeys: d.pick([5, ['a'], 'x']), $setElementOrder: 'x' }, spec: { template: { spec: { containers: [{ $patch: 'delete' }], $setElementOrder: { containers: [{ name: 1 }] } } } } }),
      () => JSON.stringify({ $deleteFromPrimitiveList: { finalizers: 'x' }, '$deleteFromPrimitiveList/finalizers': 5 }),
      () => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${d.pick(['fuzz-cm', '[', '*a', '&b'])}}\ndata: ${d.pick(['{a: 1}', '!!binary x', '- a', ': :', '{{'])}`,
      () => '',
    ])();
    return { name: `bad-patch PATCH ${route} ${type.replace('application/', '')}`, method: 'PATCH', path: path + query(d), headers: { 'content-type': type }, body: json(body) };
  }],
  ['huge', (d) => {
    const [route, path] = d.pick(COLLECTIONS.slice(0, 2));
    const [variant, body] = hugeBody(d);
    return { name: `huge POST ${route} ${variant}`, method: 'POST', path, headers: { 'content-type': JSON_TYPE }, body: json(body) };
  }],
  ['bad-selector', (d) => {
    const [route, path] = d.pick(COLLECTIONS);
    const key = d.chance(0.5) ? 'labelSelector' : 'fieldSelector';
    const value = key === 'labelSelector' ? d.pick(BAD_SELECTORS) : d.pick(BAD_FIELD_SELECTORS);
    const method = d.pick(['GET', 'GET', 'DELETE']);
    return { name: `bad-selector ${method} ${route} ${key}`, method, path: `${path}?${key}=${encodeURIComponent(value)}${query(d).replace('?', '&')}`, headers: {} };
  }],
  ['bad-resource-version', (d) => {
    const [route, path] = d.chance(0.7) ? d.pick(COLLECTIONS) : d.pick(ITEMS);
    const watch = d.chance(0.3) ? '&watch=true&timeoutSeconds=1' : '';
    const match = d.chance(0.4) ? `&resourceVersionMatch=${d.pick(['Exact', 'NotOlderThan', 'Bogus', ''])}` : '';
    const limit = d.chance(0.3) ? `&limit=${d.pick(['1', '-5', 'x', '0'])}` : '';
    return { name: `bad-resource-version GET ${route}${watch ? ' watch' : ''}`, method: 'GET', path: `${path}?resourceVersion=${encodeURIComponent(d.pick(BAD_VERSIONS))}${watch}${match}${limit}`, headers: {} };
  }],
  ['bad-continue', (d) => {
    const [route, path] = d.pick(COLLECTIONS);
    const token = d.pick([
      () => Buffer.from(d.text(30)).toString('base64'),
      () => Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: d.pick([-1, 'x', 1e20, null]), start: d.pick(['\u0000', '../', 5]) })).toString('base64'),
      () => d.text(20),
      () => '',
    ])();
    return { name: `bad-continue GET ${route}`, method: 'GET', path: `${path}?limit=${d.pick(['1', '500', '-1'])}&continue=${encodeURIComponent(token)}`, headers: {} };
  }],
  ['odd-content-type', (d) => {
    const [route, path] = d.chance(0.6) ? d.pick(COLLECTIONS) : d.pick(ITEMS);
    const method = d.pick(['POST', 'PUT', 'PATCH']);
    const type = d.pick(ODD_TYPES);
    return { name: `odd-content-type ${method} ${route}`, method, path, headers: { 'content-type': type }, body: json(d.chance(0.5) ? '{"metadata":{"name":"fuzz-odd"}}' : d.text(50)) };
  }],
  ['protobuf-garbage', (d) => {
    const [route, path] = d.chance(0.8) ? d.pick(COLLECTIONS) : d.pick(ITEMS);
    const method = route.includes('/') || !COLLECTIONS.some(([r]) => r === route) ? d.pick(['PUT', 'POST']) : 'POST';
    return { name: `protobuf-garbage ${method} ${route}`, method, path, headers: { 'content-type': 'application/vnd.kubernetes.protobuf' }, body: protobufGarbage(d) };
  }],
  ['odd-accept', (d) => {
    const [route, path] = d.pick([...COLLECTIONS, ...ITEMS]);
    return { name: `odd-accept GET ${route}`, method: 'GET', path: path + query(d), headers: { accept: d.pick(ACCEPTS) } };
  }],
  ['random-verb', (d) => {
    const [route, path] = d.pick([...COLLECTIONS, ...ITEMS, ...OTHER_PATHS.map((p) => [p, p] as const)]);
    const method = d.pick(ODD_METHODS);
    return { name: `random-verb ${method} ${route}`, method, path, headers: {} };
  }],
  ['random-path', (d) => {
    const method = d.pick(METHODS);
    const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
    return {
      name: `random-path ${method}`, method, path: randomPath(d) + query(d),
      headers: withBody ? { 'content-type': d.pick([JSON_TYPE, ...PATCH_TYPES]) } : {},
      ...(withBody && { body: json(d.chance(0.5) ? badJsonBody(d) : '{}') }),
    };
  }],
  ['bad-query', (d) => {
    const [route, path] = d.pick([...COLLECTIONS, ...ITEMS]);
    const method = d.pick(['GET', 'DELETE', 'POST']);
    const body = method === 'GET' ? undefined : json(d.pick(['{}', '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Bogus"}',
      '{"gracePeriodSeconds":"x","preconditions":{"uid":5}}', '{"dryRun":"All"}', '{"orphanDependents":true,"propagationPolicy":"Foreground"}']));
    return { name: `bad-query ${method} ${route}`, method, path: path + query(d), headers: body ? { 'content-type': JSON_TYPE } : {}, ...(body && { body }) };
  }],
];

function generateRequests(seed: number, count: number): FuzzRequest[] {
  const d = new Dice(randomSource(seed));
  return Array.from({ length: count }, () => {
    const request = d.pick(PROBES)[1](d);
    return { ...request, path: sendablePath(request.path) };
  });
}

/** Node refuses to send a request line with spaces, controls or non-ASCII: percent-encode just those. */
function sendablePath(path: string): string {
  return path.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

// ---------------------------------------------------------------- sending

interface Answer {
  readonly request: FuzzRequest;
  /** 0: the connection failed without an answer. */
  readonly status: number;
  readonly error?: string;
}

let cluster: TestCluster;
let agent: https.Agent;
let freshAgent: https.Agent;
let base: URL;

/**
 * Sends once on a kept-alive connection; a connection that breaks without an answer is
 * retried once on a connection of its own, since a reused socket the server has just
 * closed (or reset after refusing an oversized body) is not the request's fault.
 */
async function send(request: FuzzRequest): Promise<Answer> {
  const first = await sendOn(request, agent);
  return first.status === 0 ? sendOn(request, freshAgent) : first;
}

function sendOn(request: FuzzRequest, via: https.Agent): Promise<Answer> {
  return new Promise((resolve) => {
    const req = https.request({
      host: base.hostname, port: base.port, path: request.path, method: request.method, agent: via,
      headers: { ...request.headers, ...(request.body && { 'content-length': String(request.body.length) }) },
      timeout: 10_000,
    }, (res) => {
      // Only the status matters; dropping the rest also ends watches at once (a gone client).
      const status = res.statusCode ?? 0;
      res.resume();
      if (request.path.includes('watch=true')) res.destroy();
      res.once('end', () => resolve({ request, status }));
      res.once('close', () => resolve({ request, status }));
      res.once('error', () => resolve({ request, status }));
    });
    req.once('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.once('error', (err) => resolve({ request, status: 0, error: err.message }));
    req.end(request.body);
  });
}

async function sendAll(requests: readonly FuzzRequest[]): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const request = requests[next];
      next += 1;
      if (request) answers.push(await send(request));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return answers;
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = https.request({ host: base.hostname, port: base.port, path, method, agent, headers: payload ? { 'content-type': JSON_TYPE } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.once('error', reject);
    req.end(payload);
  });
}

beforeAll(async () => {
  cluster = await startTestCluster();
  base = new URL(cluster.url);
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  const ca = kc.getCurrentCluster()?.caData;
  const user = kc.getCurrentUser();
  if (!ca || !user?.certData || !user.keyData) throw new Error('the kubeconfig has no CA or client certificate');
  const tls = { ca: Buffer.from(ca, 'base64'), cert: Buffer.from(user.certData, 'base64'), key: Buffer.from(user.keyData, 'base64') };
  agent = new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY, ...tls });
  freshAgent = new https.Agent({ keepAlive: false, ...tls });
  // Objects for the item routes and subresources to find.
  const made = await Promise.all([
    call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fuzz-cm' }, data: { a: 'b' } }),
    call('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'fuzz-deploy' },
      spec: { selector: { matchLabels: { app: 'f' } }, template: { metadata: { labels: { app: 'f' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    }),
    call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fuzz-pod' }, spec: { containers: [{ name: 'c', image: 'i' }] } }),
  ]);
  expect(made.map((m) => m.status)).toEqual([201, 201, 201]);
});

afterAll(async () => {
  agent?.destroy();
  freshAgent?.destroy();
  await cluster?.close();
});

describe('fuzzing the Kubernetes API server', () => {
  it('generates the same requests for the same seed, covering every probe', () => {
    const a = generateRequests(7, 300);
    const b = generateRequests(7, 300);
    expect(a.map((r) => `${r.name} ${r.path}`)).toEqual(b.map((r) => `${r.name} ${r.path}`));
    expect(new Set(a.map((r) => r.name.split(' ')[0]))).toEqual(new Set(PROBES.map(([name]) => name)));
    expect(generateRequests(8, 50).map((r) => r.path)).not.toEqual(a.slice(0, 50).map((r) => r.path));
  });

  it(`answers ${COUNT} malformed requests (seed ${SEED}) without a 5xx, and still serves`, async () => {
    const answers = await sendAll(generateRequests(SEED, COUNT));
    expect(answers).toHaveLength(COUNT);

    // An answer is expected for every request: a dropped connection hides a crash.
    const unanswered = answers.filter((a) => a.status === 0 && !KNOWN_UNANSWERED.has(a.request.method))
      .map((a) => `${a.request.name}: ${a.error ?? ''}`);
    expect(unanswered).toEqual([]);

    const serverErrors = answers.filter((a) => a.status >= 500);
    const newErrors = [...new Set(serverErrors.filter((a) => !KNOWN_5XX.has(a.request.name))
      .map((a) => `${a.status} ${a.request.name}  (${a.request.method} ${a.request.path.slice(0, 200)})`))];
    expect(newErrors).toEqual([]);
    const stale = [...KNOWN_5XX].filter((name) => !serverErrors.some((a) => a.request.name === name));
    if (stale.length) console.warn(`fuzz: allow-listed 5xx not seen with seed ${SEED} (fixed? remove them): ${stale.join('; ')}`);

    // Most requests are refused: the 4xx share shows the probes really are malformed.
    const refused = answers.filter((a) => a.status >= 400 && a.status < 500).length;
    expect(refused / COUNT).toBeGreaterThan(0.5);

    expect((await call('GET', '/version')).status).toBe(200);
    // Well-formed probes may have deleted fuzz-cm or even the default namespace: check with new objects.
    expect((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'after-fuzz' } })).status).toBe(201);
    const after = await call('POST', '/api/v1/namespaces/after-fuzz/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'still-serving' }, data: { k: 'v' } });
    expect(after.status).toBe(201);
    expect(JSON.parse((await call('GET', '/api/v1/namespaces/after-fuzz/configmaps/still-serving')).body)).toMatchObject({ data: { k: 'v' } });
    expect(JSON.parse((await call('GET', '/api/v1/namespaces')).body)).toMatchObject({ kind: 'NamespaceList' });
  }, 120_000);
});
