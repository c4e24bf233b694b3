// The ramp baseline, in a process of its own: a bare BullMQ timer chain on
// the same Redis (its own prefix). Like FlagShip's worker, each job queues
// the next one with a delay up to its planned time; the job's lateness is
// when its handler starts minus when it was planned.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { serveCommands } from '../harness/ipc.js';

export interface ChainArgs {
  redisUrl: string;
  prefix: string;
  /** Epoch ms of the first step. */
  firstAt: number;
  steps: number;
  everyMs: number;
}

async function run(args: ChainArgs): Promise<{ latenessMs: number[] }> {
  const connection = new Redis(args.redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(args.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue<{ position: number }>('bare-ramp', { connection, prefix: args.prefix });
  const latenessMs: number[] = [];
  const plannedAt = (position: number) => args.firstAt + position * args.everyMs;
  const enqueue = (position: number) =>
    queue.add('step', { position }, { jobId: `step-${position}`, delay: Math.max(0, plannedAt(position) - Date.now()), removeOnComplete: true });
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const worker = new Worker<{ position: number }>(
    'bare-ramp',
    async (job) => {
      latenessMs.push(Date.now() - plannedAt(job.data.position));
      const next = job.data.position + 1;
      if (next < args.steps) await enqueue(next);
      else finish();
    },
    { connection: workerConnection, prefix: args.prefix, concurrency: 4 },
  );
  await worker.waitUntilReady();
  await enqueue(0);
  await finished;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  workerConnection.disconnect();
  return { latenessMs };
}

serveCommands({ run });
