import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout; one logger per process, children per service. */
export function createLogger(level: string, service?: string): Logger {
  return pino({ level, base: service ? { service } : {} });
}
