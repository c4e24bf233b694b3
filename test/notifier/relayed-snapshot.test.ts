import t from 'tap';
import { SnapshotSchema, type Snapshot } from '../../shared/schemas/snapshots.js';
import type { FlagState } from '../../shared/schemas/flags.js';
import type { StoredSegment } from '../../shared/schemas/targeting.js';
import type { FlagChange } from '../../shared/schemas/socket.js';
import { compareCodePoints, inKeyOrder } from '../../shared/domain/snapshots/snapshot-store.js';
import { RelayedSnapshot } from '../../services/notifier/relayed-snapshot.js';

/*
 * The relay's snapshot is moved forward change by change, and its JSON is
 * joined from each flag's and segment's JSON (relayed-snapshot.ts). Whatever
 * the changes, the text must be exactly JSON.stringify of the snapshot, the
 * snapshot exactly what loadSnapshot would read (flags by key, segments by
 * id), and a version once taken must keep its own text.
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
const segment = (id: number, domain: string, change: Partial<StoredSegment> = {}): StoredSegment => ({
  id,
  name: `segment ${id}`,
  project: 'default',
  description: 'résumé "quoted" \u2028',
  constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: [domain] }],
  createdAt: at,
  updatedAt: at,
  ...change,
});

const loaded: Snapshot = {
  environment: 'prod',
  version: 10,
  flags: [flag('alpha', 3), flag('mango', 7), flag('zebra', 9)],
  segments: [segment(2, '@a.com'), segment(5, '@b.com')],
};

t.test('its JSON is JSON.stringify of its snapshot after every kind of change, and the snapshot is in loadSnapshot order', async (t) => {
  const relayed = new RelayedSnapshot('prod', loaded);
  const check = (what: string, keys: string[], segmentIds: number[]) => {
    const { snapshot, json } = relayed.now();
    t.equal(json(), JSON.stringify(snapshot), `${what}: the joined text`);
    t.ok(SnapshotSchema.safeParse(JSON.parse(json())).success, `${what}: a valid snapshot`);
    t.same(snapshot.flags.map((state) => state.key), keys, `${what}: flags by key`);
    t.same(snapshot.segments.map((stored) => stored.id), segmentIds, `${what}: segments by id`);
    t.equal(snapshot.version, relayed.version);
  };
  check('as loaded', ['alpha', 'mango', 'zebra'], [2, 5]);
  t.equal(relayed.now().json(), JSON.stringify(loaded), 'as loaded, the text of the loaded snapshot');

  const changes: Array<[string, FlagChange, string[], number[]]> = [
    ['an edit', { environment: 'prod', version: 11, previous: 11 - 1, flag: flag('mango', 11, { enabled: false, rollout: 5 }) }, ['alpha', 'mango', 'zebra'], [2, 5]],
    ['a new flag between others', { environment: 'prod', version: 12, previous: 12 - 1, flag: flag('kiwi', 12) }, ['alpha', 'kiwi', 'mango', 'zebra'], [2, 5]],
    ['a new flag first', { environment: 'prod', version: 13, previous: 13 - 1, flag: flag('aardvark', 13) }, ['aardvark', 'alpha', 'kiwi', 'mango', 'zebra'], [2, 5]],
    ['an archived flag', { environment: 'prod', version: 14, previous: 14 - 1, flag: flag('alpha', 14, { archived: true }) }, ['aardvark', 'kiwi', 'mango', 'zebra'], [2, 5]],
    ['a new segment', { environment: 'prod', version: 15, previous: 15 - 1, segment: segment(3, '@c.com') }, ['aardvark', 'kiwi', 'mango', 'zebra'], [2, 3, 5]],
    ['an edited segment', { environment: 'prod', version: 16, previous: 16 - 1, segment: segment(5, '@d.com') }, ['aardvark', 'kiwi', 'mango', 'zebra'], [2, 3, 5]],
    ['a deleted segment', { environment: 'prod', version: 17, previous: 17 - 1, segment: segment(2, '@a.com', { deleted: true }) }, ['aardvark', 'kiwi', 'mango', 'zebra'], [3, 5]],
    ['an archived flag it never had', { environment: 'prod', version: 18, previous: 18 - 1, flag: flag('ghost', 18, { archived: true }) }, ['aardvark', 'kiwi', 'mango', 'zebra'], [3, 5]],
  ];
  for (const [what, change, keys, segmentIds] of changes) {
    relayed.apply(change);
    check(what, keys, segmentIds);
  }
  const { snapshot } = relayed.now();
  t.match(snapshot.flags.find((state) => state.key === 'mango'), { enabled: false, rollout: 5, version: 11 }, 'the edit is held');
  t.match(snapshot.segments.find((stored) => stored.id === 5), { constraints: [{ values: ['@d.com'] }] }, 'the segment edit is held');
});

t.test('a version taken keeps its own snapshot and text while later changes are applied', async (t) => {
  const relayed = new RelayedSnapshot('prod', loaded);
  const first = relayed.now();
  t.equal(relayed.now(), first, 'built once per version');
  relayed.apply({ environment: 'prod', version: 11, previous: 11 - 1, flag: flag('zebra', 11, { enabled: false }) });
  relayed.apply({ environment: 'prod', version: 12, previous: 12 - 1, flag: flag('lemon', 12) });
  // Asked for only now, as the cache writer does when Redis was slow to take the last write.
  const text = JSON.parse(first.json()) as Snapshot;
  t.equal(text.version, 10);
  t.same(text.flags.map((state) => state.key), ['alpha', 'mango', 'zebra']);
  t.equal(text.flags[2]!.enabled, true, "version 10's zebra, not version 11's");
  t.equal(first.json(), JSON.stringify(loaded));
  t.not(relayed.now(), first);
  t.equal(JSON.parse(relayed.now().json()).version, 12);
});

t.test('a change that does not follow the current version is refused, and changes nothing', async (t) => {
  const relayed = new RelayedSnapshot('prod', loaded);
  const before = relayed.now().json();
  t.throws(() => relayed.apply({ environment: 'prod', version: 12, previous: 12 - 1, flag: flag('alpha', 12, { enabled: false }) }), /event 12 of 'prod' does not follow 10/);
  t.throws(() => relayed.apply({ environment: 'prod', version: 10, previous: 10 - 1, flag: flag('alpha', 10, { enabled: false }) }), /does not follow 10/);
  t.equal(relayed.version, 10);
  t.equal(relayed.now().json(), before);
});

t.test('keys beyond U+FFFF sort by code point, as PostgreSQL\'s collate "C" reads them', async (t) => {
  // UTF-16 puts 𝐀 and 😀 (surrogate pairs) before ﬀ and ｚ; UTF-8 bytes, and code points, after.
  const keys = ['ｚoom', '😀party', 'a', 'ﬀ', '𝐀bold', 'zz', 'é'];
  const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  t.same(byBytes, ['a', 'zz', 'é', 'ﬀ', 'ｚoom', '𝐀bold', '😀party']);
  t.same(inKeyOrder(keys.map((key) => ({ key }))).map(({ key }) => key), byBytes);

  const relayed = new RelayedSnapshot('prod', { environment: 'prod', version: 1, flags: byBytes.slice(1).map((key) => flag(key, 1)), segments: [] });
  relayed.apply({ environment: 'prod', version: 2, previous: 2 - 1, flag: flag('a', 2) });
  t.same(relayed.now().snapshot.flags.map((state) => state.key), byBytes, 'after an addition, sorted again the same way');

  // Every pair of a mixed alphabet, both ways round.
  const alphabet = ['a', 'Z', '~', 'é', '\u07ff', '\u0800', '\ud7ff', '\ue000', 'ﬀ', '\uffff', '𝐀', '😀', '\u{10ffff}'];
  const words = alphabet.flatMap((first) => alphabet.map((second) => first + second));
  for (const x of words) {
    for (const y of words) {
      const expected = Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y)));
      if (Math.sign(compareCodePoints(x, y)) !== expected) t.fail(`${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    }
  }
  t.pass(`${words.length ** 2} pairs compared as UTF-8 bytes compare`);
});

t.test('the socket payload is made once per version, from that version, and a new state makes its own', async (t) => {
  const relayed = new RelayedSnapshot('prod', loaded);
  const first = relayed.now().payload();
  t.equal(relayed.now().payload(), first, 'once per version');
  t.equal(first.json, relayed.now().json());
  relayed.apply({ environment: 'prod', version: 11, previous: 11 - 1, flag: flag('alpha', 11, { enabled: false }) });
  t.not(relayed.now().payload(), first);
  t.equal(JSON.parse(relayed.now().payload().json).version, 11);
  // A reload at the same version (a restored database) with other content: nothing of the old state is reused.
  const reloaded = new RelayedSnapshot('prod', { ...loaded, flags: [flag('alpha', 3, { enabled: false })] });
  t.equal(JSON.parse(reloaded.now().payload().json).flags[0].enabled, false);
});
