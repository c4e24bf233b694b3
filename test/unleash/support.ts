import { once } from 'node:events';
import { InMemStorageProvider, Unleash, type UnleashConfig } from 'unleash-client';
import type { Teardowns } from '../helpers/environment.js';
import type { HttpRequest } from '../helpers/http.js';

/** Creates a token of `kind` for `environment` over REST; returns its secret. */
export async function createToken(request: HttpRequest, admin: string, kind: 'sdk' | 'frontend', environment: string): Promise<string> {
  const response = await request('POST', '/v1/tokens', { token: admin, body: { name: `${kind}-${environment}`, kind, environment } });
  if (response.status !== 201) throw new Error(`could not create a token: ${response.status} ${response.text}`);
  return response.body.secret;
}

/**
 * A real unleash-client (npm) pointed at FlagShip's /api with an sdk token sent
 * as Unleash SDKs send it (the bare secret), started and synchronised; destroyed
 * at teardown.
 */
export async function startUnleashClient(
  t: Teardowns,
  apiUrl: string,
  secret: string,
  options: Partial<UnleashConfig> = {},
): Promise<Unleash> {
  const client = new Unleash({
    appName: 'flagship-test',
    url: `${apiUrl}/api`,
    customHeaders: { Authorization: secret },
    storageProvider: new InMemStorageProvider(),
    disableMetrics: true,
    skipInstanceCountWarning: true,
    ...options,
  });
  t.teardown(() => {
    client.destroy();
    // destroy() drops the client's listeners on its repository, but a fetch already
    // under way can still fail (the API closes next) and emit 'error' there: with
    // no listener left, Node ends the test process (seen in a CI rehearsal).
    (client as unknown as { repository?: { on(event: 'error', listener: () => void): void } }).repository?.on('error', () => undefined);
  });
  client.on('error', () => undefined);
  client.on('warn', () => undefined);
  await once(client, 'synchronized');
  return client;
}

/** Resolves once `check` holds after one of the client's `changed` events (or already holds); bounded by the test timeout. */
export async function whenChanged(client: Unleash, check: () => boolean): Promise<void> {
  while (!check()) await once(client, 'changed');
}

/**
 * How the client fetches now: 'polling' or 'streaming'. unleash-client 6 keeps it
 * on its repository (its `mode` event is not forwarded by the Unleash class).
 */
export function fetchModeOf(client: Unleash): string {
  return (client as unknown as { repository: { getMode(): string } }).repository.getMode();
}
