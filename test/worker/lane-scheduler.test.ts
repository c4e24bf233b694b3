import t from 'tap';
import { createLaneScheduler } from '../../services/worker/webhooks/lane-scheduler.js';
import type { Lane } from '../../shared/domain/webhooks/webhook-repository.js';

/*
 * The scheduler with runs the test finishes by hand and a clock it moves
 * (the only fake): which lanes run, in which order, and that slow lanes never
 * take the last slot.
 */

function harness(concurrency: number) {
  let clock = 0;
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const scheduler = createLaneScheduler(
    (lane) =>
      new Promise<void>((resolve) => {
        started.push(lane.webhookId);
        finishers.set(lane.webhookId, resolve);
      }),
    { concurrency, slowRunMs: 2000, now: () => clock },
  );
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    scheduler,
    started,
    running: () => [...finishers.keys()].sort(),
    kick: (webhookId: string) => scheduler.kick({ webhookId, environment: 'prod' } satisfies Lane),
    advance: (ms: number) => (clock += ms),
    async finish(...webhookIds: string[]) {
      for (const id of webhookIds) {
        finishers.get(id)!();
        finishers.delete(id);
      }
      await settle();
    },
  };
}

t.test('at most `concurrency` lanes run; the rest in the order they asked; a lane never runs twice at once', async (t) => {
  const h = harness(2);
  for (const id of ['a', 'b', 'c', 'd']) h.kick(id);
  h.kick('a');
  t.same(h.running(), ['a', 'b']);
  await h.finish('a');
  t.same(h.started, ['a', 'b', 'c'], 'c asked before a asked again');
  await h.finish('b');
  t.same(h.started, ['a', 'b', 'c', 'd']);
  await h.finish('c');
  t.same(h.started, ['a', 'b', 'c', 'd', 'a'], "a's second ask ran once, after its first run");
  await h.finish('d', 'a');
  t.same(h.running(), []);
});

t.test('slow lanes keep the last slot free: a healthy lane starts while they still have work', async (t) => {
  const h = harness(4);
  const slow = ['slow-1', 'slow-2', 'slow-3', 'slow-4'];
  for (const id of slow) h.kick(id);
  t.same(h.running(), slow, 'unknown yet: the slow lanes take every slot for their first attempt');

  // Each took 9 s and has more to deliver: it asks again before its run ends.
  for (const id of slow) h.kick(id);
  h.advance(9000);
  await h.finish(...slow);
  t.same(h.running(), ['slow-1', 'slow-2', 'slow-3'], 'now known slow: three slots for them, one kept');

  h.kick('healthy');
  t.same(h.running(), ['healthy', 'slow-1', 'slow-2', 'slow-3'], 'the healthy lane starts at once');
  t.notOk(h.running().includes('slow-4'), 'slow-4 still waits with its backlog');
  await h.finish('healthy');
  t.same(h.running(), ['slow-1', 'slow-2', 'slow-3'], 'the freed slot stays kept for others');

  h.advance(9000);
  await h.finish('slow-1');
  t.same(h.running(), ['slow-2', 'slow-3', 'slow-4'], 'slow lanes take turns in the slots they have');

  // A lane whose run is quick again is no longer slow.
  h.kick('slow-1');
  h.advance(10);
  await h.finish('slow-2', 'slow-3', 'slow-4');
  t.same(h.running(), ['slow-1']);
  await h.finish('slow-1');
  for (const id of ['slow-1', 'x', 'y', 'z']) h.kick(id);
  t.same(h.running(), ['slow-1', 'x', 'y', 'z'], 'a lane whose last run was quick may take any slot');
  await h.finish('slow-1', 'x', 'y', 'z');
});

t.test('with one slot, a slow lane still runs (nothing to keep it for)', async (t) => {
  const h = harness(1);
  h.kick('slow');
  h.kick('slow');
  h.advance(5000);
  await h.finish('slow');
  t.same(h.running(), ['slow']);
  await h.finish('slow');
});
