import { createDatabaseSnapshotReader } from '../../services/api/snapshot-reader.js';
import { startApi } from '../../services/api/server.js';
import { openRampQueue } from '../../shared/rollouts/queue.js';
import type { TestEnvironment, Teardowns } from './environment.js';
import { httpClient, type HttpRequest } from './http.js';

export interface TestApi {
  url: string;
  request: HttpRequest;
  close(): Promise<void>;
}

/** Starts the real API on an ephemeral port against the test environment's database and Redis. */
export async function startTestApi(t: Teardowns, env: TestEnvironment): Promise<TestApi> {
  const rampQueue = openRampQueue(env.config, env.logger);
  const api = await startApi(
    { pool: env.pool, redis: env.redis, logger: env.logger, redisPrefix: env.config.redisPrefix, snapshots: createDatabaseSnapshotReader(env.pool), rampQueue: rampQueue.queue },
    0,
  );
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await api.close();
    await rampQueue.close();
  };
  t.teardown(close);
  const url = `http://127.0.0.1:${api.port}`;
  return { url, request: httpClient(url), close };
}
