import t from 'tap';
import type { Redis } from 'ioredis';
import type { Queryable } from '../../shared/db/pool.js';
import type { RedisAvailability } from '../../shared/redis/availability.js';
import { createReplaySource } from '../../services/notifier/replay-source.js';

// After the relay reloads, every socket of an environment reads the changes
// after the same version at once: one query for all of them, not one each
// (the capacity bench's 6,667 sockets per notifier drained the pool and were
// disconnected). Nothing is kept once a read lands.
t.test('concurrent catch-ups from one version share one read of the event table; a later one reads again', async (t) => {
  const queries: unknown[][] = [];
  const waiting: Array<() => void> = [];
  /** Answers every query waiting so far with no rows. */
  const answer = () => {
    for (const resolve of waiting.splice(0)) resolve();
  };
  const db = {
    query: (_sql: string, params: unknown[]) => {
      queries.push(params);
      return new Promise((resolve) => waiting.push(() => resolve({ rows: [] })));
    },
  } as unknown as Queryable;
  const source = createReplaySource(db, {} as Redis, 'unused', {} as RedisAvailability);

  const reads = Array.from({ length: 500 }, () => source.changesSince('prod', 41, 500));
  const other = source.changesSince('prod', 40, 500);
  t.equal(queries.length, 2, 'one query per (environment, version, limit) in flight: 500 sockets at 41, one at 40');
  answer();
  t.same(await Promise.all(reads), Array.from({ length: 500 }, () => []));
  t.same(await other, []);

  const again = source.changesSince('prod', 41, 500);
  t.equal(queries.length, 3, 'a catch-up after the read landed asks PostgreSQL again');
  answer();
  t.same(await again, []);
});
