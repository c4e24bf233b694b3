import type { IncomingMessage as Request } from 'node:http';

/** The scheme, host and port (and base path, with FLAGSHIP_PUBLIC_URL) of the URLs FlagShip advertises to a caller. */
export type AdvertisedOrigin = (req: Request) => string;

export interface AdvertisedOriginOptions {
  /** FLAGSHIP_PUBLIC_URL: used as is when set. */
  publicUrl?: string;
  /** FLAGSHIP_TRUST_PROXY: believe X-Forwarded-Proto and X-Forwarded-Host. */
  trustProxy?: boolean;
}

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',')[0]?.trim() || undefined;
}

/** Where this connection actually arrived: the server's own address, which no header can change. */
function localOrigin(req: Request): string {
  const address = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:(?=\d+\.)/, '');
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${req.socket.localPort}`;
}

/**
 * Builds the origin of advertised URLs (the OFREP event stream). Never from
 * the Host header alone: a client (or whoever poisons a cache in front of
 * FlagShip) could point other clients at its own server. FLAGSHIP_PUBLIC_URL
 * wins; behind a trusted proxy, X-Forwarded-Proto and -Host (so a TLS
 * terminator yields https://); otherwise the address the connection came in on.
 */
export function advertisedOrigin(options: AdvertisedOriginOptions): AdvertisedOrigin {
  if (options.publicUrl !== undefined) {
    const fixed = options.publicUrl.replace(/\/+$/, '');
    return () => fixed;
  }
  if (!options.trustProxy) return localOrigin;
  return (req) => {
    const proto = firstValue(req.headers['x-forwarded-proto'])?.toLowerCase();
    const host = firstValue(req.headers['x-forwarded-host']) ?? req.headers.host;
    if (host === undefined || !HOST.test(host)) return localOrigin(req);
    // FlagShip itself speaks plain HTTP: without the proxy's word, that is what the client reached.
    const scheme = proto === 'https' ? 'https' : 'http';
    return `${scheme}://${host}`;
  };
}
