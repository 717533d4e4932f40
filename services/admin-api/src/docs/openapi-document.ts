import { RequestMethod } from '@nestjs/common';
import type { RouteAccess } from '@roster/platform';
import { z } from 'zod';
import type { ApiDocOptions } from './api-doc.decorator';

/** One route of the application as Nest registered it, with what its decorators say. */
export interface DocumentedRoute {
  method: RequestMethod;
  path: string;
  access?: RouteAccess;
  doc?: ApiDocOptions;
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });

function operation(route: DocumentedRoute) {
  const doc = route.doc;
  const status = String(doc?.status ?? (route.method === RequestMethod.POST ? 201 : 200));
  const role = route.access === 'public' ? undefined : route.access === 'reader' ? 'reader' : 'admin';
  const params = [
    ...[...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...queryParameters(doc?.query),
  ];
  return {
    summary: doc?.summary ?? `${RequestMethod[route.method]} ${route.path}`,
    ...(role ? { description: `Needs the ${role} role.`, security: [{ bearer: [] }] } : { security: [] }),
    ...(params.length ? { parameters: params } : {}),
    ...(doc?.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body, 'input') } } } } : {}),
    responses: {
      [status]: doc?.response ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(doc.response, 'output') } } } : { description: 'OK' },
      ...(role ? { '401': { description: 'no credential, or not a valid one' }, '403': { description: `not the ${role} role` } } : {}),
      ...(doc?.body ? { '400': { description: 'malformed JSON, unknown field or invalid value (named)' }, '413': { description: 'body too large' }, '415': { description: 'not JSON' } } : {}),
    },
  };
}

/** Each property of a query schema as an OpenAPI query parameter. */
function queryParameters(query: z.ZodType | undefined) {
  if (!query) return [];
  const schema = jsonSchema(query, 'input') as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property }));
}

/** OpenAPI 3.1 for the routes given, its schemas generated from the zod schemas the pipes validate with. */
export function openApiDocument(routes: DocumentedRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[RequestMethod[route.method].toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Roster admin API', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (rk_…) or an OIDC access token' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
