import type { Logger } from './logger.js';

/** A started component that can be stopped; close() stops taking work, drains and releases. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * A repeat of the first signal this soon after it is the same keypress, not
 * a second request: Ctrl-C on `npm start` reaches the service twice, once
 * from the terminal (the whole process group) and once forwarded by npm.
 */
export const REPEATED_SIGNAL_GRACE_MS = 1000;

export interface ShutdownOptions {
  /** How long the graceful shutdown may take; then the process exits anyway (code 1), saying so. */
  timeoutMs: number;
}

/**
 * Closes everything (in the order given) once, on SIGTERM or SIGINT, then
 * exits: 0 when all closed cleanly. A shutdown that outlasts `timeoutMs`, or
 * a second signal (after REPEATED_SIGNAL_GRACE_MS), forces the exit, logged.
 */
export function closeOnSignal(logger: Logger, parts: Closable[], options: ShutdownOptions): void {
  let firstSignalAt: number | undefined;
  const shutdown = async (signal: NodeJS.Signals) => {
    logger.info({ signal, timeoutMs: options.timeoutMs }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: options.timeoutMs }, 'shutdown did not finish in time; forcing exit');
      process.exit(1);
    }, options.timeoutMs);
    let failed = false;
    for (const part of parts) {
      await part.close().catch((error: unknown) => {
        failed = true;
        logger.error({ err: error }, 'error while shutting down');
      });
    }
    clearTimeout(deadline);
    logger.info('stopped');
    process.exit(failed ? 1 : 0);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignalAt === undefined) {
      firstSignalAt = Date.now();
      void shutdown(signal);
      return;
    }
    if (Date.now() - firstSignalAt < REPEATED_SIGNAL_GRACE_MS) {
      logger.debug({ signal }, 'ignoring a repeated signal: already shutting down');
      return;
    }
    logger.warn({ signal }, 'second signal during shutdown; forcing exit');
    process.exit(1);
  };
  // process.on, not once: after once, a second SIGINT would kill the process
  // by default, with no log and nothing closed.
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Reports a failed start (a ConfigError's message lists every wrong variable) and exits non-zero. */
export function exitOnStartFailure(error: unknown): never {
  process.stderr.write(`FlagShip could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
