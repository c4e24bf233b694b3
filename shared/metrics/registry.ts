import { timingSafeEqual } from 'node:crypto';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's metrics registry, with Node's default metrics. One per
 * process: when the three services run in one process they share it, so one
 * scrape sees all of them (every metric name below is unique to its service).
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

export type Dependency = 'postgresql' | 'redis';

/** Counts failures of PostgreSQL and Redis by kind (an error code such as ECONNREFUSED or 57P01, else the error's name). */
export type DependencyErrorCounter = (dependency: Dependency, error: unknown) => void;

const DEPENDENCY_ERRORS = 'flagship_dependency_errors_total';

/** The dependency error counter of `registry`, shared by the services of one process. */
export function dependencyErrorCounter(registry: Registry): DependencyErrorCounter {
  const counter =
    (registry.getSingleMetric(DEPENDENCY_ERRORS) as Counter<'dependency' | 'kind'> | undefined) ??
    new Counter({
      name: DEPENDENCY_ERRORS,
      help: 'Failed calls to PostgreSQL or Redis, by dependency and kind (error code or name)',
      labelNames: ['dependency', 'kind'],
      registers: [registry],
    });
  return (dependency, error) => counter.inc({ dependency, kind: errorKind(error) });
}

/** A short, bounded label for an error: its code when it has one (ECONNREFUSED, 57P01), else its name. */
export function errorKind(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_]{1,32}$/.test(code)) return code;
  if (error instanceof Error && /timeout|timed out/i.test(error.message)) return 'timeout';
  return error instanceof Error ? error.name : 'unknown';
}

/** Whether a scrape may read the metrics: always without FLAGSHIP_METRICS_TOKEN, else only with `Authorization: Bearer <it>`. */
export function metricsScrapeAllowed(authorization: string | undefined, metricsToken: string | undefined): boolean {
  if (metricsToken === undefined) return true;
  const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (given === undefined) return false;
  const expected = Buffer.from(metricsToken);
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
