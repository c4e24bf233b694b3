import { runProcess } from '../../shared/bootstrap-process.js';
import { wireWorker } from './wiring.js';

// The worker alone (`npm run start:worker`), with /healthz and /metrics on WORKER_PORT;
// services/main.ts starts the same wiring next to the other services.
await runProcess('worker', (parts) => wireWorker(parts, { serveOps: true }));
