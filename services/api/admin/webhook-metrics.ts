import { Gauge, type Registry } from 'prom-client';
import type { Pool } from '../../../shared/db/pool.js';
import { listFailingLanes, listFailingWebhooks } from '../../../shared/domain/webhooks/webhook-repository.js';
import type { Logger } from '../../../shared/logger.js';

/**
 * Webhook health in /metrics, read from PostgreSQL at scrape time (the worker
 * that delivers is another process; the database is what both share):
 * `flagship_webhook_disabled{webhook}` 1 for each webhook FlagShip disabled for
 * failing, `flagship_webhook_consecutive_failures{webhook,environment}` for
 * lanes failing now (alert before they are disabled).
 */
export function registerWebhookMetrics(registry: Registry, pool: Pool, logger: Logger): void {
  new Gauge({
    name: 'flagship_webhook_disabled',
    help: 'Webhooks FlagShip disabled after failing too long (1 each; the reason is in GET /v1/webhooks/{id})',
    labelNames: ['webhook'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const webhook of await listFailingWebhooks(pool)) this.set({ webhook: webhook.id }, 1);
      } catch (error) {
        logger.warn({ err: error }, 'could not read disabled webhooks for /metrics');
      }
    },
  });
  new Gauge({
    name: 'flagship_webhook_consecutive_failures',
    help: 'Failed attempts in a row at the next event of a webhook in an environment',
    labelNames: ['webhook', 'environment'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const lane of await listFailingLanes(pool)) {
          this.set({ webhook: lane.webhookId, environment: lane.environment }, lane.failures);
        }
      } catch (error) {
        logger.warn({ err: error }, 'could not read failing webhook lanes for /metrics');
      }
    },
  });
}
