import { startWebhookWorker, type RunningWebhookWorker, type WebhookWorkerOptions } from '../../services/worker/webhooks/webhook-worker.js';
import type { Config } from '../../shared/config/index.js';
import type { ChangeEvent } from '../../shared/schemas/events.js';
import type { TestEnvironment, Teardowns } from './environment.js';
import type { HttpRequest } from './http.js';
import type { ReceivedRequest } from './webhook-receiver.js';
import { capturingLogger, closeOnce } from './worker.js';

export interface TestWebhookWorker extends RunningWebhookWorker {
  logs: Array<Record<string, unknown> & { msg: string }>;
}

/** Starts the webhook worker in the test process (settings overridable); closed at teardown. */
export async function startTestWebhookWorker(
  t: Teardowns,
  env: TestEnvironment,
  settings: Partial<Pick<Config, 'webhookAllowPrivate' | 'webhookRetryBaseMs' | 'webhookDisableAfterFailures'>> = {},
  options: Partial<Omit<WebhookWorkerOptions, 'pool' | 'config' | 'logger'>> = {},
): Promise<TestWebhookWorker> {
  const { logger, logs } = capturingLogger();
  const worker = await startWebhookWorker({
    pool: env.pool,
    config: { ...env.config, webhookAllowPrivate: true, ...settings },
    logger,
    ...options,
  });
  const close = closeOnce(t, worker);
  return { scanNow: () => worker.scanNow(), close, logs };
}

/** REST shortcuts for webhook tests. */
export function webhookClient(request: HttpRequest, admin: string) {
  const call = async (method: string, path: string, body?: unknown, expected = 200) => {
    const response = await request(method, path, { token: admin, body });
    if (response.status !== expected) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
    return response.body;
  };
  return {
    call,
    createWebhook: (body: Record<string, unknown>) =>
      call('POST', '/v1/webhooks', body, 201) as Promise<{ webhook: { id: string }; secret: string }>,
    createFlag: (key: string, environments: Record<string, { enabled?: boolean; rollout?: number }> = {}) =>
      call('POST', '/v1/flags', { key, environments }, 201),
    setRollout: (flag: string, environment: string, rollout: number) =>
      call('PATCH', `/v1/flags/${flag}/environments/${environment}`, { rollout }),
    /** Every change event of an environment, oldest first (the audit log, all pages). */
    async events(environment: string): Promise<ChangeEvent[]> {
      const events: ChangeEvent[] = [];
      let after = '';
      for (;;) {
        const page = await call('GET', `/v1/events?environment=${environment}&after=${after}&limit=1000`);
        events.push(...page.events);
        if (page.nextAfter === null) return events;
        after = page.nextAfter;
      }
    },
  };
}

/** The parsed JSON body of a webhook request. */
export function bodyOf(request: ReceivedRequest): Record<string, any> {
  return JSON.parse(request.body);
}
