import { requireEnvironment } from '../db/environments.js';
import { updateFlagStateConfig } from '../db/flag-states.js';
import { findFlagsArchived, insertFlags, listLiveFlagKeys, type NewFlag } from '../db/flags.js';
import type { Queryable } from '../db/pool.js';
import { findSegment, insertSegment, lockExistingSegmentIds, updateSegment } from '../db/segments.js';
import { validateDefinition, validateSegment, type DefinitionIssue } from '../evaluation/validate.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { UnleashImport, UnleashImportResult } from '../schemas/unleash-state.js';
import { FLAG_TYPES, type FlagType } from '../schemas/usage.js';
import { canonicalJson, replaceFlagState } from './flag-state-changes.js';
import { referencedFlagKeys, referencedSegmentIds, referenceIssuesAmong, withStrategyIds, type ReferenceIssue } from './references.js';
import { assertConstraintsFit, assertStateConfigFits } from './size-limits.js';

type Warning = UnleashImportResult['warnings'][number];

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

/**
 * Imports an Unleash client-API state into one environment, all in the
 * caller's transaction (run inside withTransaction): segments first (created
 * with Unleash's ids, or replaced), then every flag that does not exist yet,
 * then each feature's state in `environment`: with PUT's checks, and for a
 * flag that existed through PUT's own path (a ramp it moves is paused); each
 * change is a normal change event.
 * Lossless: what FlagShip cannot evaluate (an unknown strategy or operator, a
 * value that does not parse) is kept as it is, never matches as in Unleash's
 * SDKs, and is listed as a warning; so is a reference to a segment or flag
 * that exists neither here nor in the import. An archived flag is a 409.
 */
export async function importUnleashState(client: Queryable, environment: string, state: UnleashImport): Promise<UnleashImportResult> {
  await requireEnvironment(client, environment);
  const result: UnleashImportResult = {
    environment,
    version: 0,
    flags: { created: [], updated: [], unchanged: [] },
    segments: { created: [], updated: [], unchanged: [] },
    warnings: [],
  };

  for (const [index, segment] of state.segments.entries()) {
    result.warnings.push(...warningsOrRefuse(validateSegment({ name: segment.name ?? `segment-${segment.id}`, constraints: segment.constraints }, { lenient: true }), ['segments', index]));
    assertConstraintsFit(segment.constraints, `segments[${index}].constraints`);
    const existing = await findSegment(client, segment.id);
    const fields = {
      // Unleash's client API sends segments without names; one already here keeps its own.
      name: segment.name ?? existing?.name ?? `segment-${segment.id}`,
      description: segment.description ?? existing?.description ?? '',
      constraints: segment.constraints,
    };
    if (!existing) {
      await insertSegment(client, fields, segment.id);
      result.segments.created.push(segment.id);
    } else if (canonicalJson([existing.name, existing.description, existing.constraints]) !== canonicalJson([fields.name, fields.description, fields.constraints])) {
      await updateSegment(client, segment.id, fields);
      result.segments.updated.push(segment.id);
    } else {
      result.segments.unchanged.push(segment.id);
    }
  }

  // Every flag exists before any state is set, so dependencies between imported flags resolve.
  const toCreate: NewFlag[] = [];
  const existing = await findFlagsArchived(client, state.features.map((feature) => feature.name));
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
    if (archived === undefined) toCreate.push({ key: feature.name, description: feature.description ?? '', type: type ?? 'release' });
  }
  await insertFlags(client, toCreate);
  const created = new Set(toCreate.map((flag) => flag.key));

  // A flag created just now has no ramp, and no other transaction sees its
  // state: its configuration is checked here (the same checks as PUT, its
  // references looked up once for the whole import, not per flag) and written
  // with one statement each. A flag that existed goes through PUT's own path.
  const createdConfigs = state.features.filter((feature) => created.has(feature.name));
  const existingSegments = await lockExistingSegmentIds(client, referencedSegmentIds(createdConfigs));
  const liveFlags = await listLiveFlagKeys(client, referencedFlagKeys(createdConfigs));

  for (const [index, feature] of state.features.entries()) {
    const prefix = ['features', index];
    result.warnings.push(...warningsOrRefuse(validateDefinition({ key: feature.name, ...feature }, { lenient: true }), prefix));
    const config = { enabled: feature.enabled, strategies: feature.strategies.map(({ sortOrder: _ignored, ...strategy }) => strategy), variants: feature.variants, dependencies: feature.dependencies };
    const what = `features[${index}]'s targeting`;
    let changed: boolean;
    let danglingReferences: ReferenceIssue[];
    if (created.has(feature.name)) {
      const next = { ...config, strategies: withStrategyIds(config.strategies, prefix) };
      assertStateConfigFits(next, what);
      danglingReferences = referenceIssuesAmong(feature.name, next, prefix, existingSegments, liveFlags);
      await updateFlagStateConfig(client, feature.name, environment, next);
      changed = true;
    } else {
      ({ changed, danglingReferences } = await replaceFlagState(client, feature.name, environment, config, { pathPrefix: prefix, what, keepDanglingReferences: true }));
    }
    result.warnings.push(
      ...danglingReferences.map((issue) => ({ path: issue.path, code: 'dangling_reference', message: `${issue.message}: kept, and never matches` })),
    );
    if (created.has(feature.name)) result.flags.created.push(feature.name);
    else if (changed) result.flags.updated.push(feature.name);
    else result.flags.unchanged.push(feature.name);
  }
  result.version = (await requireEnvironment(client, environment)).version;
  return result;
}
