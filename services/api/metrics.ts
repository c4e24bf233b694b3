import { Counter, Gauge, type Registry } from 'prom-client';
import { dependencyErrorCounter } from '../../shared/metrics/registry.js';

/** Where the API's snapshots came from: the in-process copy or Redis (hits), else PostgreSQL. */
export interface SnapshotCacheMetrics {
  hit(layer: 'process' | 'redis'): void;
  /** Redis answered but held no snapshot (or an older one was refused): read from PostgreSQL. */
  miss(): void;
  /** Redis could not be asked (down, or the read failed with `error`): read from PostgreSQL. */
  fallback(error?: unknown): void;
}

export function createSnapshotCacheMetrics(registry: Registry): SnapshotCacheMetrics {
  const hits = new Counter({
    name: 'flagship_api_snapshot_cache_hits_total',
    help: 'Snapshot reads answered by a cache, by layer (process: the in-process copy; redis)',
    labelNames: ['layer'],
    registers: [registry],
  });
  const misses = new Counter({
    name: 'flagship_api_snapshot_cache_misses_total',
    help: 'Snapshot reads Redis could not answer (it held none), read from PostgreSQL',
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: 'flagship_api_snapshot_cache_fallbacks_total',
    help: 'Snapshot reads that fell back to PostgreSQL because Redis was unavailable',
    registers: [registry],
  });
  const dependencyError = dependencyErrorCounter(registry);
  return {
    hit: (layer) => hits.inc({ layer }),
    miss: () => misses.inc(),
    fallback(error) {
      fallbacks.inc();
      if (error !== undefined) dependencyError('redis', error);
    },
  };
}

/** Reports open OFREP event streams (SSE) per environment on every scrape. */
export function watchEventStreams(registry: Registry, openStreams: () => Iterable<{ environment: string }>): void {
  new Gauge({
    name: 'flagship_api_sse_streams',
    help: 'Open OFREP event streams (SSE) on this API process, by environment',
    labelNames: ['environment'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const { environment } of openStreams()) counts.set(environment, (counts.get(environment) ?? 0) + 1);
      for (const [environment, count] of counts) this.set({ environment }, count);
    },
  });
}

/** How the evaluating routes' answers were found (answer-cache.ts). */
export interface AnswerCacheMetrics {
  /** kept: served a kept answer; computed: computed, then kept; not-kept: computed, and it read the clock or a random number. */
  answered(outcome: 'kept' | 'computed' | 'not-kept'): void;
  /** Reports the bytes held, on every scrape. */
  watchSize(size: () => number): void;
}

export function createAnswerCacheMetrics(registry: Registry): AnswerCacheMetrics {
  const answers = new Counter({
    name: 'flagship_api_answer_cache_answers_total',
    help: 'Answers of the evaluating routes by how they were found: kept (a cached answer), computed (then kept), not-kept (it read the clock or a random number)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  // Bound once: a request then increments a counter, with no label lookup.
  const outcomes = { kept: answers.labels('kept'), computed: answers.labels('computed'), 'not-kept': answers.labels('not-kept') };
  return {
    answered: (outcome) => outcomes[outcome].inc(),
    watchSize(size) {
      new Gauge({
        name: 'flagship_api_answer_cache_bytes',
        help: 'What the kept answers weigh, as the answer cache counts them (bounded by FLAGSHIP_ANSWER_CACHE_MB)',
        registers: [registry],
        collect() {
          this.set(size());
        },
      });
    },
  };
}
