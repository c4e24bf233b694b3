import type { Pool } from '../../db/pool.js';
import { DependencyUnavailableError } from '../../errors.js';
import type { ClientEventBatch, ClientEventReceipt } from '../../schemas/client-events.js';
import { addClientEventBatches, type BatchRows } from './client-event-repository.js';
import { minuteRowsOf } from './client-event-service.js';

/** Rows waiting for the next write at most; beyond, a batch is refused with a 503 (memory stays bounded). */
export const MAX_QUEUED_ROWS = 100_000;
/** Batches one statement writes at most. */
const MAX_BATCHES_PER_WRITE = 500;

interface Queued {
  batch: BatchRows;
  resolve: (receipt: ClientEventReceipt) => void;
  reject: (error: unknown) => void;
}

export interface ClientEventWriter {
  /** Counts a batch in `environment`; resolves once it is committed (or known to be a duplicate). */
  record(environment: string, batch: ClientEventBatch, now: Date): Promise<ClientEventReceipt>;
}

/**
 * Writes apps' batches by group commit: a batch waits for the statement in
 * flight (if any) to finish, then every batch that arrived meanwhile is
 * written by one statement (addClientEventBatches). A request is answered only
 * once its batch is committed, so an acknowledged count is never lost; under
 * load the statements grow instead of multiplying. A retry of a batch still
 * waiting is answered as a duplicate at once.
 */
export function createClientEventWriter(pool: Pool): ClientEventWriter {
  let queue: Queued[] = [];
  let queuedRows = 0;
  let writing = false;

  const writeQueued = async () => {
    if (writing || queue.length === 0) return;
    writing = true;
    const group = queue.slice(0, MAX_BATCHES_PER_WRITE);
    queue = queue.slice(group.length);
    queuedRows -= group.reduce((sum, entry) => sum + entry.batch.rows.length, 0);
    try {
      const receipts = await addClientEventBatches(pool, group.map((entry) => entry.batch));
      group.forEach((entry, index) => entry.resolve({ accepted: receipts[index]!.stored, duplicate: receipts[index]!.duplicate }));
    } catch (error) {
      for (const entry of group) entry.reject(error);
    } finally {
      writing = false;
      void writeQueued();
    }
  };

  return {
    record(environment, batch, now) {
      const rows = minuteRowsOf(batch, now);
      if (batch.batchId !== undefined && queue.some((entry) => entry.batch.batchId === batch.batchId)) {
        return Promise.resolve({ accepted: 0, duplicate: true });
      }
      if (queuedRows + rows.length > MAX_QUEUED_ROWS) {
        return Promise.reject(new DependencyUnavailableError('too many event counts are waiting to be written; retry shortly'));
      }
      return new Promise<ClientEventReceipt>((resolve, reject) => {
        queue.push({ batch: { environment, appName: batch.appName, batchId: batch.batchId, rows }, resolve, reject });
        queuedRows += rows.length;
        void writeQueued();
      });
    },
  };
}
