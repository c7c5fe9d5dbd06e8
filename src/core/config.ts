/**
 * Configuration: defaults, then a YAML file, then the environment, then flags — each
 * later source wins. The file also describes the simulated datacenter.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { badRequest } from './errors.js';

const HypervisorGroup = Type.Object({
  count: Type.Integer({ minimum: 0, default: 2 }),
  vcpus: Type.Integer({ minimum: 1, default: 32 }),
  memoryMiB: Type.Integer({ minimum: 1, default: 131072 }),
  diskGiB: Type.Integer({ minimum: 1, default: 2048 }),
});

const Zone = Type.Object({
  name: Type.String({ minLength: 1 }),
  hypervisors: Type.Array(HypervisorGroup),
});

/** A group of nodes of cluster `default`, all alike (until Magnum node groups make them Nova servers). */
const KubeNodeGroup = Type.Object({
  /** Node names are `<prefix>-<index>`. */
  prefix: Type.String({ minLength: 1 }),
  role: Type.Union([Type.Literal('control-plane'), Type.Literal('worker')]),
  count: Type.Integer({ minimum: 0 }),
  /** Zones the nodes are spread over round-robin (topology.kubernetes.io/zone). */
  zones: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  cpu: Type.String({ minLength: 1 }),
  memory: Type.String({ minLength: 1 }),
  pods: Type.Integer({ minimum: 1 }),
  ephemeralStorage: Type.String({ minLength: 1 }),
  instanceType: Type.String({ minLength: 1 }),
});

const Region = Type.Object({
  name: Type.String({ minLength: 1 }),
  zones: Type.Array(Zone),
});

export const KosConfigSchema = Type.Object({
  dataDir: Type.String(),
  host: Type.String(),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  /** Host name written into the catalog and clouds.yaml (defaults to host). */
  publicHost: Type.Optional(Type.String()),
  logLevel: Type.String(),
  store: Type.Object({
    durability: Type.Union([Type.Literal('normal'), Type.Literal('full')]),
    /** Where the store commits writes: on a worker thread of its own (default) or inline. */
    writer: Type.Optional(Type.Union([Type.Literal('thread'), Type.Literal('inline')])),
  }),
  identity: Type.Object({
    adminPassword: Type.Optional(Type.String({ minLength: 1 })),
    tokenTtlSeconds: Type.Integer({ minimum: 60 }),
    /** scrypt cost exponent (N = 2^cost); 16 costs about as much as bcrypt at 12 rounds. */
    passwordHashCost: Type.Integer({ minimum: 10, maximum: 20 }),
  }),
  datacenter: Type.Object({ regions: Type.Array(Region, { minItems: 1 }) }),
  kubernetes: Type.Object({
    /** HTTPS port of cluster `default`'s API server; 0 picks a free one. */
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    nodes: Type.Array(KubeNodeGroup),
    /**
     * Where cluster `default`'s controller manager and scheduler run: on a thread of their
     * own (default), or beside the API server (inline).
     */
    controllers: Type.Optional(Type.Union([Type.Literal('thread'), Type.Literal('inline')])),
  }),
});

export type KosConfig = Static<typeof KosConfigSchema>;
export type RegionConfig = Static<typeof Region>;
export type KubeNodeGroupConfig = Static<typeof KubeNodeGroup>;

/** One tainted control-plane node and three workers, one per zone. */
export function defaultKubeNodes(): KubeNodeGroupConfig[] {
  const size = { cpu: '4', memory: '16Gi', pods: 110, ephemeralStorage: '100Gi', instanceType: 'm1.xlarge' };
  return [
    { prefix: 'kos-control-plane', role: 'control-plane', count: 1, zones: ['az1'], ...size },
    { prefix: 'kos-worker', role: 'worker', count: 3, zones: ['az1', 'az2', 'az3'], ...size },
  ];
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KOS_DATA_DIR ?? join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'kos');
}

export function defaultConfig(env: NodeJS.ProcessEnv = process.env): KosConfig {
  const zone = (name: string) => ({
    name,
    hypervisors: [{ count: 2, vcpus: 32, memoryMiB: 128 * 1024, diskGiB: 2048 }],
  });
  return {
    dataDir: defaultDataDir(env),
    host: '127.0.0.1',
    port: 5000,
    logLevel: 'info',
    store: { durability: 'normal' },
    identity: { tokenTtlSeconds: 3600, passwordHashCost: 16 },
    datacenter: { regions: [{ name: 'RegionOne', zones: [zone('az1'), zone('az2'), zone('az3')] }] },
    kubernetes: { port: 6443, nodes: defaultKubeNodes() },
  };
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export interface ConfigSources {
  file?: string;
  env?: NodeJS.ProcessEnv;
  flags?: Partial<Pick<KosConfig, 'dataDir' | 'host' | 'port' | 'logLevel'>> & { kubernetes?: { port: number } };
  /** Deep overrides applied last (tests lower the password hash cost with it). */
  overrides?: DeepPartial<KosConfig>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const cur = out[k];
    out[k] = isObject(cur) && isObject(v) ? merge(cur, v) : v;
  }
  return out;
}

function fromEnv(env: NodeJS.ProcessEnv): Json {
  const out: Json = {};
  if (env.KOS_DATA_DIR) out.dataDir = env.KOS_DATA_DIR;
  if (env.KOS_HOST) out.host = env.KOS_HOST;
  if (env.KOS_PORT) out.port = Number(env.KOS_PORT);
  if (env.KOS_LOG_LEVEL) out.logLevel = env.KOS_LOG_LEVEL;
  if (env.KOS_ADMIN_PASSWORD) out.identity = { adminPassword: env.KOS_ADMIN_PASSWORD };
  if (env.KOS_KUBERNETES_PORT) out.kubernetes = { port: Number(env.KOS_KUBERNETES_PORT) };
  return out;
}

export function loadConfig(sources: ConfigSources = {}): KosConfig {
  const env = sources.env ?? process.env;
  let merged: Json = defaultConfig(env) as unknown as Json;
  if (sources.file) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(sources.file, 'utf8'));
    } catch (e) {
      throw badRequest(`cannot read config file ${sources.file}: ${(e as Error).message}`);
    }
    if (parsed !== null && parsed !== undefined && !isObject(parsed)) {
      throw badRequest(`config file ${sources.file} must hold a mapping`);
    }
    merged = merge(merged, parsed ?? {});
  }
  merged = merge(merged, fromEnv(env));
  merged = merge(merged, (sources.flags ?? {}) as Json);
  merged = merge(merged, (sources.overrides ?? {}) as Json);
  const errors = [...Value.Errors(KosConfigSchema, merged)];
  if (errors.length > 0) {
    const first = errors[0]!;
    throw badRequest(`invalid configuration at ${first.path || '/'}: ${first.message}`);
  }
  const config = merged as unknown as KosConfig;
  config.dataDir = resolve(config.dataDir);
  return config;
}
