import type { PlainEndpoint } from './observability';
import type { AppExtension } from './server';

/**
 * Mounts `/healthz`, `/readyz` and `/metrics` on the fastify server: GET only, no token (probes
 * and scrapers carry none), rate-limited per address like the other public routes, and left out
 * of the OpenAPI document of the JSON API.
 */
export function observabilityRoutes(endpoints: readonly PlainEndpoint[]): AppExtension {
  return (app) => {
    for (const endpoint of endpoints) {
      app.route({
        method: 'GET',
        url: endpoint.path,
        config: { public: true },
        schema: { hide: true },
        handler: async (_request, reply) => {
          const out = await endpoint.handle();
          return reply.code(out.status).header('cache-control', 'no-store').type(out.contentType).send(out.body);
        },
      });
    }
  };
}
