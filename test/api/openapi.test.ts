import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

const env = await createTestEnvironment(t, 'openapi');
const { request } = await startTestApi(t, env);
const document = (await request('GET', '/openapi.json')).body;

interface Operation {
  summary?: string;
  description?: string;
  security?: Array<Record<string, unknown>>;
  requestBody?: { content: Record<string, { example?: unknown; examples?: unknown; schema?: { $ref?: string; example?: unknown } }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

const operations = Object.entries<Record<string, Operation>>(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
);
const schemas = Object.entries<{ description?: string; example?: unknown }>(document.components.schemas);
const resolve = (schema: { $ref?: string; example?: unknown } | undefined) =>
  schema?.$ref ? document.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;

// These fail with the name of what lacks it, so a route declared without one says which.
t.test('every operation has a summary and a description', async (t) => {
  t.ok(operations.length >= 27);
  for (const { route, operation } of operations) {
    t.ok(operation.summary?.trim(), `${route} has a summary`);
    t.ok(operation.description?.trim(), `${route} has a description`);
  }
});

t.test('every request body has an example', async (t) => {
  for (const { route, operation } of operations) {
    for (const [type, content] of Object.entries(operation.requestBody?.content ?? {})) {
      const example = content.example ?? content.examples ?? resolve(content.schema)?.example;
      t.ok(example !== undefined, `${route} (${type}) has a request body example`);
    }
  }
});

t.test('every named schema has a description', async (t) => {
  t.ok(schemas.length > 10);
  for (const [name, schema] of schemas) t.ok(schema.description?.trim(), `schema ${name} has a description`);
});

t.test('one security scheme per token kind, and each route names the kinds it takes', async (t) => {
  const schemes = document.components.securitySchemes;
  t.match(schemes, { admin: { type: 'http', scheme: 'bearer' }, sdk: { type: 'http', scheme: 'bearer' } });
  for (const [name, scheme] of Object.entries<{ description?: string }>(schemes)) t.ok(scheme.description, `scheme ${name} is described`);
  for (const { route, operation } of operations) {
    for (const requirement of operation.security ?? []) {
      for (const name of Object.keys(requirement)) t.ok(schemes[name], `${route}: its scheme ${name} exists`);
    }
  }
  t.same(document.paths['/v1/flags'].post.security, [{ admin: [] }, { personal: [] }, { session: [] }], 'admin routes take people too');
  t.match(document.paths['/v1/flags'].post.description, /needs the editor role/, 'and say the role they need');
  t.same(document.paths['/v1/client/flags'].get.security, [{ sdk: [] }]);
  t.same(document.paths['/flags/{name}'].get.security, [{ admin: [] }, { sdk: [] }, { personal: [] }, { session: [] }], 'a route taking two kinds lists both');
  t.same(document.paths['/healthz'].get.security, []);
});

t.test('every 4xx response has a body schema', async (t) => {
  for (const { route, operation } of operations) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!/^4/.test(status)) continue;
      const schema = response.content?.['application/json']?.schema;
      t.ok(schema, `${route} ${status} has a body schema`);
    }
  }
  t.same(document.paths['/v1/flags/{key}'].get.responses['404'].content['application/json'].schema, { $ref: '#/components/schemas/Error' });
});

t.test('servers come from FLAGSHIP_PUBLIC_URL', async (t) => {
  t.same(document.servers ?? [], [], 'none without it');
  const { startApi } = await import('../../services/api/server.js');
  const { createDatabaseSnapshotReader } = await import('../../services/api/snapshots/snapshot-reader.js');
  const { openRampQueue } = await import('../../shared/domain/ramps/ramp-queue.js');
  const rampQueue = openRampQueue(env.config, env.logger);
  t.teardown(() => rampQueue.close());
  const api = await startApi(
    {
      pool: env.pool,
      redis: env.redis,
      logger: env.logger,
      redisPrefix: env.config.redisPrefix,
      snapshots: createDatabaseSnapshotReader(env.pool),
      rampQueue: rampQueue.queue,
      publicUrl: 'https://flags.example.com',
    },
    0,
  );
  t.teardown(() => api.close());
  const published = await (await fetch(`http://127.0.0.1:${api.port}/openapi.json`)).json();
  t.same(published.servers, [{ url: 'https://flags.example.com', description: 'FLAGSHIP_PUBLIC_URL' }]);
});
