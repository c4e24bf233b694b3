import type { Registry } from 'prom-client';
import { ensureFirstAdmin, openResources, type Resources } from './bootstrap.js';
import { loadConfig, type Config } from './config/index.js';
import { closeOnSignal, exitOnStartFailure, type Closable } from './lifecycle.js';
import { createLogger, type Logger } from './logger.js';
import { createMetricsRegistry } from './metrics/registry.js';
import { createRevocationWatch, type RevocationWatch } from './domain/tokens/revocation-watch.js';
import { createTokenCache, type TokenCache } from './domain/tokens/token-cache.js';

export type ServiceName = 'api' | 'notifier' | 'worker';

/**
 * A service's dependencies with every optional one named (undefined allowed):
 * what the wirings build, so a setting added to a service's deps is a type
 * error in its wiring until it is given (npm start once dropped one silently).
 */
// Over Exclude<keyof Deps, never>, not keyof Deps: a mapping that keeps (or strips) modifiers would drop `undefined`.
export type EveryDependency<Deps> = Deps & { [Key in Exclude<keyof Deps, never>]: Deps[Key] | undefined };

/**
 * What the services of one process share, one of each whether the process
 * runs one service or all three: each service's wiring (services/<name>/wiring.ts)
 * takes it whole, so the same start is built the same way everywhere.
 */
export interface ProcessParts {
  config: Config;
  resources: Resources;
  /** One registry: the /metrics of any service in the process shows all of them. */
  metrics: Registry;
  /** The process's own logger (what its services share logs here). */
  logger: Logger;
  /** The logger a service logs through (its lines name the service). */
  serviceLogger(service: ServiceName): Logger;
  /** False until the start is complete (an admin can get in): the API's /readyz answers 503 until then. */
  startComplete(): boolean;
}

/** The process's one token cache and one revocation watch, for its API and its notifier alike. */
export interface TokenAccess extends Closable {
  tokens: TokenCache;
  revocations: RevocationWatch;
}

export function openTokenAccess({ resources, logger }: Pick<ProcessParts, 'resources' | 'logger'>): TokenAccess {
  const revocations = createRevocationWatch({ ...resources, logger });
  const tokens = createTokenCache({ pool: resources.pool, revocations, logger });
  return {
    tokens,
    revocations,
    async close() {
      await tokens.close();
      await revocations.close();
    },
  };
}

/**
 * Runs a FlagShip process, the same way for `npm start` (all three services)
 * and each service alone: reads the configuration (a wrong variable stops it,
 * named), opens what the services share, lets `wire` start them (it returns
 * what to close, in order), closes everything on SIGTERM or SIGINT, makes sure
 * an admin can get in once the ports are bound, then logs `started`.
 * `service` names the one service the process runs (undefined: all of them).
 */
export async function runProcess(
  service: ServiceName | undefined,
  wire: (parts: ProcessParts) => Promise<Closable[]>,
): Promise<void> {
  try {
    const config = loadConfig();
    const logger = createLogger(config.logLevel, service);
    const resources = await openResources(config, logger);
    let complete = false;
    const parts: ProcessParts = {
      config,
      resources,
      metrics: createMetricsRegistry(),
      logger,
      // Alone, the process's lines already name the service.
      serviceLogger: (name) => (service === undefined ? logger.child({ service: name }) : logger),
      startComplete: () => complete,
    };
    const started = await wire(parts);
    closeOnSignal(logger, [...started, resources], { timeoutMs: config.shutdownTimeoutMs });
    await ensureFirstAdmin(resources.pool, config, logger);
    complete = true;
    // The start is complete once this is logged (after the admin token, if one was created).
    logger.info('started');
  } catch (error) {
    exitOnStartFailure(error);
  }
}
