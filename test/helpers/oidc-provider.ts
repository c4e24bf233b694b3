import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import type { Teardowns } from './environment.js';

/** A person at the test identity provider: signs in by typing their id. */
export interface TestAccount {
  email: string;
  name: string;
  groups: string[];
}

export interface TestProviderClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface TestOidcProvider {
  /** `http://127.0.0.1:<port>`: the issuer, as FLAGSHIP_OIDC_ISSUER takes it. */
  issuer: string;
  port: number;
  /**
   * The next ID token the token endpoint issues is re-signed with the provider's
   * own key after `change` edits its claims (an ID token for another audience,
   * from another issuer…): what a compromised or confused token endpoint would send.
   */
  tamperNextIdToken(change: (claims: Record<string, unknown>) => void): void;
  /** Stops answering (connections refused); start() listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface TestOidcProviderOptions {
  clients: TestProviderClient[];
  accounts: Record<string, TestAccount>;
  /** The port to listen on; 0 (the default) picks one. */
  port?: number;
  /**
   * The issuer URL when the provider is reached through something else (a
   * fault proxy in front of `port`); by default the provider's own address.
   */
  issuerFor?: (port: number) => Promise<string>;
}

async function readForm(req: NodeJS.ReadableStream): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * A real OpenID provider (the oidc-provider package, as certified) on a
 * loopback port, with a login form that takes an account id (no password:
 * the provider's own checks are not under test) and consent granted to the
 * registered clients, as a company's provider does for its own apps.
 */
export async function startTestOidcProvider(t: Teardowns, options: TestOidcProviderOptions): Promise<TestOidcProvider> {
  // Listen first: the issuer names the port.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = options.issuerFor ? await options.issuerFor(port) : `http://127.0.0.1:${port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  let tamper: ((claims: Record<string, unknown>) => void) | undefined;

  const provider = new Provider(issuer, {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: [client.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: ['test-provider-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, id) {
      const account = options.accounts[id];
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, email: account.email, email_verified: true, name: account.name, groups: account.groups }) };
    },
    // First-party clients: consent is given (scopes openid, email, profile).
    async loadExistingGrant(ctx) {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId) return undefined;
      const existing = ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });

  provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    const login = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
    if (!login) {
      await next();
      const body = ctx.body as { id_token?: string } | undefined;
      if (ctx.path === '/token' && tamper && body?.id_token) {
        const change = tamper;
        tamper = undefined;
        const claims = decodeJwt(body.id_token) as Record<string, unknown>;
        change(claims);
        body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey);
      }
      return;
    }
    if (ctx.method === 'GET' && !login[2]) {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      ctx.type = 'html';
      ctx.body =
        `<!doctype html><html><body><h1>Test identity provider</h1><form method="post" action="/interaction/${escapeHtml(details.uid)}/login">` +
        '<label>Account <input name="login" autocomplete="off"></label><button type="submit">Sign in</button></form></body></html>';
      return;
    }
    if (ctx.method === 'POST' && login[2]) {
      const form = await readForm(ctx.req);
      const accountId = form.get('login') ?? '';
      const result = options.accounts[accountId]
        ? { login: { accountId } }
        : { error: 'access_denied', error_description: 'unknown account' };
      const redirectTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
      ctx.status = 303;
      ctx.redirect(redirectTo);
      return;
    }
    ctx.status = 404;
  });

  const handler = provider.callback();
  server.on('request', handler);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  let current: Server | undefined = server;
  const stop = async () => {
    if (!current) return;
    const closing = current;
    current = undefined;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  const start = async () => {
    if (current) return;
    const next = createServer(handler);
    next.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', resolve);
    });
    current = next;
  };
  t.teardown(stop);
  return { issuer, port, tamperNextIdToken: (change) => { tamper = change; }, stop, start };
}
