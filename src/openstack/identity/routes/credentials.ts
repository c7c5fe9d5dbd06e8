/**
 * /v3/credentials: admins manage every credential; a user manages and sees only their own
 * (Keystone's defaults: the list is filtered object by object).
 */
import { registerCrud } from '../crud.js';
import { adminOrOwner, adminOrSystemReaderOrOwner, crudRuleNames } from '../catalog/rules.js';
import type { IdentityRouteModule } from '../deps.js';
import { credentials } from '../delegation/credentials.js';

const names = crudRuleNames('credential');

export const routes: IdentityRouteModule = {
  rules: {
    [names.list]: adminOrSystemReaderOrOwner,
    [names.get]: adminOrSystemReaderOrOwner,
    [names.create]: adminOrOwner,
    [names.update]: adminOrOwner,
    [names.delete]: adminOrOwner,
  },
  register(app, deps) {
    registerCrud(app, deps, credentials(names));
  },
};
