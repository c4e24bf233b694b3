import { createHash } from 'node:crypto';
import { scopeKey, scopeSnapshot, seesEveryProject } from '../../../shared/domain/projects/project-scope.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';
import type { Token } from '../../../shared/schemas/tokens.js';
import { sdkEnvironment } from '../client/sdk-environment.js';
import type { SnapshotReader } from './snapshot-reader.js';

/**
 * What an sdk or frontend token may read of its environment: the snapshot
 * of its projects (shared/domain/projects/project-scope.ts). Every channel
 * that answers a token from a snapshot (client flags and evaluate, OFREP,
 * Unleash's client and frontend APIs and their streams) reads through this,
 * so that no route can forget the scope. For a token of every project it is
 * the environment's snapshot object itself: the unscoped path is unchanged.
 */
export async function snapshotOfToken(snapshots: SnapshotReader, token: Pick<Token, 'environment' | 'kind' | 'id' | 'projects'>): Promise<Snapshot> {
  return scopeSnapshot(await snapshots.get(sdkEnvironment(token as Token)), token.projects);
}

const hashes = new Map<string, string>();

/**
 * A short name of a token's scope for ETags and cache keys: empty for every
 * project (so unscoped ETags stay the bare version), else a hash of the
 * project list (two scopes at one version have different content).
 */
export function scopeTag(projects: readonly string[]): string {
  if (seesEveryProject(projects)) return '';
  const key = scopeKey(projects);
  let tag = hashes.get(key);
  if (tag === undefined) {
    tag = createHash('sha256').update(key).digest('base64url').slice(0, 12);
    if (hashes.size < 10_000) hashes.set(key, tag);
  }
  return tag;
}
