import t from 'tap';
import { readFileSync } from 'node:fs';
import { CONSOLE_API_TYPES_FILE, consoleApiTypes, offlineOpenApiDocument } from '../../scripts/openapi-types.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

// The console's typed API calls (services/console/src/api/client.ts) are checked
// against api/openapi.d.ts: it must say what the routes do today.
t.test('the committed console API types match the routes (else run `npm run console:api-types`)', async (t) => {
  const committed = readFileSync(CONSOLE_API_TYPES_FILE, 'utf8');
  const generated = await consoleApiTypes();
  t.ok(generated.includes('"/v1/users": {'), 'the generated types cover the routes');
  t.equal(committed, generated, 'services/console/src/api/openapi.d.ts is up to date');
});

t.test('the document built without a server is the one GET /openapi.json answers', async (t) => {
  const env = await createTestEnvironment(t, 'openapi-types');
  const { request } = await startTestApi(t, env);
  const served = (await request('GET', '/openapi.json')).body;
  t.same(JSON.parse(JSON.stringify(offlineOpenApiDocument())), served);
});

t.test('a nullable reference is "the schema or null", not both at once', async (t) => {
  const { components } = offlineOpenApiDocument();
  const before = (components?.schemas?.FlagChangeEvent as { properties: Record<string, unknown> }).properties.before;
  t.same(before, { anyOf: [{ $ref: '#/components/schemas/FlagState' }, { type: 'null' }] });
  t.notMatch(JSON.stringify(offlineOpenApiDocument()), /"allOf":\[\{"\$ref":"[^"]+"\},\{"type":\["object","null"\]\}\]/);
});
