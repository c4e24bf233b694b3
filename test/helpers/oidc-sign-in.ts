import { createServer } from 'node:net';

/** A free loopback port, for a service whose URL must be known before it starts (the OIDC redirect URI). */
export async function reservePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Cookies per origin, as a browser keeps them (paths and expiry ignored: each walk is short and starts afresh). */
export class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  store(url: string, response: Response): void {
    const origin = new URL(url).origin;
    const cookies = this.byOrigin.get(origin) ?? new Map<string, string>();
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const equals = pair!.indexOf('=');
      const name = pair!.slice(0, equals).trim();
      const value = pair!.slice(equals + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    this.byOrigin.set(origin, cookies);
  }

  header(url: string): string {
    return [...(this.byOrigin.get(new URL(url).origin) ?? new Map()).entries()].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(url: string, name: string): string | undefined {
    return this.byOrigin.get(new URL(url).origin)?.get(name);
  }
}

/** One request as a browser sends it: its cookies, no redirect followed; the answer's cookies kept. */
export async function browse(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('cookie', cookie);
  const response = await fetch(url, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(20_000) });
  jar.store(url, response);
  return response;
}

export interface CallbackWalk {
  /** The browser's cookies (the API's login-attempt cookie among them). */
  jar: CookieJar;
  /** Where the provider sent the browser back: `{redirectUri}?code=…&state=…&iss=…`. */
  callbackUrl: string;
  /** The authorization request the API sent the browser with. */
  authorizationUrl: URL;
}

/**
 * Does what a browser does from "Sign in with SSO" up to the callback, without
 * taking it: the API's /auth/oidc/login, the provider's login form (account
 * `login`), its redirects. `rewrite` may change the authorization request on
 * its way to the provider (a forged nonce…). The callback is the test's to take.
 */
export async function walkToCallback(
  apiUrl: string,
  redirectUri: string,
  login: string,
  options: { jar?: CookieJar; rewrite?: (url: URL) => void } = {},
): Promise<CallbackWalk> {
  const jar = options.jar ?? new CookieJar();
  const start = await browse(jar, `${apiUrl}/auth/oidc/login`);
  if (start.status !== 302) throw new Error(`GET /auth/oidc/login answered ${start.status}: ${await start.text()}`);
  const authorizationUrl = new URL(start.headers.get('location')!);
  options.rewrite?.(authorizationUrl);
  let url = authorizationUrl.href;
  for (let hop = 0; hop < 10; hop += 1) {
    if (url.startsWith(redirectUri)) return { jar, callbackUrl: url, authorizationUrl };
    const interaction = /\/interaction\/([^/?]+)$/.exec(new URL(url).pathname);
    const response = interaction
      ? await browse(jar, `${new URL(url).origin}/interaction/${interaction[1]}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ login }).toString(),
        })
      : await browse(jar, url);
    const location = response.headers.get('location');
    if (!location) throw new Error(`${url} answered ${response.status} without a redirect: ${(await response.text()).slice(0, 500)}`);
    url = new URL(location, url).href;
  }
  throw new Error('the provider never sent the browser back');
}
