/** /v3/policies: opaque policy blobs with a type, kept for services that fetch them. */
import { registerCrud } from '../crud.js';
import { policies } from '../catalog/policies.js';
import { adminOrSystemReader, adminWrites, crudRuleNames } from '../catalog/rules.js';
import type { IdentityRouteModule } from '../deps.js';

const names = crudRuleNames('policy', 'policies');

export const routes: IdentityRouteModule = {
  rules: adminWrites(names, adminOrSystemReader),
  register(app, deps) {
    registerCrud(app, deps, policies(names));
  },
};
