import type { Queryable } from '../../db/pool.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../people/principal.js';

/**
 * Who asks, as far as change requests care: a Principal's kind and actor.
 * `admin-token` is a service account; `user` is a person (a session or a
 * personal token).
 */
export type Caller = Pick<Principal, 'kind' | 'actor'>;

/** What self-approval and "each approver counts once" compare: the actor's type and id. */
export function callerKey(caller: Caller): string {
  return `${caller.actor.type}:${caller.actor.id}`;
}

/** A direct write refused because the environment is protected. */
export class ChangeRequestRequiredError extends AppError {
  constructor(environment: string) {
    super(
      409,
      'change_request_required',
      `environment '${environment}' is protected: propose this change in a change request (POST /v1/change-requests)`,
      { environment },
    );
  }
}

/**
 * Whether `caller` may write to a protected environment directly: only a
 * service account (an admin token). People (sessions, personal tokens) go
 * through change requests; ramps, schedules and applied requests write
 * through their own paths, never through this check.
 */
export function mayWriteProtectedDirectly(caller: Caller): boolean {
  return caller.kind === 'admin-token';
}

/** Refuses (409 change_request_required) a direct write by a person to a protected environment. */
export async function assertDirectWriteAllowed(db: Queryable, environment: string, caller: Caller): Promise<void> {
  if (mayWriteProtectedDirectly(caller)) return;
  const { rows } = await db.query<{ protected: boolean }>(`select protected from environment where key = $1`, [environment]);
  if (rows[0]?.protected) throw new ChangeRequestRequiredError(environment);
}

/** Refuses a direct write by a person when any environment is protected (a change that touches every environment: a segment, an archive). */
export async function assertGlobalWriteAllowed(db: Queryable, caller: Caller): Promise<void> {
  if (mayWriteProtectedDirectly(caller)) return;
  const { rows } = await db.query<{ key: string }>(`select key from environment where protected order by key limit 1`);
  if (rows[0]) throw new ChangeRequestRequiredError(rows[0].key);
}
