import { z } from 'zod';
import { OidcDefaultRoleSchema, OidcIssuerSchema, OidcRoleMapSchema, oidcConfigFrom, type OidcConfig } from './oidc.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Digits only: Number() would read " " as 0 (a random port), "1e3" as 1000 and
// "0x50" as 80, silently turning a typo into a different port.
const port = (fallback: number) =>
  z
    .string()
    .regex(/^\d{1,5}$/, { error: 'must be a port number: digits only, 0 to 65535' })
    .transform(Number)
    .pipe(z.number().max(65535, { error: 'must be between 0 and 65535' }))
    .default(fallback);

// A duration in milliseconds, digits only (same reasons as port), within bounds
// that keep it meaningful: 0 would mean "wait for ever" to node-postgres.
const milliseconds = (fallback: number, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, { error: `must be a number of milliseconds: digits only, ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().min(min, { error: `must be at least ${min} ms` }).max(max, { error: `must be at most ${max} ms` }))
    .default(fallback);

/** The bounded waits' defaults (docs/operations-faults.md explains each). */
export const DEFAULT_TIMEOUTS = Object.freeze({
  dbConnectTimeoutMs: 3000,
  dbQueryTimeoutMs: 5000,
  dbIdleInTransactionTimeoutMs: 10_000,
  redisCommandTimeoutMs: 1000,
  redisConnectTimeoutMs: 2000,
  shutdownTimeoutMs: 10_000,
});

const absoluteUrl = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { error: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** `https://app.example.com` or `http://localhost:5173`: what a browser sends as Origin. */
function isOrigin(value: string): boolean {
  try {
    const parsed = new URL(value);
    return ['http:', 'https:'].includes(parsed.protocol) && parsed.origin === value;
  } catch {
    return false;
  }
}

const url = (protocols: string[], fallback: string) => absoluteUrl(protocols).default(fallback);

// "1"/"true" or "0"/"false": anything else is a typo, not "off".
const flag = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false'], { error: 'must be 1, 0, true or false' })
    .transform((value) => value === '1' || value === 'true')
    .default(fallback);

const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,12}$/, { error: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be a whole number from ${min} to ${max}` })
        .max(max, { error: `must be a whole number from ${min} to ${max}` }),
    )
    .default(fallback);

const EnvironmentSchema = z.object({
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/flagship'),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  PORT: port(8080),
  NOTIFIER_PORT: port(8081),
  /** The worker's /healthz and /metrics when it runs alone (all-in-one, the API's /metrics covers it). */
  WORKER_PORT: port(8082),
  FLAGSHIP_ADMIN_TOKEN: z
    .string()
    .min(16, { error: 'must be at least 16 characters (it is an admin secret)' })
    .optional(),
  /** When set, every /metrics needs `Authorization: Bearer <it>`. */
  FLAGSHIP_METRICS_TOKEN: z
    .string()
    .min(16, { error: 'must be at least 16 characters (it guards the metrics)' })
    .optional(),
  /** Where users reach the API (behind a proxy, say): advertised in the OpenAPI document's `servers`. */
  FLAGSHIP_PUBLIC_URL: absoluteUrl(['http:', 'https:']).optional(),
  /** Whether X-Forwarded-Proto and X-Forwarded-Host come from a proxy of ours (else anyone could set them). */
  FLAGSHIP_TRUST_PROXY: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  /** Origins whose browser code may call the SDK-facing routes (OFREP): `*` or a comma-separated list. */
  FLAGSHIP_CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((value, ctx) => {
      if (value.trim() === '*') return '*' as const;
      const origins = value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
      for (const origin of origins) {
        if (!isOrigin(origin)) {
          ctx.addIssue({ code: 'custom', message: `'${origin}' is not an origin like https://app.example.com (scheme, host, optional port, nothing else)` });
        }
      }
      if (origins.length === 0) ctx.addIssue({ code: 'custom', message: 'must be * or a comma-separated list of origins' });
      return origins;
    }),
  /**
   * What GET /api/client/features tells polling Unleash SDKs: `streaming` (unleash-client 6
   * then switches to GET /api/client/streaming, push within milliseconds) or `polling`
   * (for fleets that must poll, e.g. behind proxies that cut long-lived responses).
   */
  FLAGSHIP_UNLEASH_FETCH_MODE: z
    .enum(['streaming', 'polling'], { error: 'must be streaming or polling' })
    .default('streaming'),
  /** How many MiB of evaluated answers the API keeps per context (POST /v1/client/evaluate, OFREP bulk, /api/frontend); 0: none. */
  FLAGSHIP_ANSWER_CACHE_MB: wholeNumber(0, 65_536, 32),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /** Prefix of every Redis key FlagShip writes, so several installations (or tests) share one Redis. */
  FLAGSHIP_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { error: 'must be 1-64 letters, digits or _ . : -' })
    .default('flagship'),
  /** How long to wait for a PostgreSQL connection (from the pool, or a new one). */
  FLAGSHIP_DB_CONNECT_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.dbConnectTimeoutMs, 100, 600_000),
  /** PostgreSQL cancels a statement after this (statement_timeout); the client gives up 1 s later if no answer comes at all. */
  FLAGSHIP_DB_QUERY_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.dbQueryTimeoutMs, 100, 600_000),
  /** PostgreSQL ends a session left idle inside a transaction this long (its locks go with it). */
  FLAGSHIP_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.dbIdleInTransactionTimeoutMs, 100, 600_000),
  /** How long one Redis command may wait for its answer. */
  FLAGSHIP_REDIS_COMMAND_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.redisCommandTimeoutMs, 50, 600_000),
  /** How long to wait for a Redis connection to open. */
  FLAGSHIP_REDIS_CONNECT_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.redisConnectTimeoutMs, 50, 600_000),
  /** How long a graceful shutdown may take before the process is stopped anyway. */
  FLAGSHIP_SHUTDOWN_TIMEOUT_MS: milliseconds(DEFAULT_TIMEOUTS.shutdownTimeoutMs, 100, 3_600_000),
  /** Deliver webhooks to loopback and private addresses (link-local and cloud metadata addresses stay refused). */
  FLAGSHIP_WEBHOOK_ALLOW_PRIVATE: flag(false),
  /** First retry delay of a failed webhook attempt; doubles per failure (with jitter), capped at an hour. */
  FLAGSHIP_WEBHOOK_RETRY_BASE_MS: milliseconds(5000, 1, 3_600_000),
  /** A sign-in session ends after this many minutes without a request (8 hours by default). */
  FLAGSHIP_SESSION_IDLE_MINUTES: wholeNumber(1, 525_600, 480),
  /** A sign-in session ends this many hours after sign-in, however active (7 days by default). */
  FLAGSHIP_SESSION_MAX_HOURS: wholeNumber(1, 8_760, 168),
  /** Consecutive failures (spanning at least a day) after which a webhook is disabled. */
  FLAGSHIP_WEBHOOK_DISABLE_AFTER_FAILURES: wholeNumber(1, 1_000_000, 20),
  /** The OpenID Connect issuer people sign in with (https; http only on loopback). Unset: no single sign-on. */
  FLAGSHIP_OIDC_ISSUER: OidcIssuerSchema.optional(),
  FLAGSHIP_OIDC_CLIENT_ID: z.string().optional(),
  /** Unset: a public client (PKCE alone). */
  FLAGSHIP_OIDC_CLIENT_SECRET: z.string().optional(),
  /** The claim (ID token or userinfo) that lists a person's groups. */
  FLAGSHIP_OIDC_ROLE_CLAIM: z.string().regex(/^\S{1,200}$/, { error: 'must be a claim name (no spaces)' }).default('groups'),
  /** `group=role[@project]`, comma-separated; without @project, every project. */
  FLAGSHIP_OIDC_ROLE_MAP: OidcRoleMapSchema.default([]),
  /** The role of a person whose groups map to none (`viewer` or `viewer@project`); unset: they are refused. */
  FLAGSHIP_OIDC_DEFAULT_ROLE: OidcDefaultRoleSchema.optional(),
});

