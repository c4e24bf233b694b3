import type { RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  middleware: RequestHandler;
  /**
   * Counts a request the lean path answered (lean-path.ts), under the same names and
   * labels the middleware gives an Express route: call what it returns once answered.
   */
  startTimer(): (method: string, route: string, status: number) => void;
}

/** Request counts and latency per route template (never per raw path, which would explode the label space). */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  const requests = new Counter({
    name: 'flagship_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'flagship_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const stop = duration.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      const labels = { method: req.method, route };
      stop(labels);
      requests.inc({ ...labels, status: String(res.statusCode) });
    });
    next();
  };
  const startTimer = () => {
    const stop = duration.startTimer();
    return (method: string, route: string, status: number) => {
      stop({ method, route });
      requests.inc({ method, route, status: String(status) });
    };
  };
  return { registry, middleware, startTimer };
}
