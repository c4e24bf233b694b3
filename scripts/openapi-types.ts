// The console's API types (services/console/src/api/openapi.d.ts), generated from the
// OpenAPI document the API serves: the app is built in-process, on dependencies that
// refuse any use (building it registers routes and queries nothing), and the document
// goes through openapi-typescript.
import openapiTS, { astToString } from 'openapi-typescript';
import { fileURLToPath } from 'node:url';
import type { ApiDeps } from '../services/api/deps.js';
import type { RevocationWatch } from '../shared/domain/tokens/revocation-watch.js';
import type { RelayWatch } from '../shared/domain/relay-reports/relay-watch.js';
import { buildApi } from '../services/api/app.js';
import { createLogger } from '../shared/logger.js';

export const CONSOLE_API_TYPES_FILE = fileURLToPath(new URL('../services/console/src/api/openapi.d.ts', import.meta.url));

const HEADER =
  '// Generated from the API\'s OpenAPI document by `npm run console:api-types` (scripts/openapi-types.ts): do not edit.\n' +
  '// test/api/openapi-types.test.ts fails when it no longer matches the routes.\n';

/** A dependency the document does not need: any use of it is a bug of this script. */
function unused<T>(name: string): T {
  return new Proxy({}, {
    get(_target, property) {
      if (property === 'then') return undefined;
      throw new Error(`building the OpenAPI document used ${name}.${String(property)}`);
    },
  }) as T;
}

/** The OpenAPI document GET /openapi.json answers (without FLAGSHIP_PUBLIC_URL), built without a server. */
export function offlineOpenApiDocument() {
  const deps = {
    pool: unused<ApiDeps['pool']>('pool'),
    redis: unused<ApiDeps['redis']>('redis'),
    logger: createLogger('silent'),
    redisPrefix: 'openapi:',
    snapshots: unused<ApiDeps['snapshots']>('snapshots'),
    rampQueue: unused<ApiDeps['rampQueue']>('rampQueue'),
    revocations: unused<RevocationWatch>('revocations'),
    relayWatch: unused<RelayWatch>('relayWatch'),
  } satisfies ApiDeps & { revocations: RevocationWatch; relayWatch: RelayWatch };
  return buildApi(deps).openApi();
}

/** The text of openapi.d.ts for the current routes. */
export async function consoleApiTypes(): Promise<string> {
  const document = offlineOpenApiDocument();
  const ast = await openapiTS(JSON.parse(JSON.stringify(document)), { alphabetize: false });
  return HEADER + astToString(ast);
}
