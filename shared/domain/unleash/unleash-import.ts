import { requireEnvironment } from '../environments/environment-repository.js';
import { findFlagsArchived, insertFlags, listLiveFlagProjects, type NewFlag } from '../flags/flag-repository.js';
import { missingProjects } from '../projects/project-repository.js';
import type { Pool } from '../../db/pool.js';
import { findSegment, insertSegment, lockExistingSegmentIds, updateSegment } from '../segments/segment-repository.js';
import { withTransaction } from '../../db/tx.js';
import { changeFlagStates, type FlagStateConfig } from '../flags/flag-state-service.js';
import { validateDefinition, validateSegment, type DefinitionIssue } from '../../../packages/evaluation/validate.js';
import { ConflictError, ValidationError } from '../../errors.js';
import type { UnleashImport, UnleashImportResult } from '../../schemas/unleash-state.js';
import { FLAG_TYPES, type FlagType } from '../../schemas/usage.js';
import { referenceIssuesAmong, referencedFlagKeys, referencedSegmentIds, throwReferenceIssues, withStrategyIds } from '../flags/references.js';
import { assertConstraintsFit, assertStateConfigFits } from '../flags/size-limits.js';
import type { Actor } from '../people/principal.js';

type Warning = UnleashImportResult['warnings'][number];

/**
 * How many flags one transaction creates, and how many states one transaction
 * sets. Each transaction holds the row lock of every environment it writes in
 * (the version trigger takes it, the ordering rule needs it until commit), so
 * a batch bounds how long another writer waits: a fraction of a second, where
 * the whole import (5,000 features) took longer than a statement may wait.
 * A created flag is a state in every environment (7 environments: 350 state
 * rows for 50 flags); at 250 a batch held a PATCH in another environment for
 * 8 s on a machine under load (2,000 features, load 30), and past its 20 s
 * bound in a CI rehearsal.
 */
export const IMPORT_CREATE_BATCH = 50;
export const IMPORT_STATE_BATCH = 50;

const warningOf = (prefix: (string | number)[]) => (issue: DefinitionIssue): Warning => ({
  path: [...prefix, ...issue.path],
  code: issue.code,
  message: issue.message,
});

/**
 * The issues an import keeps as warnings; what no definition may hold even imported (a
 * regex program too large, a payload too deep) is a 400 naming the field, and the
 * transaction stores nothing.
 */
function warningsOrRefuse(issues: DefinitionIssue[], prefix: (string | number)[]): Warning[] {
  const refused = issues.filter((issue) => issue.severity === 'error');
  if (refused.length > 0) {
    const details = refused.map((issue) => ({ in: 'body', path: [...prefix, ...issue.path].map(String), message: issue.message }));
    const summary = details.map((detail) => `${['body', ...detail.path].join('.')}: ${detail.message}`).join('; ');
    throw new ValidationError(`invalid body: ${summary}`, details);
  }
  return issues.map(warningOf(prefix));
}

const isFlagType = (type: string): type is FlagType => (FLAG_TYPES as readonly string[]).includes(type);

/** JSON with object keys sorted (undefined ones left out): jsonb gives keys back in its own order, so plain JSON.stringify would differ. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, child]) => child !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function batches<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}

interface PreparedFeature {
  index: number;
  name: string;
  config: FlagStateConfig;
}

/** The projects an import names must exist (a 400 naming each field otherwise): it creates flags and segments in them, never projects. */
async function requireImportProjects(pool: Pool, state: UnleashImport): Promise<void> {
  const named = [
    ...state.features.map((feature, index) => ({ project: feature.project, path: ['features', index, 'project'] })),
    ...state.segments.map((segment, index) => ({ project: segment.project, path: ['segments', index, 'project'] })),
  ].filter((entry): entry is { project: string; path: (string | number)[] } => entry.project !== undefined);
  const missing = new Set(await missingProjects(pool, [...new Set(named.map((entry) => entry.project))]));
  const details = named
    .filter((entry) => missing.has(entry.project))
    .map((entry) => ({ in: 'body', path: entry.path.map(String), message: `no project '${entry.project}': create it first (POST /v1/projects)` }));
  if (details.length > 0) {
    throw new ValidationError(`invalid body: ${details.map((detail) => `${['body', ...detail.path].join('.')}: ${detail.message}`).join('; ')}`, details);
  }
}

