/**
 * OS-OAUTH1 consumers, kept minimal: create (the secret is shown once), list, get,
 * update (the description; never the secret) and delete. Admin-only, as Keystone's
 * defaults have it; the OAuth1 request/access-token flow is not offered.
 */
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { KosError } from '../../../core/errors.js';
import { hexId } from '../../../core/ids.js';
import { registerCrud, selfLinked, type CrudResource, type Json } from '../crud.js';
import { adminOrSystemReader, adminWrites, crudRuleNames } from '../catalog/rules.js';
import { check } from '../catalog/validate.js';
import { Nullable, extraOf } from '../resources/body.js';
import type { IdentityRouteModule } from '../deps.js';
import type { OAuthConsumer } from '../model.js';

const names = crudRuleNames('consumer');
const ConsumerBody = Type.Object({ description: Type.Optional(Nullable(Type.String())) }, { additionalProperties: true });
const known = ['id', 'description', 'secret'] as const;

const view = (c: OAuthConsumer): Json => ({ ...c.extra, id: c.id, description: c.description });

/** The secret appears in the create response only; this marks the object just created. */
const fresh = new WeakSet<OAuthConsumer>();

const consumers: CrudResource<OAuthConsumer> = {
  member: 'consumer',
  plural: 'consumers',
  path: 'OS-OAUTH1/consumers',
  rules: names,
  collection: (deps) => deps.repo.c.oauth_consumers,
  view: selfLinked<OAuthConsumer>('OS-OAUTH1/consumers', (c) => (fresh.has(c) ? { ...view(c), secret: c.secret } : view(c))),
  async create(input, { deps }) {
    const body = check(input, ConsumerBody, 'consumer');
    const created = await deps.repo.c.oauth_consumers.create({
      id: hexId(),
      description: body.description ?? null,
      secret: randomUUID().replaceAll('-', ''),
      extra: extraOf(input, known),
    });
    // A copy carries the secret to the response; the stored object never shows it.
    const response = { ...created };
    fresh.add(response);
    return response;
  },
  update(current, patch) {
    if ('secret' in patch) throw new KosError('BadRequest', 'Cannot change consumer secret');
    const body = check(patch, ConsumerBody, 'consumer');
    return {
      ...current,
      description: body.description === undefined ? current.description : body.description,
      extra: { ...current.extra, ...extraOf(patch, known) },
    };
  },
};

export const routes: IdentityRouteModule = {
  rules: adminWrites(names, adminOrSystemReader),
  register(app, deps) {
    registerCrud(app, deps, consumers);
  },
};
