import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Pool } from '../../shared/db/pool.js';
import type { Logger } from '../../shared/logger.js';
import type { RampQueue } from '../../shared/domain/ramps/ramp-queue.js';
import type { RevocationWatch } from '../../shared/domain/tokens/revocation-watch.js';
import type { RelayWatch } from '../../shared/domain/relay-reports/relay-watch.js';
import type { AddressPolicy } from '../../shared/domain/webhooks/address-policy.js';
import type { TokenLookup } from '../../shared/domain/tokens/token-cache.js';
import type { SessionPolicy } from '../../shared/domain/people/session-service.js';
import type { SnapshotReader } from './snapshots/snapshot-reader.js';
import type { UsageRecorder } from './usage/usage-recorder.js';
import type { OidcRouteDeps } from './auth/oidc-routes.js';

/** What the API needs from the outside world; main.ts builds it, tests build their own. */
export interface ApiDeps {
  pool: Pool;
  redis: Redis;
  logger: Logger;
  /** Prefix of the Redis keys and channels derived from this database (installation prefix + database identity). */
  redisPrefix: string;
  /** Environment snapshots for SDK reads and evaluation. */
  snapshots: SnapshotReader;
  /** BullMQ queue of rollout ramp timers: the API queues a ramp's next step. */
  rampQueue: RampQueue;
  /** FLAGSHIP_PUBLIC_URL: the OpenAPI document's server; without it, the document names none (relative to where it was read). */
  publicUrl?: string;
  /** The process's metrics registry (main.ts shares it with the other services of the process); a fresh one otherwise. */
  metrics?: Registry;
  /** FLAGSHIP_METRICS_TOKEN: when set, /metrics needs it as a bearer token. */
  metricsToken?: string;
  /** FLAGSHIP_TRUST_PROXY: believe X-Forwarded-Proto/-Host when building advertised URLs. */
  trustProxy?: boolean;
  /** FLAGSHIP_CORS_ORIGINS for the SDK-facing routes; any origin when not given. */
  corsOrigins?: '*' | readonly string[];
  /**
   * Where webhooks may point (FLAGSHIP_WEBHOOK_ALLOW_PRIVATE), checked when one is created or changed.
   * Without it, the configuration's default: public addresses only (the safe side).
   */
  webhookPolicy?: AddressPolicy;
  /** Token lookups: startApi supplies the cache (shared/domain/tokens/token-cache.ts); without one, a query per request. */
  tokens?: TokenLookup;
  /**
   * Where evaluations and SDK reports are counted: startApi supplies one (flushed
   * on close). Without it (tests that build the app alone) SDK reports are refused
   * with a 503 and the API's own evaluations go uncounted.
   */
  usage?: UsageRecorder;
  /** Unleash metrics reports one token may send this process per minute (429 beyond). Default DEFAULT_REPORTS_PER_MINUTE. */
  metricsReportsPerMinute?: number;
  /** The clock of time-based rules (usage hours, stale flags); tests inject one. Default: the system clock. */
  clock?: () => Date;
  /** What GET /api/client/features tells a polling Unleash SDK: switch to streaming (the default), or keep polling. */
  unleashFetchMode?: 'streaming' | 'polling';
  /** How long sign-in sessions last (FLAGSHIP_SESSION_IDLE_MINUTES, FLAGSHIP_SESSION_MAX_HOURS); DEFAULT_SESSION_POLICY without it. */
  sessionPolicy?: SessionPolicy;
  /**
   * Single sign-on, when it is configured (the OpenID Connect routes): what the
   * sign-in page's button says and where it leads (GET /auth/methods). Without
   * it, local accounts only.
   */
  singleSignOn?: { label: string; loginUrl: string };
  /** The built console's folder, served at `/`; without it, `/` is a 404 (tests of the API alone). */
  consoleDir?: string;
  /** FLAGSHIP_ANSWER_CACHE_MB in bytes: how much the evaluating routes keep of their answers (answer-cache.ts); 0 keeps none. */
  answerCacheBytes?: number;
  /** Ends every open use of a revoked token (cached lookups, event streams); startApi makes one when not given. */
  revocations?: RevocationWatch;
  /** Wakes deploy gates held open (GET …/relayed?atLeast=) when a notifier reports; startApi makes one when not given. */
  relayWatch?: RelayWatch;
  /**
   * False until the process's start is complete, an admin able to get in
   * (shared/bootstrap-process.ts): /readyz answers 503 until then. Without it, complete.
   */
  startComplete?: () => boolean;
  /** OpenID Connect sign-in (services/api/auth/oidc-sign-in.ts); without it, single sign-on is off. */
  oidc?: OidcRouteDeps['oidc'];
}
