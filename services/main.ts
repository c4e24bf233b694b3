import { openTokenAccess, runProcess } from '../shared/bootstrap-process.js';
import { wireApi } from './api/wiring.js';
import { wireNotifier } from './notifier/wiring.js';
import { wireWorker } from './worker/wiring.js';

// All services in one process (`npm start`): the default for a single machine,
// built by the same wiring as each service alone. Each service still talks to
// the others only through PostgreSQL, Redis and BullMQ; they share the pool,
// Redis, one metrics registry (the API's /metrics shows all three), and one
// token cache and revocation watch (the API's and the notifier's tokens).
await runProcess(undefined, async (parts) => {
  const access = openTokenAccess(parts);
  const api = await wireApi(parts, access);
  const notifier = await wireNotifier(parts, access);
  const worker = await wireWorker(parts, { serveOps: false });
  return [...api, ...notifier, ...worker, access];
});
