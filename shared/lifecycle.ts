import type { Logger } from './logger.js';

/** A started component that can be stopped; close() stops taking work, drains and releases. */
export interface Closable {
  close(): Promise<void>;
}

/** Closes everything (in the order given) once, on SIGTERM or SIGINT, then exits. */
export function closeOnSignal(logger: Logger, parts: Closable[]): void {
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    let failed = false;
    for (const part of parts) {
      await part.close().catch((error: unknown) => {
        failed = true;
        logger.error({ err: error }, 'error while shutting down');
      });
    }
    logger.info('stopped');
    process.exit(failed ? 1 : 0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/** Reports a failed start (a ConfigError's message lists every wrong variable) and exits non-zero. */
export function exitOnStartFailure(error: unknown): never {
  process.stderr.write(`FlagShip could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
