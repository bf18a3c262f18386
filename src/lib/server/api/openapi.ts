import { z } from 'zod';
import { ACTIONS } from '../ckan/actions.ts';
import { SQL_LIMITS } from '../query/sandbox.ts';
import { apiPaths } from './openapi-paths.ts';
import { COMPONENT_SCHEMAS } from './schemas.ts';

/**
 * The OpenAPI 3.1 description of every public endpoint: the native API (catalog, rows, downloads, SQL, saved
 * queries, account), CKAN's Action API and the open-metadata documents (DCAT, Data Package). Response schemas
 * are generated from the zod schemas the response builders are typed by (./schemas.ts); parameters from zod
 * schemas built on the constants the parsers use (./openapi-paths.ts). A test checks that every route file has a
 * path here, and another validates real responses against these schemas.
 */
let components: Record<string, unknown> | undefined;

/** #/components/schemas, generated once: the schemas never change while the server runs. */
export function componentSchemas(): Record<string, unknown> {
  if (!components) {
    const wanted = new Set(COMPONENT_SCHEMAS.map((schema) => z.globalRegistry.get(schema)?.id));
    const all = z.toJSONSchema(z.globalRegistry, { uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any' }).schemas;
    components = Object.fromEntries(
      Object.entries(all)
        .filter(([id]) => wanted.has(id))
        .map(([id, schema]) => {
          const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>;
          return [id, rest];
        }),
    );
  }
  return components;
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function openApiDocument(origin: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kota Terbuka API',
      version: '1',
      description:
        'Open data of the city: the catalog, every row of every public dataset, downloads, read-only SQL and saved queries; ' +
        'a CKAN-compatible Action API; DCAT and Data Package metadata. No key needed for reading. Errors of the native API are JSON in one shape: ' +
        '`{"error": {"status", "code", "message", "problems": [{"parameter", "code", "message"}]}}`, the message in the reader\'s language ' +
        '(Bahasa Indonesia by default, `?lang=en` for English). CKAN actions answer in CKAN\'s envelope. GET responses allow any origin (CORS). ' +
        `User SQL: ${SQL_LIMITS.timeoutMs / 1000} s, ${SQL_LIMITS.maxRows} rows and ${SQL_LIMITS.memory} at most per query.`,
    },
    servers: [{ url: origin }],
    tags: [{ name: 'catalog' }, { name: 'data' }, { name: 'sql' }, { name: 'ckan' }, { name: 'metadata' }, { name: 'account' }, { name: 'meta' }],
    paths: apiPaths(Object.keys(ACTIONS)),
    components: {
      schemas: componentSchemas(),
      responses: {
        Error400: errorResponse('A parameter is wrong; `problems` says which and why.'),
        Error404: errorResponse('No such public dataset, version, format or saved query.'),
        Error408: errorResponse('The query ran past the time limit and was stopped.'),
        Error401: errorResponse('Not signed in, or the API token is not valid.'),
        Error413: errorResponse('The request body is larger than 1 MB.'),
        Error429: errorResponse('Too many requests from this address; `Retry-After` says when to try again.'),
        Error503: errorResponse('The SQL service is busy; try again in a few seconds.'),
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (`kt_…`) made on /account.' } },
    },
  };
}
