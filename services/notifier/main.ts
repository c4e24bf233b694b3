import { openTokenAccess, runProcess } from '../../shared/bootstrap-process.js';
import { wireNotifier } from './wiring.js';

// The notifier alone (`npm run start:notifier`); services/main.ts starts the same wiring next to the other services.
await runProcess('notifier', async (parts) => {
  const access = openTokenAccess(parts);
  return [...(await wireNotifier(parts, access)), access];
});
