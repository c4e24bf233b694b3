import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, CliError } from './errors.js';
import { segment as escape, type ApiClient } from './api-client.js';

/** GET /v1/environments/{env}/relayed. */
export interface EnvironmentRelay {
  environment: string;
  version: number | null;
  currentVersion: number;
  notifiers: Array<{ id: string; version: number | null }>;
}

export interface WaitOptions {
  environment: string;
  /** The version to wait for; the environment's current version when left out. */
  version?: number;
  timeoutMs: number;
  /** Told once, after the first answer, when the version is not relayed yet. */
  onWaiting?: (relay: EnvironmentRelay, version: number) => void;
}

export interface WaitResult {
  environment: string;
  version: number;
  notifiers: EnvironmentRelay['notifiers'];
}

/** The longest the server holds one request (its MAX_RELAY_WAIT_MS); the wait asks again until its own timeout. */
const HOLD_MS = 25_000;
/** How long to leave an unreachable server or an outage of its Redis (503) before asking again. */
const RETRY_MS = 250;

const relayed = (relay: EnvironmentRelay, version: number) => relay.version !== null && relay.version >= version;

/**
 * Waits until every live notifier has relayed `version` (and at least one is
 * live), or fails once `timeoutMs` has passed, naming who is behind. It asks
 * once, then holds a request open (`?atLeast=<version>&waitMs=`) that the
 * server answers as soon as the last notifier reports the relay, so the wait
 * ends within a round trip of it; a held request that ends without it (the
 * server's hold is at most 25 s) is asked again. A notifier that dies stops
 * counting when its report expires (a few seconds), so a killed one delays
 * the wait by that much, never forever. An unreachable server or its Redis
 * outage (503) is retried until the deadline.
 */
export async function waitForRelay(client: ApiClient, options: WaitOptions): Promise<WaitResult> {
  const deadline = Date.now() + options.timeoutMs;
  const path = `/v1/environments/${escape(options.environment)}/relayed`;
  let target = options.version;
  let last: EnvironmentRelay | undefined;
  let lastProblem: string | undefined;
  let told = false;
  for (;;) {
    const remaining = Math.max(0, deadline - Date.now());
    // The first question is answered at once (it learns the current version and says what it waits for); the next ones are held.
    const holdMs = last === undefined || target === undefined ? undefined : Math.min(HOLD_MS, remaining);
    const asked = Date.now();
    try {
      const relay = await client
        .request<EnvironmentRelay>('GET', holdMs === undefined ? path : `${path}?atLeast=${target}&waitMs=${holdMs}`, {
          timeoutMs: (holdMs ?? 0) + Math.max(1000, Math.min(10_000, remaining)),
        })
        .then((response) => response.body);
      last = relay;
      lastProblem = undefined;
      const wanted = (target ??= relay.currentVersion);
      if (relayed(relay, wanted)) return { environment: options.environment, version: wanted, notifiers: relay.notifiers };
      if (!told) options.onWaiting?.(relay, wanted);
      told = true;
      // Answered early without it (a server shutting down): do not ask again in a tight loop.
      if (holdMs !== undefined && Date.now() - asked < holdMs && Date.now() < deadline) await sleep(Math.min(RETRY_MS, Math.max(0, deadline - Date.now())));
    } catch (error) {
      // Only a dependency outage is worth waiting out; a 4xx (unknown environment, bad token) will not change.
      if (!(error instanceof ApiError && error.status === 503) && !(error instanceof CliError && !(error instanceof ApiError) && /could not reach/.test(error.message))) throw error;
      lastProblem = error.message;
      if (Date.now() < deadline) await sleep(Math.min(RETRY_MS, Math.max(0, deadline - Date.now())));
    }
    if (Date.now() >= deadline) throw new CliError(timeoutMessage(options, target, last, lastProblem));
  }
}

function timeoutMessage(options: WaitOptions, target: number | undefined, relay: EnvironmentRelay | undefined, problem: string | undefined): string {
  const after = `timed out after ${options.timeoutMs} ms waiting for ${options.environment} version ${target ?? '(current)'}`;
  if (problem) return `${after}: ${problem}`;
  if (!relay || relay.notifiers.length === 0) return `${after}: no notifier is running (none reported in the last few seconds)`;
  const behind = relay.notifiers
    .filter((notifier) => notifier.version === null || notifier.version < target!)
    .map((notifier) => `${notifier.id} at ${notifier.version ?? 'nothing yet'}`);
  const note = target !== undefined && target > relay.currentVersion ? ` (${options.environment} is only at version ${relay.currentVersion})` : '';
  return `${after}${note}: ${behind.length} of ${relay.notifiers.length} notifiers behind: ${behind.join(', ')}`;
}
