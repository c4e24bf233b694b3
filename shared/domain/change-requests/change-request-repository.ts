import { projectFilter } from '../projects/project-scope.js';
import type { Queryable } from '../../db/pool.js';
import type { ActorRef, ChangeRequest, ChangeRequestEventType, ChangeRequestState, Comment, ListChangeRequestsQuery, PlannedChange } from '../../schemas/change-requests.js';

const ISO = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const REQUEST_COLUMNS = `
  r.id, r.kind, r.environment_key as environment, r.title, r.description, r.changes, r.state,
  r.required_approvals as "requiredApprovals",
  coalesce((select jsonb_agg(jsonb_build_object('approver', a.approver, 'createdAt', ${ISO('a.created_at')}) order by a.created_at)
              from change_request_approval a where a.change_request_id = r.id), '[]'::jsonb) as approvals,
  ${ISO('r.scheduled_at')} as "scheduledAt", r.author,
  r.applied_version::int as "appliedVersion", ${ISO('r.applied_at')} as "appliedAt", r.applied_by as "appliedBy",
  r.closed_by as "closedBy", ${ISO('r.closed_at')} as "closedAt", r.close_reason as "closeReason",
  ${ISO('r.created_at')} as "createdAt", ${ISO('r.updated_at')} as "updatedAt"`;

export interface StoredChangeRequest extends ChangeRequest {
  changes: PlannedChange[];
}

export interface LockedChangeRequest extends StoredChangeRequest {
  authorKey: string;
  baseVersions: Record<string, number | null>;
  /** Whether scheduledAt has come (by the database's clock). */
  due: boolean;
}

export interface NewChangeRequest {
  kind: 'change-request' | 'schedule';
  environment: string;
  title: string;
  description: string;
  changes: PlannedChange[];
  baseVersions: Record<string, number | null>;
  state: ChangeRequestState;
  requiredApprovals: number;
  scheduledAt: string | null;
  author: ActorRef;
  authorKey: string;
}

export async function insertChangeRequest(db: Queryable, request: NewChangeRequest): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into change_request (kind, environment_key, title, description, changes, base_versions, state, required_approvals, scheduled_at, author, author_key)
     values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10::jsonb, $11)
     returning id`,
    [
      request.kind,
      request.environment,
      request.title,
      request.description,
      JSON.stringify(request.changes),
      JSON.stringify(request.baseVersions),
      request.state,
      request.requiredApprovals,
      request.scheduledAt,
      JSON.stringify(request.author),
      request.authorKey,
    ],
  );
  return rows[0]!.id;
}

export async function findChangeRequest(db: Queryable, id: string): Promise<StoredChangeRequest | undefined> {
  const { rows } = await db.query<StoredChangeRequest>(`select ${REQUEST_COLUMNS} from change_request r where r.id = $1`, [id]);
  return rows[0];
}

/** The request, locked until the end of the caller's transaction (every state change takes this lock first). */
export async function lockChangeRequest(db: Queryable, id: string): Promise<LockedChangeRequest | undefined> {
  const { rows } = await db.query<LockedChangeRequest>(
    `select ${REQUEST_COLUMNS}, r.author_key as "authorKey", r.base_versions as "baseVersions",
            coalesce(r.scheduled_at <= clock_timestamp(), true) as due
       from change_request r where r.id = $1 for update of r`,
    [id],
  );
  return rows[0];
}

export async function listChangeRequests(
  db: Queryable,
  query: ListChangeRequestsQuery & { kind?: 'change-request' | 'schedule'; projects?: readonly string[] },
): Promise<StoredChangeRequest[]> {
  // With projects: only requests whose every flag and segment is in one of them.
  const { rows } = await db.query<StoredChangeRequest>(
    `select ${REQUEST_COLUMNS} from change_request r
      where ($1::text is null or r.environment_key = $1)
        and ($2::text is null or r.state = $2)
        and ($3::text is null or r.kind = $3)
        and ($4::text is null or exists (select 1 from jsonb_array_elements(r.changes) c where c->>'flag' = $4))
        and ($6::text[] is null or not exists (
          select 1 from jsonb_array_elements(r.changes) c
            left join flag f on f.key = c->>'flag'
            left join segment g on g.id = (c->>'segment')::int
           where coalesce(f.project_key, g.project_key, '') <> all($6)))
      order by r.created_at desc, r.id
      limit $5`,
    [query.environment ?? null, query.state ?? null, query.kind ?? null, query.flag ?? null, query.limit ?? 100, projectFilter(query.projects)],
  );
  return rows;
}

export interface StateUpdate {
  state: ChangeRequestState;
  closedBy?: ActorRef;
  closeReason?: string;
  appliedBy?: ActorRef;
  appliedVersion?: number | null;
  /** Forget the approvals (a conflicted request needs approving again once reopened). */
}

/** Moves a request (locked by the caller) to `update.state`, recording who closed or applied it. */
export async function updateChangeRequestState(db: Queryable, id: string, update: StateUpdate): Promise<void> {
  await db.query(
    `update change_request
        set state = $2,
            closed_by = coalesce($3::jsonb, closed_by),
            closed_at = case when $3::jsonb is not null then now() else closed_at end,
            close_reason = coalesce($4, close_reason),
            applied_by = coalesce($5::jsonb, applied_by),
            applied_at = case when $2 = 'applied' then now() else applied_at end,
            applied_version = case when $2 = 'applied' then $6::bigint else applied_version end,
            updated_at = now()
      where id = $1`,
    [
      id,
      update.state,
      update.closedBy ? JSON.stringify(update.closedBy) : null,
      update.closeReason ?? null,
      update.appliedBy ? JSON.stringify(update.appliedBy) : null,
      update.appliedVersion ?? null,
    ],
  );
}

/** Records an approval; false when this approver had approved already (each approver counts once). */
export async function insertApproval(db: Queryable, id: string, approverKey: string, approver: ActorRef): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into change_request_approval (change_request_id, approver_key, approver) values ($1, $2, $3::jsonb)
     on conflict do nothing`,
    [id, approverKey, JSON.stringify(approver)],
  );
  return rowCount === 1;
}

