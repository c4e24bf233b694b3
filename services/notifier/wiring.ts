import type { EveryDependency, ProcessParts, TokenAccess } from '../../shared/bootstrap-process.js';
import type { Closable } from '../../shared/lifecycle.js';
import { startNotifier, type NotifierDeps } from './server.js';

/**
 * Starts the notifier as every entry point does (services/main.ts and
 * services/notifier/main.ts), with the process's token cache and revocation
 * watch. Returns what to close, in order.
 */
export async function wireNotifier(parts: ProcessParts, access: TokenAccess): Promise<Closable[]> {
  const { config, resources } = parts;
  const deps: EveryDependency<NotifierDeps> = {
    ...resources,
    logger: parts.serviceLogger('notifier'),
    databaseUrl: config.databaseUrl,
    metrics: parts.metrics,
    metricsToken: config.metricsToken,
    tokens: access.tokens,
    revocations: access.revocations,
    startComplete: parts.startComplete,
  };
  const notifier = await startNotifier(deps, { port: config.notifierPort });
  return [notifier];
}