/**
 * Refuses (400, before any write) a feature that would use a segment, or
 * depend on a flag, of another project once imported: a project's tokens see
 * only its own segments and flags. Projects as they will be: an existing flag
 * or segment keeps its own, a new one takes the import's (default `default`).
 */
async function refuseCrossProjectReferences(pool: Pool, state: UnleashImport, prepared: PreparedFeature[]): Promise<void> {
  const configs = prepared.map((feature) => feature.config);
  const segmentIds = referencedSegmentIds(configs);
  const { rows } = segmentIds.length === 0
    ? { rows: [] as { id: number; project: string }[] }
    : await pool.query<{ id: number; project: string }>(`select id, project_key as project from segment where id = any($1::int[])`, [segmentIds]);
  const segments = new Map<number, string>(state.segments.map((segment) => [segment.id, segment.project ?? 'default']));
  for (const row of rows) segments.set(row.id, row.project);
  const existingFlags = await listLiveFlagProjects(pool, [...new Set([...referencedFlagKeys(configs), ...prepared.map((feature) => feature.name)])]);
  const flags = new Map<string, string>(state.features.map((feature) => [feature.name, existingFlags.get(feature.name) ?? feature.project ?? 'default']));
  // Built once: per feature it made an import of n features take n² steps (11 s of a blocked event loop at 5,000).
  const liveFlags = new Map([...existingFlags, ...flags]);
  const issues = prepared.flatMap(({ index, name, config }) => referenceIssuesAmong(name, flags.get(name), config, ['features', index], segments, liveFlags));
  throwReferenceIssues(issues.filter((issue) => issue.crossProject));
}

/**
 * Imports an Unleash client-API state into one environment.
 *
 * Everything that refuses an import is checked before anything is written
 * (an archived flag: 409; a feature's targeting over the size bound: 413; two
 * strategies sharing an id: 400), so a refused import stores nothing. Then it
 * writes in bounded transactions, so no environment is locked for the whole
 * import: the segments (created with Unleash's ids, or replaced), then the
 * flags that do not exist yet (in every environment, IMPORT_CREATE_BATCH a
 * transaction), then each feature's state in `environment` (IMPORT_STATE_BATCH
 * a transaction) through the one write path, changeFlagState (a ramp it moves
 * is paused). Each change is a normal change event; versions stay gap-free and
 * in commit order in every environment. Should a batch fail (PostgreSQL lost,
 * a flag archived meanwhile), the batches before it stay: importing the same
 * state again completes it, changing nothing twice.
 *
 * Lossless: what FlagShip cannot evaluate (an unknown strategy or operator, a
 * value that does not parse) is kept as it is, never matches as in Unleash's
 * SDKs, and is listed as a warning; so is a reference to a segment or flag
 * that exists neither here nor in the import.
 */
