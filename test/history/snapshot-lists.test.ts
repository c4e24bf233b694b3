import t from 'tap';
import type { FlagState } from '../../shared/schemas/flags.js';
import type { StoredSegment } from '../../shared/schemas/targeting.js';
import { SnapshotLists } from '../../shared/domain/snapshots/snapshot-lists.js';

/*
 * Time travel keeps checkpoints in memory as SnapshotLists, compacted to
 * their JSON, and answers each version from a copy moved forward by the
 * events after the checkpoint (shared/domain/history/checkpoints.ts). A copy
 * moved on must never move the kept lists, and the joined text must stay
 * exactly JSON.stringify of the snapshot, compacted or not.
 */

const at = '2026-12-01T10:00:00.000Z';
const flag = (key: string, version: number, change: Partial<FlagState> = {}): FlagState => ({
  id: '6f1c2d0e-8a7b-4c3d-9e2f-1a2b3c4d5e6f',
  key,
  project: 'default',
  environment: 'prod',
  enabled: true,
  rollout: 100,
  strategies: [{ name: 'flexibleRollout', parameters: { rollout: '40', stickiness: 'default', groupId: key }, constraints: [] }],
  variants: [],
  dependencies: [],
  version,
  updatedAt: at,
  updatedBy: 'admin',
  ...change,
});
const segment = (id: number, change: Partial<StoredSegment> = {}): StoredSegment => ({
  id,
  name: `segment ${id}`,
  project: 'default',
  description: 'résumé "quoted" \u2028',
  constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }],
  createdAt: at,
  updatedAt: at,
  ...change,
});

const snapshotText = (environment: string, version: number, flags: FlagState[], segments: StoredSegment[]) => JSON.stringify({ environment, version, flags, segments });

t.test('a copy moved forward leaves the kept lists as they were, compacted or not', async (t) => {
  const flags = [flag('alpha', 1), flag('mango', 2), flag('zebra', 3)];
  const segments = [segment(2), segment(5)];
  const kept = new SnapshotLists({ flags, segments });
  t.ok(kept.compact() > JSON.stringify(flags).length, 'compact counts at least the JSON');
  t.equal(kept.now().json('prod', 3), snapshotText('prod', 3, flags, segments), 'compacted: the same text');
  t.same(kept.now().lists(), { flags, segments }, 'compacted: the same values, parsed again');

  const moved = kept.copy();
  moved.apply({ flags: [flag('mango', 4, { enabled: false }), flag('alpha', 5, { archived: true }), flag('beta', 6)], segments: [segment(5, { deleted: true }), segment(1)] });
  const expectedFlags = [flag('beta', 6), flag('mango', 4, { enabled: false }), flag('zebra', 3)];
  const expectedSegments = [segment(1), segment(2)];
  t.equal(moved.now().json('prod', 6), snapshotText('prod', 6, expectedFlags, expectedSegments), 'the copy: archived and deleted gone, added in order, edited');
  t.equal(kept.now().json('prod', 3), snapshotText('prod', 3, flags, segments), 'the kept lists did not move');
  t.equal(kept.size, 5);
  t.equal(moved.size, 5);
});

t.test('flags come out in code-point order of their keys, as loadSnapshot reads them', async (t) => {
  const lists = new SnapshotLists({ flags: [flag('B', 1)], segments: [] });
  lists.apply({ flags: [flag('a', 2), flag('é', 3), flag('Z', 4)], segments: [] });
  t.same(lists.now().lists().flags.map((state) => state.key), ['B', 'Z', 'a', 'é']);
});
