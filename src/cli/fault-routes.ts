/**
 * `/kos/v1/faults`: the admin-only HTTP face of the fault injector, on the shared listener
 * and authenticated by Keystone like every API. GET lists the kinds and their targets;
 * POST `{"kind": "node", "name": "kos-worker-0", "state": "down"}` sets one.
 */
import type { FastifyInstance } from 'fastify';
import { KosError } from '../core/errors.js';
import type { FaultInjector, FaultState } from '../core/faults.js';
import type { HttpServer } from '../core/http/server.js';
import { contextOf, requireToken, type TokenValidator } from '../openstack/common/auth.js';
import { hasRole } from '../openstack/common/context.js';

const isState = (v: unknown): v is FaultState => v === 'down' || v === 'up';

export async function mountFaultRoutes(server: HttpServer, faults: FaultInjector, tokens: TokenValidator): Promise<void> {
  const authenticated = requireToken(tokens);
  const adminOnly = async (...args: Parameters<typeof authenticated>) => {
    await authenticated(...args);
    if (!hasRole(contextOf(args[0]).auth, 'admin')) throw new KosError('Forbidden', 'faults are for the cloud administrator');
  };
  await server.mount(
    {
      service: 'kos',
      prefix: '/kos',
      formatError: (err) => ({ status: err.status, body: { error: { code: err.status, message: err.message } } }),
    },
    (app: FastifyInstance) => {
      app.get('/v1/faults', { preHandler: adminOnly }, async () => ({ faults: faults.list() }));
      app.post('/v1/faults', { preHandler: adminOnly }, async (req, reply) => {
        const body = req.body;
        if (typeof body !== 'object' || body === null) throw new KosError('BadRequest', 'the body must be {"kind", "name", "state"}');
        const { kind, name, state } = body as Record<string, unknown>;
        if (typeof kind !== 'string' || typeof name !== 'string' || !isState(state)) {
          throw new KosError('BadRequest', 'kind and name must be strings and state "down" or "up"');
        }
        await faults.set(kind, name, state);
        return reply.code(200).send({ fault: { kind, name, state } });
      });
    },
  );
}
