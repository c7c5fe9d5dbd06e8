/** Nova's version documents at /compute/ and /compute/v2.1 (no token needed). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { baseUrl } from './http.js';
import { MAX_VERSION, MIN_VERSION } from './microversion.js';

function v21(req: FastifyRequest) {
  return {
    id: 'v2.1', status: 'CURRENT', version: MAX_VERSION, min_version: MIN_VERSION, updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href: `${baseUrl(req)}/v2.1/` }],
  };
}

export function registerVersions(app: FastifyInstance): void {
  const root = async (req: FastifyRequest) => ({
    versions: [
      { id: 'v2.0', status: 'SUPPORTED', version: '', min_version: '', updated: '2011-01-21T11:33:21Z', links: [{ rel: 'self', href: `${baseUrl(req)}/v2/` }] },
      v21(req),
    ],
  });
  app.get('/', root);
  // The legacy v2.0 document (kos serves only v2.1; v2.0 is listed as Nova lists it).
  app.get('/v2', async (req) => ({
    version: {
      id: 'v2.0', status: 'SUPPORTED', version: '', min_version: '', updated: '2011-01-21T11:33:21Z',
      links: [{ rel: 'self', href: `${baseUrl(req)}/v2/` }, { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2' }],
    },
  }));
  app.get('/v2.1', async (req) => ({
    version: {
      ...v21(req),
      links: [...v21(req).links, { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
    },
  }));
}
