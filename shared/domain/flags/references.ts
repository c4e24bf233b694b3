import { randomUUID } from 'node:crypto';
import type { FlagStateConfig } from './flag-state-repository.js';
import { listLiveFlagProjects, projectOfFlag } from './flag-repository.js';
import type { Queryable } from '../../db/pool.js';
import { lockExistingSegmentIds } from '../segments/segment-repository.js';
import type { Strategy } from '../../../packages/evaluation/model.js';
import { ValidationError } from '../../errors.js';

type Path = (string | number)[];

export interface ReferenceIssue {
  path: Path;
  message: string;
  /** A segment or flag that exists, in another project: refused even by an import (a project's tokens would not see it). */
  crossProject?: boolean;
}

/**
 * What a state's configuration names outside itself: segments (which must
 * exist, and are locked against deletion until commit) and the flags it
 * depends on (which must exist, live, and not be this one). Paths start at
 * `prefix` (e.g. `['features', 3]` in an import).
 */
export async function findReferenceIssues(
  client: Queryable,
  flagKey: string,
  config: Pick<FlagStateConfig, 'strategies' | 'dependencies'>,
  prefix: Path = [],
): Promise<ReferenceIssue[]> {
  const existingSegments = await lockExistingSegmentIds(client, referencedSegmentIds([config]));
  const liveFlags = await listLiveFlagProjects(client, referencedFlagKeys([config]));
  return referenceIssuesAmong(flagKey, await projectOfFlag(client, flagKey), config, prefix, existingSegments, liveFlags);
}

/** The segment ids these configurations name, each once. */
export function referencedSegmentIds(configs: Pick<FlagStateConfig, 'strategies'>[]): number[] {
  return [...new Set(configs.flatMap((config) => config.strategies.flatMap((strategy) => strategy.segments ?? [])))];
}

/** The flag keys these configurations depend on, each once. */
export function referencedFlagKeys(configs: Pick<FlagStateConfig, 'dependencies'>[]): string[] {
  return [...new Set(configs.flatMap((config) => config.dependencies.map((dependency) => dependency.feature)))];
}

/**
 * findReferenceIssues against segments and live flags already looked up (and
 * the segments locked), so a batch of configurations costs two queries in all.
 * Both map to their project: a flag uses segments and depends on flags of its
 * own project only (`flagProject`; undefined: the flag does not exist, which
 * the write itself reports).
 */
export function referenceIssuesAmong(
  flagKey: string,
  flagProject: string | undefined,
  config: Pick<FlagStateConfig, 'strategies' | 'dependencies'>,
  prefix: Path,
  existingSegments: ReadonlyMap<number, string>,
  liveFlags: ReadonlyMap<string, string>,
): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const otherProject = (project: string | undefined) => flagProject !== undefined && project !== undefined && project !== flagProject;
  config.strategies.forEach((strategy, index) =>
    (strategy.segments ?? []).forEach((id, position) => {
      const path = [...prefix, 'strategies', index, 'segments', position];
      if (!existingSegments.has(id)) issues.push({ path, message: `no segment has id ${id}` });
      else if (otherProject(existingSegments.get(id))) {
        issues.push({ path, message: `segment ${id} is in project '${existingSegments.get(id)}', not the flag's ('${flagProject}')`, crossProject: true });
      }
    }),
  );
  config.dependencies.forEach((dependency, index) => {
    const path = [...prefix, 'dependencies', index, 'feature'];
    if (dependency.feature === flagKey) issues.push({ path, message: 'a flag cannot depend on itself' });
    else if (!liveFlags.has(dependency.feature)) issues.push({ path, message: `no flag '${dependency.feature}' (or it is archived)` });
    else if (otherProject(liveFlags.get(dependency.feature))) {
      issues.push({ path, message: `flag '${dependency.feature}' is in project '${liveFlags.get(dependency.feature)}', not this flag's ('${flagProject}')`, crossProject: true });
    }
  });
  return issues;
}

export function throwReferenceIssues(issues: ReferenceIssue[], where = 'body'): void {
  if (issues.length === 0) return;
  const summary = issues.map((issue) => `${[where, ...issue.path].join('.')}: ${issue.message}`).join('; ');
  throw new ValidationError(`invalid ${where}: ${summary}`, issues.map((issue) => ({ in: where, path: issue.path.map(String), message: issue.message })));
}

/**
 * Gives every strategy a stable id (ramps and PATCH name strategies by it),
 * keeping those given; two strategies of one state sharing an id are refused.
 */
export function withStrategyIds(strategies: Strategy[], prefix: Path = [], where = 'body'): Strategy[] {
  const seen = new Set<string>();
  const duplicates: ReferenceIssue[] = [];
  const identified = strategies.map((strategy, index) => {
    if (strategy.id !== undefined) {
      if (seen.has(strategy.id)) duplicates.push({ path: [...prefix, 'strategies', index, 'id'], message: `id '${strategy.id}' is used by another strategy of this state` });
      seen.add(strategy.id);
      return strategy;
    }
    return { id: randomUUID(), ...strategy };
  });
  throwReferenceIssues(duplicates, where);
  return identified;
}
