/**
 * Domain-specific configuration, /v3/domains/{id}/config[/{group}[/{option}]] and the
 * defaults under /v3/domains/config/…/default. kos has no LDAP driver: the API validates,
 * stores and serves the options, which is all Keystone's API itself promises.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KosError } from '../../../core/errors.js';
import { DEFAULT_DOMAIN_ID, type DomainConfig } from '../model.js';
import { always, isAdmin } from '../../common/policy.js';
import type { IdentityDeps, IdentityRouteModule } from '../deps.js';
import { callContext, paramOf } from '../crud.js';
import { DOMAIN_CONFIG_DEFAULTS, isKnownGroup, isKnownOption, isSensitive } from '../resources/domain-config-options.js';

type Options = Record<string, unknown>;
type Config = DomainConfig['config'];

const invalid = (reason: string) => new KosError('Forbidden', `Invalid domain specific configuration: ${reason}.`);
const missing = (domainId: string, what: string) =>
  new KosError('NotFound', `Could not find ${what} in domain configuration for domain ${domainId}.`);
const whatOf = (group?: string, option?: string) =>
  option ? `option ${option} in group ${group}` : group ? `group ${group}` : 'any options';

const isObject = (v: unknown): v is Options => typeof v === 'object' && v !== null && !Array.isArray(v);

function assertKnown(group?: string, option?: string): void {
  if (group && !isKnownGroup(group)) throw invalid(`Group ${group} is not supported for domain specific configurations`);
  if (group && option && !isKnownOption(group, option)) {
    throw invalid(`Option ${option} in group ${group} is not supported for domain specific configurations`);
  }
}

function assertValidConfig(config: unknown): asserts config is Config {
  if (!isObject(config) || Object.keys(config).length === 0) throw invalid('No options specified');
  for (const [group, options] of Object.entries(config)) {
    if (!isObject(options) || Object.keys(options).length === 0) {
      throw invalid(`The value of group ${group} specified in the config should be a dictionary of options`);
    }
    for (const option of Object.keys(options)) assertKnown(group, option);
    assertKnown(group);
  }
}

/** The stored config without sensitive options (or groups left empty by their removal). */
function shown(config: Config): Config {
  const out: Config = {};
  for (const [group, options] of Object.entries(config)) {
    const visible = Object.fromEntries(Object.entries(options).filter(([o]) => !isSensitive(group, o)));
    if (Object.keys(visible).length > 0) out[group] = visible;
  }
  return out;
}

function merge(base: Config, update: Config): Config {
  const out: Config = structuredClone(base);
  for (const [group, options] of Object.entries(update)) out[group] = { ...out[group], ...options };
  return out;
}

function configBody(req: FastifyRequest): unknown {
  const body = req.body as { config?: unknown } | undefined;
  if (!isObject(body) || body.config === undefined) {
    throw new KosError('BadRequest', "Invalid input for field 'config': 'config' is a required property.");
  }
  return body.config;
}

/** The part of a config a GET names: everything, one group, or one option as `{option: value}`. */
function part(config: Config, domainId: string, group?: string, option?: string): Options {
  const visible = shown(config);
  if (!group) {
    if (Object.keys(visible).length === 0) throw missing(domainId, whatOf());
    return visible;
  }
  const g = visible[group];
  if (!g) throw missing(domainId, whatOf(group));
  if (!option) return { [group]: g };
  if (!(option in g)) throw missing(domainId, whatOf(group, option));
  return { [option]: g[option] };
}

/** PATCH on a group or option must name exactly that group or option, which must exist. */
function scopedUpdate(current: Config, domainId: string, given: unknown, group?: string, option?: string): Config {
  if (!group) {
    assertValidConfig(given);
    return given;
  }
  if (option) {
    if (!isObject(given) || Object.keys(given).length !== 1 || !(option in given)) {
      throw invalid(`Trying to update option ${option} in group ${group}, so that, and only that, option must be specified  in the config`);
    }
    if (current[group]?.[option] === undefined) throw missing(domainId, whatOf(group, option));
    const update = { [group]: given };
    assertValidConfig(update);
    return update;
  }
  if (!isObject(given) || Object.keys(given).length !== 1 || !(group in given)) {
    throw invalid(`Trying to update group ${group}, so that, and only that, group must be specified in the config`);
  }
  if (!current[group]) throw missing(domainId, whatOf(group));
  assertValidConfig(given);
  return given;
}

function defaults(group?: string, option?: string): Options {
  assertKnown(group, option);
  if (!group) return DOMAIN_CONFIG_DEFAULTS;
  const g = DOMAIN_CONFIG_DEFAULTS[group] ?? {};
  if (!option) return { [group]: g };
  if (!(option in g)) throw invalid(`Reading the default for option ${option} in group ${group} is not supported`);
  return { [option]: g[option] };
}

