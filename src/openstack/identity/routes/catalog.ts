/**
 * The service catalog's administration: regions, services and endpoints. Any
 * authenticated user may read regions; services and endpoints are read by admins and
 * system readers; all writes are admin-only (Keystone's defaults).
 */
import { contextOf } from '../../common/auth.js';
import { registerCrud } from '../crud.js';
import { endpoints } from '../catalog/endpoints.js';
import { createRegion, regions } from '../catalog/regions.js';
import { adminOrSystemReader, adminWrites, anyone, crudRuleNames } from '../catalog/rules.js';
import { services } from '../catalog/services.js';
import type { IdentityRouteModule } from '../deps.js';
import { member } from '../wire.js';

const regionRules = crudRuleNames('region');
const serviceRules = crudRuleNames('service');
const endpointRules = crudRuleNames('endpoint');

export const routes: IdentityRouteModule = {
  rules: {
    ...adminWrites(regionRules, anyone),
    ...adminWrites(serviceRules, adminOrSystemReader),
    ...adminWrites(endpointRules, adminOrSystemReader),
  },
  register(app, deps) {
    const regionResource = regions(regionRules);
    registerCrud(app, deps, regionResource);
    registerCrud(app, deps, services(serviceRules));
    registerCrud(app, deps, endpoints(endpointRules));

    // A region may also be created at the id the client chose (the create rule applies).
    app.put('/v3/regions/:id', { preHandler: deps.authenticated }, async (req, reply) => {
      const { auth } = contextOf(req);
      deps.policy.enforce(regionRules.create, auth, {});
      const input = member(req.body, 'region');
      const id = (req.params as { id: string }).id;
      const region = await deps.repo.writes.run(() => createRegion(deps.repo, input, id));
      return reply.code(201).send({ region: regionResource.view(region, req) });
    });
  },
};