export async function countApprovals(db: Queryable, id: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(`select count(*)::int as count from change_request_approval where change_request_id = $1`, [id]);
  return rows[0]!.count;
}

export async function insertComment(db: Queryable, id: string, author: ActorRef, body: string): Promise<Comment> {
  const { rows } = await db.query<Comment>(
    `insert into change_request_comment (change_request_id, author, body) values ($1, $2::jsonb, $3)
     returning id::int, author, body, ${ISO('created_at')} as "createdAt"`,
    [id, JSON.stringify(author), body],
  );
  return rows[0]!;
}

export async function listComments(db: Queryable, id: string): Promise<Comment[]> {
  const { rows } = await db.query<Comment>(
    `select id::int, author, body, ${ISO('created_at')} as "createdAt" from change_request_comment where change_request_id = $1 order by id`,
    [id],
  );
  return rows;
}

/** What a change-request event says beyond its type, frozen when it happened (a retried delivery says the same). */
export interface ChangeRequestEventDetail {
  /** The state the event left the request in. */
  state: ChangeRequestState;
  approvals?: number;
  requiredApprovals?: number;
  reason?: string;
  comment?: { id: number; body: string };
  appliedVersion?: number | null;
  subjects?: string[];
}

/**
 * The outbox of the change-request webhook events: one row per state change
 * (never an environment version). The environment row is locked before the
 * row (and its id) is made, and stays locked until commit: within an
 * environment the events commit in id order, between the versions they name
 * (after_version), which is what lets a webhook lane deliver them in order
 * with the change events and never skip one (migration 000022). The NOTIFY,
 * at the version the environment already has, only wakes the webhook lanes:
 * the notifier and the API ignore a version they have.
 */
export async function insertChangeRequestEvent(
  db: Queryable,
  request: { id: string; environment: string },
  type: ChangeRequestEventType,
  actor: ActorRef,
  detail: ChangeRequestEventDetail,
): Promise<void> {
  await insertLaneEvent(db, request.environment, { changeRequestId: request.id }, type, actor, detail);
}

/** What a ramp's webhook event says beyond its type (`rollout.paused`), frozen when it happened. */
export interface RampEventDetail {
  status: 'paused';
  /** The ramp's stop reason: the guard, the figures of both arms, what it did. */
  reason: string;
  guard: { event: string; maxRatio: number; minExposures: number; action: 'pause' | 'rollback' };
  figures: unknown;
}

/**
 * A ramp's state change that changes no flag (a guard's pause) into the same
 * outbox, under the same rule (migration 000027): the webhook lanes deliver it
 * in order with the environment's changes, and a webhook filtering on flags
 * takes it when it names the ramp's flag. Run in the transaction that records
 * the ramp's status.
 */
export async function insertRampEvent(
  db: Queryable,
  ramp: { id: string; flag: string; environment: string },
  type: 'rollout.paused',
  actor: ActorRef,
  detail: RampEventDetail,
): Promise<void> {
  await insertLaneEvent(db, ramp.environment, { rampId: ramp.id, flag: ramp.flag }, type, actor, detail);
}

