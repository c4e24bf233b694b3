import type { Pool } from '../../shared/db/pool.js';
import { SESSION_COOKIE, startSession } from '../../shared/domain/people/session-service.js';
import type { HttpRequest } from './http.js';

export type Grant = { role: 'viewer' | 'editor' | 'admin'; project: string };

/** A session of user `userId` (as a sign-in starts one): its cookie and the CSRF token /v1/me gives with it. */
export async function signedIn(request: HttpRequest, pool: Pool, userId: string): Promise<{ cookie: string; csrf: string }> {
  const session = await startSession(pool, userId, { method: 'password' });
  const cookie = `${SESSION_COOKIE}=${session.cookieValue}`;
  const csrf = (await request('GET', '/v1/me', { headers: { cookie } })).body.csrfToken as string;
  return { cookie, csrf };
}

/** A personal token of user `userId` (Bearer: no CSRF header needed), made from a session of theirs. */
export async function personalTokenOf(request: HttpRequest, pool: Pool, userId: string, name = 'laptop'): Promise<string> {
  const { cookie, csrf } = await signedIn(request, pool, userId);
  const token = await request('POST', '/v1/me/tokens', { headers: { cookie, 'x-flagship-csrf': csrf }, body: { name } });
  if (token.status !== 201) throw new Error(token.text);
  return token.body.secret as string;
}

/** A person holding `roles` (created with the admin token `admin`) and a personal token of theirs. */
export async function personWithToken(
  request: HttpRequest,
  pool: Pool,
  admin: string,
  email: string,
  roles: Grant[],
): Promise<{ id: string; token: string }> {
  const created = await request('POST', '/v1/users', { token: admin, body: { email, name: email.split('@')[0], roles } });
  if (created.status !== 201) throw new Error(created.text);
  const id = created.body.id as string;
  return { id, token: await personalTokenOf(request, pool, id) };
}