/** Every environment variable FlagShip reads (docs/configuration.md describes each; a test holds it to that). */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(EnvironmentSchema.shape));

export type { OidcConfig, OidcRoleGrant, OidcRoleMapping } from './oidc.js';

export type Config = Readonly<{
  databaseUrl: string;
  redisUrl: string;
  port: number;
  notifierPort: number;
  workerPort: number;
  metricsToken: string | undefined;
  adminToken: string | undefined;
  publicUrl: string | undefined;
  trustProxy: boolean;
  /** `*`: any origin. */
  corsOrigins: '*' | readonly string[];
  unleashFetchMode: 'streaming' | 'polling';
  answerCacheBytes: number;
  logLevel: (typeof LOG_LEVELS)[number];
  redisPrefix: string;
  dbConnectTimeoutMs: number;
  dbQueryTimeoutMs: number;
  dbIdleInTransactionTimeoutMs: number;
  redisCommandTimeoutMs: number;
  redisConnectTimeoutMs: number;
  shutdownTimeoutMs: number;
  webhookAllowPrivate: boolean;
  webhookRetryBaseMs: number;
  webhookDisableAfterFailures: number;
  /** OpenID Connect sign-in; undefined when FLAGSHIP_OIDC_ISSUER is not set. */
  oidc: OidcConfig | undefined;
  /** How long sign-in sessions last. */
  session: Readonly<{ idleMs: number; absoluteMs: number }>;
}>;

