import { z } from 'zod';
import type { AnyRoute } from './route';

const jsonSchema = (schema: z.ZodType): unknown => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const ErrorBody = z.object({
  error: z.object({
    type: z.string(),
    message: z.string(),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    details: z.unknown().optional(),
  }),
});

function queryParameters(schema: z.ZodType): unknown[] {
  const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

function operation(r: AnyRoute): Record<string, unknown> {
  const pathParams = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const refusals: Record<string, unknown> = {
    '400': { description: 'bad input; each issue names the field', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    '404': { description: 'no such disclosure, recipient or record' },
  };
  if (r.roles !== 'public') {
    refusals['401'] = { description: 'missing or unknown bearer token' };
    refusals['403'] = { description: `allowed roles: ${r.roles.join(', ')}` };
  }
  return {
    summary: r.summary,
    ...(r.roles === 'public' ? { security: [] } : { 'x-roles': r.roles }),
    parameters: [...pathParams, ...(r.query !== undefined ? queryParameters(r.query) : [])],
    ...(r.body !== undefined ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } } } : {}),
    responses: { '200': { description: 'done' }, ...refusals },
  };
}

/** The OpenAPI document, generated from the same zod schemas that validate each request. */
export function buildOpenApi(routes: readonly AnyRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    (paths[path] ??= {})[r.method.toLowerCase()] = operation(r);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Disclosure engine API', version: '1' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: jsonSchema(ErrorBody) },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