async function insertLaneEvent(
  db: Queryable,
  environment: string,
  subject: { changeRequestId: string } | { rampId: string; flag: string },
  type: string,
  actor: ActorRef,
  detail: object,
): Promise<void> {
  const { rows } = await db.query<{ version: string }>(`select version from environment where key = $1 for no key update`, [environment]);
  const version = rows[0]!.version;
  const ramp = 'rampId' in subject ? subject : undefined;
  await db.query(
    `insert into change_request_event (change_request_id, rollout_plan_id, flag_key, environment_key, type, actor, after_version, detail)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::jsonb)`,
    [
      'changeRequestId' in subject ? subject.changeRequestId : null,
      ramp?.rampId ?? null,
      ramp?.flag ?? null,
      environment,
      type,
      JSON.stringify(actor),
      version,
      JSON.stringify(detail),
    ],
  );
  await db.query(`select pg_notify('flagship_changes', json_build_object('environment', $1::text, 'version', $2::bigint)::text)`, [
    environment,
    version,
  ]);
}

/** Requests whose time has come (state scheduled, scheduledAt past), oldest first. */
export async function listDueChangeRequests(db: Queryable, limit: number): Promise<Array<{ id: string; scheduledAt: string }>> {
  const { rows } = await db.query<{ id: string; scheduledAt: string }>(
    `select id, ${ISO('scheduled_at')} as "scheduledAt" from change_request
      where state = 'scheduled' and scheduled_at <= clock_timestamp()
      order by scheduled_at, id limit $1`,
    [limit],
  );
  return rows;
}

/** Scheduled requests due within `horizonMs` (for the worker's timers), soonest first. */
export async function listUpcomingChangeRequests(db: Queryable, horizonMs: number, limit: number): Promise<Array<{ id: string; scheduledAt: string }>> {
  const { rows } = await db.query<{ id: string; scheduledAt: string }>(
    `select id, ${ISO('scheduled_at')} as "scheduledAt" from change_request
      where state = 'scheduled' and scheduled_at <= clock_timestamp() + make_interval(secs => $1::double precision / 1000)
      order by scheduled_at, id limit $2`,
    [horizonMs, limit],
  );
  return rows;
}

/**
 * The version of each subject in `environment` now: a flag's state version
 * (null: no state, or archived), a segment's last change there (null: gone).
 */
export async function currentVersions(db: Queryable, environment: string, subjects: string[]): Promise<Record<string, number | null>> {
  const flags = subjects.filter((subject) => subject.startsWith('flag:')).map((subject) => subject.slice(5));
  const segments = subjects.filter((subject) => subject.startsWith('segment:')).map((subject) => Number(subject.slice(8)));
  const result: Record<string, number | null> = Object.fromEntries(subjects.map((subject) => [subject, null]));
  if (flags.length > 0) {
    const { rows } = await db.query<{ key: string; version: number }>(
      `select f.key, s.version::int as version from flag f join flag_state s on s.flag_id = f.id
        where f.key = any($1::text[]) and s.environment_key = $2 and f.archived_at is null`,
      [flags, environment],
    );
    for (const row of rows) result[`flag:${row.key}`] = row.version;
  }
  if (segments.length > 0) {
    const { rows } = await db.query<{ id: number; version: number }>(
      `select s.id, (select max(e.version) from change_event e where e.segment_id = s.id and e.environment_key = $2)::int as version
         from segment s where s.id = any($1::int[])`,
      [segments, environment],
    );
    for (const row of rows) result[`segment:${row.id}`] = row.version;
  }
  return result;
}

/** A change-request event as a webhook delivers it (the request's lasting fields, the event's own frozen detail). */
export interface StoredChangeRequestEvent {
  subject: 'change-request';
  id: number;
  type: ChangeRequestEventType;
  environment: string;
  afterVersion: number;
  actor: ActorRef;
  detail: ChangeRequestEventDetail;
  createdAt: string;
  changeRequest: { id: string; kind: 'change-request' | 'schedule'; title: string; author: ActorRef; scheduledAt: string | null; flags: string[] };
}

/** A ramp's event in the same outbox (migration 000027). */
export interface StoredRampEvent {
  subject: 'ramp';
  id: number;
  type: 'rollout.paused';
  environment: string;
  afterVersion: number;
  actor: ActorRef;
  detail: RampEventDetail;
  createdAt: string;
  ramp: { id: string; flag: string };
}

/**
 * The first event of `environment` after id `afterId` that a webhook filtering
 * on `flags` (null: every one) takes: a request's that changes one of those
 * flags, or a ramp's of one of them. Read in id order, which is commit order
 * within an environment (insertLaneEvent).
 */