/** The PostgreSQL waits, as createPool takes them. */
export type DatabaseTimeouts = Pick<Config, 'dbConnectTimeoutMs' | 'dbQueryTimeoutMs' | 'dbIdleInTransactionTimeoutMs'>;
/** The Redis waits, as createRedis takes them. */
export type RedisTimeouts = Pick<Config, 'redisCommandTimeoutMs' | 'redisConnectTimeoutMs'>;

/** Thrown when the environment does not describe a usable configuration; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates FlagShip's configuration from environment variables. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set": docker-compose and shells often pass VAR= through.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = EnvironmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const vars = parsed.data;
  const oidc = oidcConfigFrom(vars);
  if (oidc.problems.length > 0) throw new ConfigError(oidc.problems);
  return Object.freeze({
    databaseUrl: vars.DATABASE_URL,
    redisUrl: vars.REDIS_URL,
    port: vars.PORT,
    notifierPort: vars.NOTIFIER_PORT,
    workerPort: vars.WORKER_PORT,
    metricsToken: vars.FLAGSHIP_METRICS_TOKEN,
    adminToken: vars.FLAGSHIP_ADMIN_TOKEN,
    publicUrl: vars.FLAGSHIP_PUBLIC_URL,
    trustProxy: vars.FLAGSHIP_TRUST_PROXY,
    corsOrigins: vars.FLAGSHIP_CORS_ORIGINS === '*' ? '*' : Object.freeze([...vars.FLAGSHIP_CORS_ORIGINS]),
    unleashFetchMode: vars.FLAGSHIP_UNLEASH_FETCH_MODE,
    answerCacheBytes: vars.FLAGSHIP_ANSWER_CACHE_MB * 1024 * 1024,
    logLevel: vars.LOG_LEVEL,
    redisPrefix: vars.FLAGSHIP_REDIS_PREFIX,
    dbConnectTimeoutMs: vars.FLAGSHIP_DB_CONNECT_TIMEOUT_MS,
    dbQueryTimeoutMs: vars.FLAGSHIP_DB_QUERY_TIMEOUT_MS,
    dbIdleInTransactionTimeoutMs: vars.FLAGSHIP_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    redisCommandTimeoutMs: vars.FLAGSHIP_REDIS_COMMAND_TIMEOUT_MS,
    redisConnectTimeoutMs: vars.FLAGSHIP_REDIS_CONNECT_TIMEOUT_MS,
    shutdownTimeoutMs: vars.FLAGSHIP_SHUTDOWN_TIMEOUT_MS,
    webhookAllowPrivate: vars.FLAGSHIP_WEBHOOK_ALLOW_PRIVATE,
    webhookRetryBaseMs: vars.FLAGSHIP_WEBHOOK_RETRY_BASE_MS,
    webhookDisableAfterFailures: vars.FLAGSHIP_WEBHOOK_DISABLE_AFTER_FAILURES,
    oidc: oidc.config,
    session: Object.freeze({
      idleMs: vars.FLAGSHIP_SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: vars.FLAGSHIP_SESSION_MAX_HOURS * 3_600_000,
    }),
  });
}
