import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { dependencyErrorCounter, type DependencyErrorCounter } from '../../shared/metrics/registry.js';

/** A scrape waits at most this long for Redis to count a queue's jobs; past it the queue is left out of that scrape. */
const QUEUE_COUNT_TIMEOUT_MS = 1000;

const JOB_STATES = ['waiting', 'delayed', 'failed'] as const;

/** Lateness buckets, in seconds: a step on time is milliseconds late; one applied by the reconciler, up to a minute. */
const LATENESS_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** Webhook attempt latency buckets, in seconds: a local receiver answers in milliseconds, the timeout is 10 s. */
const WEBHOOK_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The worker's instruments: ramp steps, their lateness, webhook attempts, and the BullMQ queues behind them. */
export interface WorkerMetrics {
  rampStepApplied(step: { environment: string; plannedAt: string; appliedAt: string }): void;
  /** One webhook delivery attempt and how it went. */
  webhookAttempt(attempt: { environment: string; accepted: boolean; latencyMs: number }): void;
  /** The worker disabled a webhook that failed too long. */
  webhookDisabled(): void;
  /** One look at a ramp's guards: each guard's decision, and the breach if one stopped the ramp. */
  guardLooked(look: { environment: string; decisions: string[]; breach?: { action: string } }): void;
  /** Reports the queue's waiting, delayed and failed jobs on every scrape (webhook queues too). */
  watchQueue(queue: Pick<Queue, 'name' | 'getJobCounts'>): void;
  dependencyError: DependencyErrorCounter;
}

async function countWithin<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    });
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  const queues = new Set<Pick<Queue, 'name' | 'getJobCounts'>>();
  const applied = new Counter({
    name: 'flagship_worker_ramp_steps_applied_total',
    help: 'Ramp steps applied, by environment',
    labelNames: ['environment'],
    registers: [registry],
  });
  const lateness = new Histogram({
    name: 'flagship_worker_ramp_step_lateness_seconds',
    help: "From a ramp step's planned time to its commit",
    labelNames: ['environment'],
    buckets: LATENESS_BUCKETS,
    registers: [registry],
  });
  const webhookAttempts = new Counter({
    name: 'flagship_worker_webhook_attempts_total',
    help: 'Webhook delivery attempts, by environment and outcome (accepted: a 2xx; failed: anything else)',
    labelNames: ['environment', 'outcome'],
    registers: [registry],
  });
  const webhookLatency = new Histogram({
    name: 'flagship_worker_webhook_attempt_duration_seconds',
    help: 'From sending a webhook attempt to its answer (or its failure)',
    buckets: WEBHOOK_LATENCY_BUCKETS,
    registers: [registry],
  });
  const webhooksDisabled = new Counter({
    name: 'flagship_worker_webhooks_disabled_total',
    help: 'Webhooks this worker disabled after they failed too long (which ones: flagship_webhook_disabled on the API)',
    registers: [registry],
  });
  const guardLooks = new Counter({
    name: 'flagship_worker_guard_looks_total',
    help: "Looks at a ramp guard, by environment and decision (too-few-exposures, no-breach, breach)",
    labelNames: ['environment', 'decision'],
    registers: [registry],
  });
  const guardBreaches = new Counter({
    name: 'flagship_worker_guard_breaches_total',
    help: 'Ramps a guard stopped, by environment and action (rollback, pause)',
    labelNames: ['environment', 'action'],
    registers: [registry],
  });
  const dependencyError = dependencyErrorCounter(registry);
  new Gauge({
    name: 'flagship_worker_queue_jobs',
    help: 'BullMQ jobs by queue and state (waiting, delayed, failed), counted at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        [...queues].map(async (queue) => {
          try {
            // Redis may be away: a scrape must not hang on it (BullMQ's connection retries for ever).
            const counts = await countWithin(queue.getJobCounts(...JOB_STATES), QUEUE_COUNT_TIMEOUT_MS);
            if (!counts) return;
            for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          } catch (error) {
            dependencyError('redis', error);
          }
        }),
      );
    },
  });
  return {
    rampStepApplied(step) {
      applied.inc({ environment: step.environment });
      lateness.observe({ environment: step.environment }, Math.max(0, Date.parse(step.appliedAt) - Date.parse(step.plannedAt)) / 1000);
    },
    webhookAttempt(attempt) {
      webhookAttempts.inc({ environment: attempt.environment, outcome: attempt.accepted ? 'accepted' : 'failed' });
      webhookLatency.observe(attempt.latencyMs / 1000);
    },
    webhookDisabled: () => webhooksDisabled.inc(),
    guardLooked(look) {
      for (const decision of look.decisions) guardLooks.inc({ environment: look.environment, decision });
      if (look.breach) guardBreaches.inc({ environment: look.environment, action: look.breach.action });
    },
    watchQueue: (queue) => queues.add(queue),
    dependencyError,
  };
}