/** Only password_regex and its description may be read, for the default domain only. */
function securityCompliance(domainId: string, option?: string): Options {
  if (domainId !== DEFAULT_DOMAIN_ID) {
    throw invalid('Reading security compliance information for any domain other than the default domain is not allowed or supported');
  }
  const readable: Options = { password_regex: null, password_regex_description: null };
  if (!option) return { security_compliance: readable };
  if (!(option in readable)) {
    throw invalid('Reading security compliance values other than password_regex and password_regex_description is not allowed');
  }
  return { [option]: readable[option] };
}

function register(app: Parameters<IdentityRouteModule['register']>[0], deps: IdentityDeps): void {
  const opts = { preHandler: deps.authenticated };
  const c = deps.repo.c;
  const stored = (domainId: string): Config => c.domain_configs.get(domainId)?.config ?? {};
  const save = async (domainId: string, config: Config): Promise<void> => {
    if (c.domain_configs.has(domainId)) await c.domain_configs.update(domainId, (x) => ({ ...x, config }));
    else await c.domain_configs.create({ id: domainId, config });
  };
  const enforce = (req: FastifyRequest, rule: string) => deps.policy.enforce(rule, callContext(req, deps).auth, {});
  const paths = ['/v3/domains/:domain_id/config', '/v3/domains/:domain_id/config/:group', '/v3/domains/:domain_id/config/:group/:option'];
  const params = (req: FastifyRequest) => {
    const p = req.params as { domain_id: string; group?: string; option?: string };
    return { domainId: p.domain_id, group: p.group, option: p.option };
  };

  for (const path of ['/v3/domains/config/default', '/v3/domains/config/:group/default', '/v3/domains/config/:group/:option/default']) {
    app.get(path, opts, async (req) => {
      enforce(req, 'identity:get_domain_config_default');
      const { group, option } = req.params as { group?: string; option?: string };
      return { config: defaults(group, option) };
    });
  }

  app.put('/v3/domains/:domain_id/config', opts, async (req, reply: FastifyReply) => {
    enforce(req, 'identity:create_domain_config');
    const domainId = paramOf(req, 'domain_id');
    c.domains.require(domainId);
    const config = configBody(req);
    assertValidConfig(config);
    const existed = await deps.repo.writes.run(async () => {
      const had = c.domain_configs.has(domainId);
      await save(domainId, config);
      return had;
    });
    return reply.code(existed ? 200 : 201).send({ config: shown(stored(domainId)) });
  });

  for (const path of paths) {
    app.get(path, opts, async (req) => {
      const { domainId, group, option } = params(req);
      if (group === 'security_compliance') {
        enforce(req, 'identity:get_security_compliance_domain_config');
        c.domains.require(domainId);
        return { config: securityCompliance(domainId, option) };
      }
      enforce(req, 'identity:get_domain_config');
      c.domains.require(domainId);
      assertKnown(group, option);
      return { config: part(stored(domainId), domainId, group, option) };
    });

    app.patch(path, opts, async (req) => {
      enforce(req, 'identity:update_domain_config');
      const { domainId, group, option } = params(req);
      c.domains.require(domainId);
      assertKnown(group, option);
      const given = configBody(req);
      await deps.repo.writes.run(async () => {
        const current = stored(domainId);
        await save(domainId, merge(current, scopedUpdate(current, domainId, given, group, option)));
      });
      return { config: part(stored(domainId), domainId) };
    });

    app.delete(path, opts, async (req, reply: FastifyReply) => {
      enforce(req, 'identity:delete_domain_config');
      const { domainId, group, option } = params(req);
      c.domains.require(domainId);
      assertKnown(group, option);
      await deps.repo.writes.run(async () => {
        const current = stored(domainId);
        if (!group) {
          await c.domain_configs.deleteIfExists(domainId);
          return;
        }
        const g = current[group];
        if (!g || (option && g[option] === undefined)) throw missing(domainId, whatOf(group, option));
        const next = structuredClone(current);
        if (option) delete next[group]![option];
        if (!option || Object.keys(next[group]!).length === 0) delete next[group];
        await save(domainId, next);
      });
      return reply.code(204).send();
    });
  }
}

export const routes: IdentityRouteModule = {
  rules: {
    'identity:create_domain_config': isAdmin,
    'identity:get_domain_config': isAdmin,
    'identity:update_domain_config': isAdmin,
    'identity:delete_domain_config': isAdmin,
    'identity:get_domain_config_default': isAdmin,
    // Any authenticated user may read the password rules, to pick a password that passes.
    'identity:get_security_compliance_domain_config': always,
  },
  register,
};
