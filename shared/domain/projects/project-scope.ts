import type { Snapshot } from '../../schemas/snapshots.js';
import type { FlagChange } from '../../schemas/socket.js';
import type { FlagState } from '../../schemas/flags.js';
import { projectBeforeChange } from '../../schemas/socket.js';

/** The projects a token sees: project keys, or `['*']` for every project. */
export type ProjectScope = readonly string[];

export const EVERY_PROJECT: ProjectScope = Object.freeze(['*']);

export function seesEveryProject(scope: ProjectScope): boolean {
  return scope.length === 1 && scope[0] === '*';
}

export function seesProject(scope: ProjectScope, project: string): boolean {
  return seesEveryProject(scope) || scope.includes(project);
}

/** A scope as an SQL parameter (`project_key = any($n)`): null for every project (`$n::text[] is null or …`), or absent. */
export function projectFilter(scope: ProjectScope | undefined): readonly string[] | null {
  return scope === undefined || seesEveryProject(scope) ? null : scope;
}

/**
 * Whether a change event (of the audit log) is one of `scope`'s: its subject
 * was in one of its projects before or after (a move: either). Events from
 * before projects name none; they were of `default`.
 */
export function eventInScope(event: { before?: unknown; after?: unknown }, scope: ProjectScope): boolean {
  if (seesEveryProject(scope)) return true;
  const projectOf = (side: unknown) =>
    typeof side === 'object' && side !== null && typeof (side as { project?: unknown }).project === 'string' ? (side as { project: string }).project : undefined;
  const projects = [projectOf(event.before), projectOf(event.after)].filter((project) => project !== undefined);
  return (projects.length === 0 ? ['default'] : projects).some((project) => scope.includes(project));
}

/** One name per scope (the same projects in any order): what caches and ETags of scoped answers are keyed by. */
export function scopeKey(scope: ProjectScope): string {
  return seesEveryProject(scope) ? '*' : [...scope].sort().join(',');
}

const scopedSnapshots = new WeakMap<Snapshot, Map<string, Snapshot>>();
const scopeOfScoped = new WeakMap<Snapshot, string>();

/** The scope key of a snapshot scopeSnapshot made ('*' for an environment's whole snapshot): caches of answers key by it. */
export function scopeOfSnapshot(snapshot: Snapshot): string {
  return scopeOfScoped.get(snapshot) ?? '*';
}

/**
 * The part of an environment's snapshot a scope sees: its projects' flags and
 * segments, at the same version. Memoised per snapshot object and scope, and
 * the whole snapshot itself for every project, so that whatever is memoised
 * per snapshot downstream (its JSON, ETag, compiled definitions, Unleash's
 * shapes, answers: snapshot-memo.ts) is made once per version and scope, and
 * the unscoped read path does not change at all.
 */
export function scopeSnapshot(snapshot: Snapshot, scope: ProjectScope): Snapshot {
  if (seesEveryProject(scope)) return snapshot;
  const key = scopeKey(scope);
  let byScope = scopedSnapshots.get(snapshot);
  if (!byScope) scopedSnapshots.set(snapshot, (byScope = new Map()));
  let scoped = byScope.get(key);
  if (!scoped) {
    const projects = new Set(scope);
    scoped = {
      environment: snapshot.environment,
      version: snapshot.version,
      flags: snapshot.flags.filter((flag) => projects.has(flag.project)),
      segments: snapshot.segments.filter((segment) => projects.has(segment.project)),
    };
    byScope.set(key, scoped);
    scopeOfScoped.set(scoped, key);
  }
  return scoped;
}

/**
 * What a socket of `scope` is sent of a change, or undefined when nothing:
 * - a change in one of its projects: as it is (a flag moved in arrives as its
 *   whole state, like any change, and the client adds it);
 * - a flag moved out of its projects: a removal, the shape of an archive (the
 *   flag as it was, in its old project, with `archived: true`): clients drop
 *   it as they drop an archived flag;
 * - anything else (another project's flag or segment): nothing, not even its key.
 */
export function changeForScope(change: FlagChange, scope: ProjectScope): FlagChange | undefined {
  if (seesEveryProject(scope)) return change;
  if ('segment' in change) return scope.includes(change.segment.project) ? change : undefined;
  if ('flag' in change) {
    const flag = flagForScope(change, change.flag, scope);
    return flag === undefined ? undefined : flag === change.flag ? change : { ...change, flag };
  }
  // A group (an applied change request): its part in the scope, still one message.
  const flags = change.flags.flatMap((state) => {
    const flag = flagForScope(change, state, scope);
    return flag === undefined ? [] : [flag];
  });
  const segments = change.segments.filter((segment) => scope.includes(segment.project));
  if (flags.length === 0 && segments.length === 0) return undefined;
  return { ...change, flags, segments };
}

/** A flag of a change as a scope sees it: as it is, a removal (moved out of the scope), or nothing. */
function flagForScope(change: FlagChange, flag: FlagState, scope: ProjectScope): FlagState | undefined {
  if (scope.includes(flag.project)) return flag;
  const before = projectBeforeChange(change, flag.key);
  if (before !== undefined && scope.includes(before)) return { ...flag, project: before, archived: true };
  return undefined;
}
