import type { HttpRequest } from './http.js';

/** Creates an sdk token for `environment` over REST and returns its id and secret. */
export async function createSdkToken(
  request: HttpRequest,
  adminSecret: string,
  environment: string,
  name = `sdk-${environment}`,
): Promise<{ id: string; secret: string }> {
  const response = await request('POST', '/v1/tokens', { token: adminSecret, body: { name, kind: 'sdk', environment } });
  if (response.status !== 201) throw new Error(`could not create an sdk token: ${response.status} ${response.text}`);
  return { id: response.body.token.id, secret: response.body.secret };
}
