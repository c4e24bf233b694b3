import t from 'tap';
import { withTransaction } from '../../shared/db/tx.js';
import { archiveFlag } from '../../shared/domain/flags/flag-repository.js';
import { listsAtVersion } from '../../shared/domain/history/history-repository.js';
import { snapshotAsOf } from '../../shared/domain/history/history-service.js';
import { startCheckpointWorker } from '../../services/worker/history/checkpoint-worker.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { closeOnce } from '../helpers/worker.js';

// The worker's round of checkpoints on a log written straight through the
// change triggers: 30 flags changed in rounds (one version each) and a
// segment now and then, about 250 versions of 'dev'.
const env = await createTestEnvironment(t, 'history-checkpoint-worker');
await env.pool.query(`insert into flag (key) select 'cp-' || lpad(g::text, 2, '0') from generate_series(1, 30) g`);
await env.pool.query(
  `insert into flag_state (flag_id, environment_key, strategies)
   select id, 'dev', jsonb_build_array(flagship_rollout_strategy(gen_random_uuid()::text, key, 50)) from flag order by key`,
);
const segment = (await env.pool.query<{ id: number }>(`insert into segment (name, constraints) values ('cp-segment', '[]') returning id`)).rows[0]!.id;
for (let round = 0; round < 7; round += 1) {
  await env.pool.query(
    `update flag_state s set enabled = not s.enabled,
            strategies = jsonb_set(s.strategies, '{0,parameters,rollout}', to_jsonb($1::text))
      where s.environment_key = 'dev'`,
    [String(round * 10)],
  );
  await env.pool.query(`update segment set description = $2 where id = $1`, [segment, `round ${round}`]);
}
// Archived through the repository (its trigger writes an `archived` event in every environment).
await withTransaction(env.pool, (client) => archiveFlag(client, 'cp-07'));
const { rows } = await env.pool.query<{ version: number }>(`select version::int as version from environment where key = 'dev'`);
const top = rows[0]!.version;

t.test('a round checkpoints every environment up to its version; snapshots from them are those of the log', async (t) => {
  const worker = startCheckpointWorker({ pool: env.pool, logger: env.logger, pollMs: 60_000 });
  closeOnce(t, worker);
  await worker.runNow();
  const versions = (await env.pool.query<{ version: number }>(`select version::int as version from snapshot_checkpoint where environment_key = 'dev' order by version`)).rows.map((row) => row.version);
  t.same(versions, Array.from({ length: Math.floor(top / 100) + 1 }, (_, index) => index * 100), `dev at ${top}: a checkpoint every 100 versions`);
  t.equal(await worker.runNow(), 0, 'the next round has nothing to build');
  for (let version = 0; version <= top; version += 7) {
    const fromCheckpoints = await snapshotAsOf(env.pool, 'dev', { version });
    t.same(JSON.stringify({ flags: fromCheckpoints.flags, segments: fromCheckpoints.segments }), JSON.stringify(await listsAtVersion(env.pool, 'dev', version)), `version ${version}`);
  }
  const last = await snapshotAsOf(env.pool, 'dev', { version: top });
  t.notOk(last.flags.some((flag) => flag.key === 'cp-07'), 'an archived flag has left the snapshot');
  t.equal(last.flags.length, 29);
});
