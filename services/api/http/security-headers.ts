import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** helmet's headers for every response: the console's content security policy among them. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      // The console's scripts, styles and API calls come from this origin only.
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'font-src': ["'self'"],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        // Served over plain http on localhost too: upgrading would break it there.
        'upgrade-insecure-requests': null,
      },
    },
  }) as RequestHandler;
}

/**
 * The headers `middleware` sets, as flat `[name, value, …]` pairs, read once by
 * running it against a response that only records them. helmet's answer does
 * not depend on the request (no nonces here), so the lean path (lean-path.ts)
 * can send the same set without running it per request: one configuration,
 * two ways of applying it.
 */
export function recordedHeaders(middleware: RequestHandler): readonly string[] {
  const recorded = new Map<string, string>();
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      recorded.set(name, String(value));
      return response;
    },
    removeHeader(name: string) {
      recorded.delete(name);
    },
  };
  let failed: unknown;
  middleware({ headers: {} } as unknown as IncomingMessage as never, response as unknown as ServerResponse as never, (error?: unknown) => {
    failed = error;
  });
  if (failed) throw failed;
  return [...recorded].flat();
}
