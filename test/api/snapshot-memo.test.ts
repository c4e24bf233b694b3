import t from 'tap';
import { snapshotJson, rememberSnapshotJson } from '../../shared/domain/snapshots/snapshot-json.js';
import { memoPerSnapshot } from '../../shared/domain/snapshots/snapshot-memo.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';

// The snapshot cache hands out one object per version (test/api/lean-path.test.ts
// checks it); memoPerSnapshot is the one mechanism that derives values from it.

function snapshotAt(version: number): Snapshot {
  return { environment: 'prod', version, flags: [], segments: [] } as unknown as Snapshot;
}

t.test('derives once per snapshot object, anew for another object', async (t) => {
  const seen: number[] = [];
  const derived = memoPerSnapshot((snapshot) => {
    seen.push(snapshot.version);
    return { version: snapshot.version };
  });
  const first = snapshotAt(1);
  const value = derived(first);
  t.equal(derived(first), value, 'the same value for the same object');
  const next = snapshotAt(2);
  t.same(derived(next), { version: 2 });
  t.same(seen, [1, 2], 'derive ran once per object');
});

t.test('a value known beforehand is remembered instead of derived, even a falsy one', async (t) => {
  let calls = 0;
  const derived = memoPerSnapshot(() => {
    calls += 1;
    return 'made';
  });
  const snapshot = snapshotAt(3);
  derived.remember(snapshot, '');
  t.equal(derived(snapshot), '');
  t.equal(calls, 0);
});

t.test('snapshotJson: the text a snapshot was read from, else JSON.stringify made once', async (t) => {
  const read = snapshotAt(4);
  rememberSnapshotJson(read, '{"the":"text it was read from"}');
  t.equal(snapshotJson(read), '{"the":"text it was read from"}');

  let stringified = 0;
  const loaded = Object.assign(snapshotAt(5), {
    toJSON() {
      stringified += 1;
      return { version: 5 };
    },
  });
  t.equal(snapshotJson(loaded), '{"version":5}');
  t.equal(snapshotJson(loaded), '{"version":5}');
  t.equal(stringified, 1, 'made once per snapshot, not once per send');
});
