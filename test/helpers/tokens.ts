import type { HttpRequest } from './http.js';

/** Creates an sdk or frontend token for `environment` over REST and returns its id and secret. */
export async function createClientToken(
  request: HttpRequest,
  adminSecret: string,
  kind: 'sdk' | 'frontend',
  environment: string,
  name = `${kind}-${environment}`,
): Promise<{ id: string; secret: string }> {
  const response = await request('POST', '/v1/tokens', { token: adminSecret, body: { name, kind, environment } });
  if (response.status !== 201) throw new Error(`could not create a ${kind} token: ${response.status} ${response.text}`);
  return { id: response.body.token.id, secret: response.body.secret };
}

/** Creates an sdk token for `environment` over REST and returns its id and secret. */
export const createSdkToken = (request: HttpRequest, adminSecret: string, environment: string, name?: string) =>
  createClientToken(request, adminSecret, 'sdk', environment, name);

/** Creates a frontend token for `environment` over REST and returns its id and secret. */
export const createFrontendToken = (request: HttpRequest, adminSecret: string, environment: string, name?: string) =>
  createClientToken(request, adminSecret, 'frontend', environment, name);
