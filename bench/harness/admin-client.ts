import type { FlagState } from '../../shared/schemas/flags.js';
import type { Ramp } from '../../shared/schemas/ramps.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';

export interface FlagSeed {
  key: string;
  enabled: boolean;
  rollout: number;
}

/** The REST calls the bench makes as an admin (and, for reads, as an app with an sdk token). */
export class AdminClient {
  constructor(readonly apiUrl: string, private readonly adminSecret: string) {}

  async call<T>(method: string, route: string, body?: unknown, secret = this.adminSecret): Promise<T> {
    const response = await fetch(`${this.apiUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async createFlag(environment: string, seed: FlagSeed): Promise<void> {
    await this.call('POST', '/v1/flags', {
      key: seed.key,
      description: 'bench',
      environments: { [environment]: { enabled: seed.enabled, rollout: seed.rollout } },
    });
  }

  /** Creates flags a few at a time (each is a transaction with triggers; no need to hammer). */
  async createFlags(environment: string, seeds: FlagSeed[], concurrency = 4): Promise<void> {
    const queue = [...seeds];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let seed = queue.shift(); seed; seed = queue.shift()) await this.createFlag(environment, seed);
      }),
    );
  }

  async createSdkToken(environment: string, name: string): Promise<string> {
    const created = await this.call<{ secret: string }>('POST', '/v1/tokens', { name, kind: 'sdk', environment });
    return created.secret;
  }

  setState(key: string, environment: string, change: { enabled?: boolean; rollout?: number }): Promise<FlagState> {
    return this.call<FlagState>('PATCH', `/v1/flags/${encodeURIComponent(key)}/environments/${environment}`, change);
  }

  scheduleRamp(key: string, environment: string, steps: { rollout: number; at: string }[]): Promise<Ramp> {
    return this.call<Ramp>('POST', `/v1/flags/${encodeURIComponent(key)}/environments/${environment}/rollouts`, { steps });
  }

  ramp(id: string): Promise<Ramp> {
    return this.call<Ramp>('GET', `/v1/rollouts/${id}`);
  }

  clientSnapshot(sdkSecret: string): Promise<Snapshot> {
    return this.call<Snapshot>('GET', '/v1/client/flags', undefined, sdkSecret);
  }
}
