import type { EveryDependency, ProcessParts, TokenAccess } from '../../shared/bootstrap-process.js';
import { listenForChanges } from '../../shared/db/change-listener.js';
import type { Closable } from '../../shared/lifecycle.js';
import { openRampQueue } from '../../shared/domain/ramps/ramp-queue.js';
import { CONSOLE_DIST_DIR } from './console/console-assets.js';
import type { ApiDeps } from './deps.js';
import { createSnapshotCacheMetrics } from './metrics.js';
import { startApi } from './server.js';
import { oidcSignIn } from './auth/oidc-sign-in.js';
import { createSnapshotCache } from './snapshots/snapshot-cache.js';

/**
 * Starts the API as every entry point does (services/main.ts and
 * services/api/main.ts): every setting from the configuration, the process's
 * token cache and revocation watch. Returns what to close, in order.
 */
export async function wireApi(parts: ProcessParts, access: TokenAccess): Promise<Closable[]> {
  const { config, resources, metrics } = parts;
  const logger = parts.serviceLogger('api');
  const rampQueue = openRampQueue(config, logger);
  const snapshots = createSnapshotCache({ ...resources, logger, metrics: createSnapshotCacheMetrics(metrics) });
  // Its own LISTEN: SSE streams and reads hear of changes even while Redis pub/sub is silent.
  const changeHints = await listenForChanges(config.databaseUrl, logger, {
    onHint: (change) => snapshots.hint(change),
    // Hints missed while not listening: the notifier's Redis messages and the cache's age bound cover them.
    onListening: () => undefined,
  });
  const deps: EveryDependency<ApiDeps> = {
    ...resources,
    logger,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    corsOrigins: config.corsOrigins,
    unleashFetchMode: config.unleashFetchMode,
    answerCacheBytes: config.answerCacheBytes,
    metrics,
    metricsToken: config.metricsToken,
    snapshots,
    rampQueue: rampQueue.queue,
    consoleDir: CONSOLE_DIST_DIR,
    sessionPolicy: config.session,
    // buildApi offers single sign-on on the sign-in page when `oidc` (below) is configured.
    singleSignOn: undefined,
    webhookPolicy: { allowPrivate: config.webhookAllowPrivate },
    tokens: access.tokens,
    revocations: access.revocations,
    // startApi makes the relay watch (it answers held deploy gates when the API closes).
    relayWatch: undefined,
    startComplete: parts.startComplete,
    // startApi makes the usage recorder (flushed on close); the system clock.
    usage: undefined,
    clock: undefined,
    // The default: Unleash's 6,000 metrics reports a minute per token.
    metricsReportsPerMinute: undefined,
    oidc: oidcSignIn(config.oidc, { pool: resources.pool, logger, sessionPolicy: config.session }),
  };
  const api = await startApi(deps, config.port);
  return [api, changeHints, snapshots, rampQueue];
}
