/*
 * Every Redis name FlagShip uses: keys, pub/sub channels, BullMQ's prefix
 * and queue names. One module, so that two installations (or two databases
 * of one installation) sharing a Redis can be checked never to meet
 * (test/security/redis-names.test.ts).
 *
 * Redis pub/sub ignores the `/N` database index of REDIS_URL: a channel is
 * only ever named under a database-scoped prefix (databaseRedisPrefix), never
 * a fixed name. Keys do respect `/N`, but are scoped the same way.
 */

/**
 * The prefix of every Redis key and pub/sub channel holding state derived from
 * one database: FLAGSHIP_REDIS_PREFIX (the installation) and the database's
 * identity. Pub/sub ignores Redis's `/N` database index, so the installation
 * prefix alone would let two installations on one Redis hear each other; the
 * identity keeps a dropped-and-recreated or restored database from reading
 * the cache of the one it replaced.
 */
export function databaseRedisPrefix(installationPrefix: string, databaseIdentity: string): string {
  return `${installationPrefix}:db-${databaseIdentity}`;
}

/** Keys and channels under a database-scoped prefix (databaseRedisPrefix). */
export const redisKeys = {
  /** Hash: one environment's snapshot (`snapshot`, `format`, `version`), written by the notifier. */
  snapshot: (prefix: string, environment: string) => `${prefix}:snapshot:${environment}`,
  /** Channel: `{ environment, version }` after the notifier stores a newer snapshot. */
  snapshotChangedChannel: (prefix: string) => `${prefix}:snapshot-changed`,
  /** Channel: `{ id }` of a token just revoked (shared/domain/tokens/revocation-watch.ts). */
  tokenRevokedChannel: (prefix: string) => `${prefix}:token-revoked`,
  /** Set: the ids of notifiers that reported what they relayed (members whose report expired are pruned by readers). */
  relayReporters: (prefix: string) => `${prefix}:relay-reporters`,
  /** Hash: one notifier's last relayed version per environment; expires when the notifier stops refreshing it (it died). */
  relayReport: (prefix: string, notifierId: string) => `${prefix}:relay-report:${notifierId}`,
  /** Channel: a notifier's id, each time it wrote its relay report (shared/domain/relay-reports/relay-watch.ts wakes held deploy gates). */
  relayReportedChannel: (prefix: string) => `${prefix}:relay-reported`,
};

/** BullMQ's own key prefix under the installation's prefix (never ioredis keyPrefix, which BullMQ refuses). */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

/** The BullMQ queues, under bullPrefix. */
export const QUEUE_NAMES = {
  /** Ramp timers: one delayed job per plan's next step. */
  ramps: 'rollout-ramps',
  /** Webhook deliveries waiting for their next attempt. */
  webhookAttempts: 'webhook-attempts',
} as const;
