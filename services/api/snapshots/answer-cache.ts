import { scopeOfSnapshot } from '../../../shared/domain/projects/project-scope.js';
import { LRUCache } from 'lru-cache';
import { impureReads } from '../../../packages/evaluation/index.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';
import type { PreparedJson } from '../http/prepared-json.js';
import type { AnswerCacheMetrics } from '../metrics.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';

/** What one evaluating answer counts as usage, each time it is served: every flag evaluated, on or off, its variant. */
export class UsageTally {
  private readonly keys: string[] = [];
  private readonly enabled: boolean[] = [];
  private readonly variants: (string | undefined)[] = [];

  add(flagKey: string, enabled: boolean, variant: string | undefined): void {
    this.keys.push(flagKey);
    this.enabled.push(enabled);
    this.variants.push(variant);
  }

  get size(): number {
    return this.keys.length;
  }

  /** Counts the answer once more, in `environment`. */
  countInto(usage: UsageRecorder | undefined, environment: string): void {
    if (!usage) return;
    const count = usage.counter(environment);
    for (let index = 0; index < this.keys.length; index += 1) count(this.keys[index]!, this.enabled[index]!, this.variants[index]);
  }
}

/** An evaluating route's answer for one context: its JSON bytes, their ETag (routes that send one), its usage. */
export interface ContextAnswer {
  json: PreparedJson;
  etag?: string;
  tally: UsageTally;
}

export interface AnswerCache {
  /**
   * The answer `make` gives for this route, snapshot and context key: the one
   * it gave before, when it gave one at this snapshot's version, else a new one.
   */
  answer(route: string, snapshot: Snapshot, contextKey: string, make: () => ContextAnswer): ContextAnswer;
}

/** FLAGSHIP_ANSWER_CACHE_MB's default: 32 MiB, some 3,000 answers of 100 flags. */
export const DEFAULT_ANSWER_CACHE_BYTES = 32 * 1024 * 1024;

/** How many contexts seen once are remembered (their keys alone), waiting for a second request. */
const SIGHTINGS = 20_000;

interface Held {
  /**
   * The environment version the answer was computed at. Every change to what
   * evaluation reads bumps it, so one version is one content; and a kept answer
   * holds no snapshot alive after the environment moves on (a 10,000-flag
   * snapshot weighs tens of MiB as objects).
   */
  version: number;
  answer: ContextAnswer;
}

/** What an answer is taken to weigh: its bytes, its key, its tally (a pointer and a flag per flag), and the entry around them. */
const weightOf = (held: Held, key: string) => held.answer.json.bytes + key.length * 2 + held.answer.tally.size * 24 + 200;

/**
 * Evaluating routes' answers, kept per context for as long as the
 * environment stays at the version they were computed at. Apps and browsers
 * ask again and again with the same context (the frontend API is polled every
 * 15 to 30 s per user), while the flags change rarely: a kept answer costs a
 * lookup, where evaluating 100 flags and serialising them cost most of the
 * request.
 *
 * An answer is kept only when computing it read no clock and drew no random
 * number (packages/evaluation/impure-reads.ts): a date constraint without
 * `currentTime`, random stickiness or a random rollout make an answer that
 * must be computed again each time, and it is. A new version (any change to
 * the environment) makes every kept answer of the environment stale: it is
 * recomputed on its next request. An answer is kept from the second request
 * for its context on: a context seen once (a user who never comes back, a
 * bench sending a new one each time) would only push out answers that are
 * asked for again, and fill the heap with garbage for the collector. The
 * cache is bounded by weight (least recently used out first); `maxBytes` 0
 * keeps nothing.
 */
export function createAnswerCache({ maxBytes, metrics }: { maxBytes: number; metrics?: AnswerCacheMetrics }): AnswerCache {
  if (maxBytes <= 0) {
    metrics?.watchSize(() => 0);
    return {
      answer(_route, _snapshot, _key, make) {
        metrics?.answered('not-kept');
        return make();
      },
    };
  }
  const held = new LRUCache<string, Held>({ maxSize: maxBytes, sizeCalculation: weightOf });
  const sighted = new LRUCache<string, true>({ max: SIGHTINGS });
  metrics?.watchSize(() => held.calculatedSize);
  return {
    answer(route, snapshot, contextKey, make) {
      // The scope is part of the key: two tokens of different projects asking with one context get different answers.
      const key = `${route}\u0000${snapshot.environment}\u0000${scopeOfSnapshot(snapshot)}\u0000${contextKey}`;
      const kept = held.get(key);
      if (kept && kept.version === snapshot.version) {
        metrics?.answered('kept');
        return kept.answer;
      }
      // make() runs to its end before anything else (it is synchronous), so a read counted meanwhile is its own.
      const before = impureReads();
      const answer = make();
      if (impureReads() === before) {
        // Kept from its second sighting on: a context seen once (a new user each request) would only churn the cache.
        if (kept || sighted.has(key)) held.set(key, { version: snapshot.version, answer });
        else sighted.set(key, true);
        metrics?.answered('computed');
      } else {
        if (kept) held.delete(key);
        metrics?.answered('not-kept');
      }
      return answer;
    },
  };
}
