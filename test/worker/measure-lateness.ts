// Measures how late ramp steps are applied compared with their planned time,
// on the real stack (API enqueues, BullMQ timers, worker transaction), in a
// database and Redis prefix of its own. Not a test (no assertion on speed):
//   npx tsx test/worker/measure-lateness.ts [ramps=20] [steps=10] [spacingMs=300] [concurrency=4]
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment, type Teardowns } from '../helpers/environment.js';
import { startTestWorker, waitFor } from '../helpers/worker.js';

const [ramps = 20, stepsPerRamp = 10, spacingMs = 300, concurrency = 4] = process.argv.slice(2).map(Number);
const teardowns: Array<() => unknown> = [];
const t: Teardowns = { teardown: (fn) => teardowns.unshift(fn) };

try {
  const env = await createTestEnvironment(t, 'measure-lateness');
  const { request } = await startTestApi(t, env);
  await startTestWorker(t, env, { concurrency });
  const admin = env.adminSecret;

  for (let index = 0; index < ramps; index += 1) {
    await request('POST', '/v1/flags', { token: admin, body: { key: `ramp_${index}`, environments: { prod: { enabled: true, rollout: 0 } } } });
  }
  // Leave time to schedule every ramp before the first step is due, even on a loaded machine.
  const start = Date.now() + 2000 + ramps * 100;
  for (let index = 0; index < ramps; index += 1) {
    const key = `ramp_${index}`;
    const first = start + index * Math.floor(spacingMs / ramps);
    const steps = Array.from({ length: stepsPerRamp }, (_, position) => ({
      rollout: Math.round(((position + 1) * 100) / stepsPerRamp),
      at: new Date(first + position * spacingMs).toISOString(),
    }));
    const created = await request('POST', `/v1/flags/${key}/environments/prod/rollouts`, { token: admin, body: { steps } });
    if (created.status !== 201) throw new Error(`could not schedule: ${created.text}`);
  }
  await waitFor('every ramp to complete', async () => {
    const { rows } = await env.pool.query<{ pending: number }>(
      `select count(*)::int as pending from rollout_plan where status <> 'completed'`,
    );
    return rows[0]!.pending === 0;
  }, 120_000);

  const { rows } = await env.pool.query<{ lateMs: number }>(
    `select extract(epoch from (applied_at - planned_at)) * 1000 as "lateMs" from rollout_step order by 1`,
  );
  const late = rows.map((row) => Number(row.lateMs));
  const at = (q: number) => late[Math.min(late.length - 1, Math.floor(q * late.length))]!;
  console.log(
    JSON.stringify({
      ramps,
      stepsPerRamp,
      spacingMs,
      concurrency,
      steps: late.length,
      earliestMs: late[0]!.toFixed(1),
      medianMs: at(0.5).toFixed(1),
      p95Ms: at(0.95).toFixed(1),
      worstMs: late[late.length - 1]!.toFixed(1),
    }),
  );
} finally {
  for (const teardown of teardowns) await teardown();
}
