import type { FastifyRequest } from 'fastify';
import type { IdentityRouteModule } from '../deps.js';
import { baseUrlOf } from '../wire.js';

/** The one API version kos's Keystone speaks: v3.14, as Keystone since Ussuri. */
function v3(req: FastifyRequest) {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${baseUrlOf(req)}/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

export const routes: IdentityRouteModule = {
  rules: {},
  register(app) {
    // Version discovery answers 300 Multiple Choices at the root, as Keystone does.
    app.get('/', async (req, reply) => reply.code(300).send({ versions: { values: [v3(req)] } }));
    app.get('/v3', async (req) => ({ version: v3(req) }));
  },
};
