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
