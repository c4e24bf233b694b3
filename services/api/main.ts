import { openTokenAccess, runProcess } from '../../shared/bootstrap-process.js';
import { wireApi } from './wiring.js';

// The API alone (`npm run start:api`); services/main.ts starts the same wiring next to the other services.
await runProcess('api', async (parts) => {
  const access = openTokenAccess(parts);
  return [...(await wireApi(parts, access)), access];
});