export async function findNextChangeRequestEvent(
  db: Queryable,
  environment: string,
  afterId: number,
  flags: string[] | null,
): Promise<StoredChangeRequestEvent | StoredRampEvent | undefined> {
  const { rows } = await db.query<StoredChangeRequestEvent | StoredRampEvent>(
    `select case when e.rollout_plan_id is null then 'change-request' else 'ramp' end as subject,
            e.id::int, e.type, e.environment_key as environment, e.after_version::int as "afterVersion", e.actor, e.detail,
            ${ISO('e.created_at')} as "createdAt",
            case when r.id is not null then jsonb_build_object(
              'id', r.id, 'kind', r.kind, 'title', r.title, 'author', r.author, 'scheduledAt', ${ISO('r.scheduled_at')},
              'flags', coalesce((select jsonb_agg(c->>'flag') from jsonb_array_elements(r.changes) c where c ? 'flag'), '[]'::jsonb)
            ) end as "changeRequest",
            case when e.rollout_plan_id is not null then jsonb_build_object('id', e.rollout_plan_id, 'flag', e.flag_key) end as ramp
       from change_request_event e left join change_request r on r.id = e.change_request_id
      where e.environment_key = $1 and e.id > $2
        and ($3::text[] is null
             or e.flag_key = any($3::text[])
             or exists (select 1 from jsonb_array_elements(r.changes) c where c->>'flag' = any($3::text[])))
      order by e.id
      limit 1`,
    [environment, afterId, flags],
  );
  return rows[0];
}


/** What a run of changes in one environment writes (or, for segments its configurations name, reads), to lock before any write. */
export interface ChangeSubjects {
  environment: string;
  /** The segments it changes or its flag configurations name. */
  segments: number[];
  /** The flags whose state in `environment` it sets. */
  flags: string[];
  /** Whether it changes a segment: a change in every environment. */
  everyEnvironment: boolean;
  /** States of another environment the changes copy (a promote's `from`): read, not written, so held FOR SHARE until commit. */
  copiedFrom?: { environment: string; flags: string[] };
}

/**
 * Takes the locks of a run of changes in THE lock order every writer follows
 * (docs/change-requests.md, "Lock order"), before its first write:
 *   1. segments, by id (a segment PATCH locks its segment first);
 *   2. the running or scheduled ramps of the flags, by id (a ramp step and a
 *      PATCH lock the ramp before the state);
 *   3. the flag states, by flag key (a PATCH locks its state before its
 *      environment); with `copiedFrom`, its states too, FOR SHARE (a write
 *      to them waits for this commit), among the others by flag key, then
 *      environment key: two promotes in opposite directions then take the
 *      two states of a flag in the same order;
 *   4. the environments, by key: every one when a segment changes (its
 *      trigger takes each environment's version, in key order), else the
 *      first write takes `environment`'s.
 * Without it, applying [flag, segment] held the environment (the flag's
 * write) while waiting for the segment that a segment PATCH held while
 * waiting for that environment: PostgreSQL broke the deadlock (40P01).
 */
export async function lockChangeSubjects(db: Queryable, subjects: ChangeSubjects): Promise<void> {
  const { environment, segments, flags } = subjects;
  if (segments.length > 0) await db.query(`select 1 from segment where id = any($1::int[]) order by id for update`, [segments]);
  if (flags.length > 0) {
    await db.query(
      `select 1 from rollout_plan p join flag f on f.id = p.flag_id
        where f.key = any($1::text[]) and p.environment_key = $2 and p.status in ('scheduled', 'running')
        order by p.id for update of p`,
      [flags, environment],
    );
    if (!subjects.copiedFrom) {
      await db.query(
        `select 1 from flag_state s join flag f on f.id = s.flag_id
          where f.key = any($1::text[]) and s.environment_key = $2
          order by f.key for update of s`,
        [flags, environment],
      );
    }
  }
  if (subjects.copiedFrom) await lockStatesWithCopied(db, environment, flags, subjects.copiedFrom);
  if (subjects.everyEnvironment) await db.query(`select 1 from environment order by key for no key update`);
}

/**
 * Step 3 of lockChangeSubjects when the changes copy states of another
 * environment: the states written FOR UPDATE and the states copied FOR SHARE,
 * one row at a time in (flag key, environment key) order. One statement
 * cannot take two lock strengths in an order it promises, and taking either
 * kind first would let a promote from A to B and one from B to A each hold
 * what the other waits for.
 */
async function lockStatesWithCopied(db: Queryable, environment: string, flags: string[], copied: { environment: string; flags: string[] }): Promise<void> {
  const { rows } = await db.query<{ flag: string; environment: string; copied: boolean }>(
    `select f.key as flag, s.environment_key as environment, not (f.key = any($1::text[]) and s.environment_key = $2) as copied
       from flag_state s join flag f on f.id = s.flag_id
      where (f.key = any($1::text[]) and s.environment_key = $2) or (f.key = any($3::text[]) and s.environment_key = $4)
      order by f.key, s.environment_key`,
    [flags, environment, copied.flags, copied.environment],
  );
  for (const row of rows) {
    await db.query(
      `select 1 from flag_state s join flag f on f.id = s.flag_id where f.key = $1 and s.environment_key = $2 ${row.copied ? 'for share of s' : 'for update of s'}`,
      [row.flag, row.environment],
    );
  }
}
