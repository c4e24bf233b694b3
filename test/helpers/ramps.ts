import type { HttpRequest } from './http.js';

export interface RampStep {
  position: number;
  rollout: number;
  plannedAt: string;
  appliedAt: string | null;
}

export interface Ramp {
  id: string;
  steps: RampStep[];
}

/** REST shortcuts the ramp tests share: a flag on in prod at 0%, a ramp with steps offset from now, its state. */
export function rampClient(request: HttpRequest, admin: string) {
  return {
    async createFlag(key: string): Promise<void> {
      const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: true, rollout: 0 } } } });
      if (created.status !== 201) throw new Error(`could not create flag ${key}: ${created.text}`);
    },

    /** Schedules a ramp on prod with each step `offsetMs` after now. */
    async scheduleRamp(flag: string, steps: Array<[rollout: number, offsetMs: number]>): Promise<Ramp> {
      const now = Date.now();
      const created = await request('POST', `/v1/flags/${encodeURIComponent(flag)}/environments/prod/rollouts`, {
        token: admin,
        body: { steps: steps.map(([rollout, offset]) => ({ rollout, at: new Date(now + offset).toISOString() })) },
      });
      if (created.status !== 201) throw new Error(`could not schedule a ramp on ${flag}: ${created.text}`);
      return created.body as Ramp;
    },

    /** The ramp as GET /v1/rollouts/{id} answers it (untyped, as tests read any of its fields). */
    async readRamp(id: string) {
      return (await request('GET', `/v1/rollouts/${id}`, { token: admin })).body;
    },
  };
}
