import type { RoleGrant } from '../../../shared/domain/people/principal.js';
import type { TestEnvironment } from '../../helpers/environment.js';

export const SESSION_COOKIE = 'flagship_session';

/** How many users and sessions exist: a refused sign-in changes neither. */
export async function peopleCounts(env: TestEnvironment): Promise<{ users: number; sessions: number }> {
  const { rows } = await env.pool.query<{ users: number; sessions: number }>(
    'select (select count(*)::int from app_user) as users, (select count(*)::int from user_session) as sessions',
  );
  return rows[0]!;
}

/** The single sign-on user of this subject, with their roles (sorted by project). */
export async function ssoUser(env: TestEnvironment, subject: string): Promise<{ id: string; email: string; name: string; issuer: string; roles: RoleGrant[] } | undefined> {
  const { rows } = await env.pool.query(
    `select u.id, u.email, u.name, u.issuer,
            coalesce((select json_agg(json_build_object('role', g.role, 'project', g.project) order by g.project)
                        from user_role_grant g where g.user_id = u.id), '[]') as roles
       from app_user u where u.subject = $1`,
    [subject],
  );
  return rows[0];
}

/** The session cookie's value among a response's Set-Cookie headers. */
export function sessionCookieOf(setCookies: string[]): string | undefined {
  const header = setCookies.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
  return header && /^[^=]+=([^;]*)/.exec(header)![1];
}

/** GET /v1/me with a session cookie, as the console asks. */
export async function meWithSession(apiUrl: string, cookieValue: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${apiUrl}/v1/me`, { headers: { cookie: `${SESSION_COOKIE}=${cookieValue}` }, signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
