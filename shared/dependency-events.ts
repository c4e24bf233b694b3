/*
 * Hooks for metrics (h16's /metrics can count these): every dependency
 * failure a component noticed, and every answer served from a last-known-good
 * copy because a dependency was away. Counted here in memory; a listener can
 * feed them to Prometheus.
 */

export interface DependencyEvent {
  dependency: 'postgres' | 'redis';
  /** 'error': a command or query failed; 'fallback': an answer came from a last-known-good copy instead. */
  kind: 'error' | 'fallback';
  /** Which cache served the fallback ('snapshot', 'token'). */
  cache?: string;
}

const counts = new Map<string, number>();
const listeners = new Set<(event: DependencyEvent) => void>();

function keyOf(event: DependencyEvent): string {
  return [event.dependency, event.kind, event.cache ?? ''].join(':');
}

export function recordDependencyEvent(event: DependencyEvent): void {
  counts.set(keyOf(event), (counts.get(keyOf(event)) ?? 0) + 1);
  for (const listener of listeners) listener(event);
}

/** Calls `listener` on every event from now on; returns the unsubscribe. */
export function onDependencyEvent(listener: (event: DependencyEvent) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The counts so far, keyed `dependency:kind:cache`. */
export function dependencyEventCounts(): ReadonlyMap<string, number> {
  return counts;
}