export async function importUnleashState(pool: Pool, environment: string, state: UnleashImport, actor: Actor): Promise<UnleashImportResult> {
  await requireEnvironment(pool, environment);
  const result: UnleashImportResult = {
    environment,
    version: 0,
    flags: { created: [], updated: [], unchanged: [] },
    segments: { created: [], updated: [], unchanged: [] },
    warnings: [],
  };

  // The checks, before any write.
  await requireImportProjects(pool, state);
  for (const [index, segment] of state.segments.entries()) {
    result.warnings.push(...warningsOrRefuse(validateSegment({ name: segment.name ?? `segment-${segment.id}`, constraints: segment.constraints }, { lenient: true }), ['segments', index]));
    assertConstraintsFit(segment.constraints, `segments[${index}].constraints`);
  }
  const toCreate: NewFlag[] = [];
  const existing = await findFlagsArchived(pool, state.features.map((feature) => feature.name));
  const prepared: PreparedFeature[] = [];
  for (const [index, feature] of state.features.entries()) {
    const type = feature.type === undefined || isFlagType(feature.type) ? feature.type : undefined;
    if (feature.type !== undefined && type === undefined) {
      result.warnings.push({ path: ['features', index, 'type'], code: 'unknown_flag_type', message: `flag type ${JSON.stringify(feature.type)} is not one FlagShip has: the flag is a release flag` });
    }
    if (feature.impressionData === true) {
      result.warnings.push({ path: ['features', index, 'impressionData'], code: 'not_kept', message: 'impression data is not something FlagShip emits: not kept' });
    }
    const archived = existing.get(feature.name);
    if (archived) throw new ConflictError(`features[${index}]: flag '${feature.name}' is archived; archived keys stay taken`);
    if (archived === undefined) toCreate.push({ key: feature.name, description: feature.description ?? '', type: type ?? 'release', project: feature.project ?? 'default' });
    const prefix = ['features', index];
    result.warnings.push(...warningsOrRefuse(validateDefinition({ key: feature.name, ...feature }, { lenient: true }), prefix));
    const strategies = feature.strategies.map(({ sortOrder: _ignored, ...strategy }) => strategy);
    const config = { enabled: feature.enabled, strategies: withStrategyIds(strategies, prefix), variants: feature.variants, dependencies: feature.dependencies };
    assertStateConfigFits(config, whatOf(index));
    prepared.push({ index, name: feature.name, config });
  }

  await refuseCrossProjectReferences(pool, state, prepared);

  await withTransaction(pool, (client) => importSegments(client, state, result), { actor });

  // Every flag exists before any state is set, so dependencies between imported flags resolve.
  for (const batch of batches(toCreate, IMPORT_CREATE_BATCH)) {
    await withTransaction(pool, (client) => insertFlags(client, batch), { actor });
  }
  const created = new Set(toCreate.map((flag) => flag.key));

  for (const batch of batches(prepared, IMPORT_STATE_BATCH)) {
    await withTransaction(
      pool,
      async (client) => {
        const configs = batch.map((feature) => feature.config);
        // Looked up once a batch, not per flag; the segments stay locked until commit.
        const knownReferences = {
          segments: await lockExistingSegmentIds(client, referencedSegmentIds(configs)),
          liveFlags: await listLiveFlagProjects(client, referencedFlagKeys(configs)),
          flagProjects: await listLiveFlagProjects(client, batch.map((feature) => feature.name)),
        };
        const results = await changeFlagStates(
          client,
          batch.map(({ index, name, config }) => ({
            flagKey: name,
            environment,
            change: { config },
            options: { pathPrefix: ['features', index], what: whatOf(index), keepDanglingReferences: true, knownReferences },
          })),
        );
        results.forEach(({ changed, danglingReferences }, position) => {
          const { name } = batch[position]!;
          result.warnings.push(
            ...danglingReferences.map((issue) => ({ path: issue.path, code: 'dangling_reference', message: `${issue.message}: kept, and never matches` })),
          );
          if (created.has(name)) result.flags.created.push(name);
          else if (changed) result.flags.updated.push(name);
          else result.flags.unchanged.push(name);
        });
      },
      { actor },
    );
  }
  result.version = (await requireEnvironment(pool, environment)).version;
  return result;
}

const whatOf = (index: number) => `features[${index}]'s targeting`;

/** Creates or replaces the import's segments, keeping their ids. */
async function importSegments(client: Parameters<typeof findSegment>[0], state: UnleashImport, result: UnleashImportResult): Promise<void> {
  for (const segment of state.segments) {
    const existing = await findSegment(client, segment.id);
    const fields = {
      // Unleash's client API sends segments without names; one already here keeps its own.
      name: segment.name ?? existing?.name ?? `segment-${segment.id}`,
      description: segment.description ?? existing?.description ?? '',
      constraints: segment.constraints,
    };
    if (!existing) {
      await insertSegment(client, { ...fields, project: segment.project ?? 'default' }, segment.id);
      result.segments.created.push(segment.id);
    } else if (canonicalJson([existing.name, existing.description, existing.constraints]) !== canonicalJson([fields.name, fields.description, fields.constraints])) {
      await updateSegment(client, segment.id, fields);
      result.segments.updated.push(segment.id);
    } else {
      result.segments.unchanged.push(segment.id);
    }
  }
}
