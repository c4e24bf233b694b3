/**
 * The notifier's CPU per change and per new socket at 10,000 flags with
 * rules, in one process, no network:
 *   - per change, before the push reaches any socket: the relay's snapshot
 *     for the Redis cache, as JSON.stringify of the rebuilt snapshot (before
 *     relayed-snapshot.ts) and as the join of each flag's JSON (now);
 *   - per socket sent the snapshot: Socket.IO's default encoder on the object
 *     (before prepared-payload.ts) and the prepared encoder on the made JSON
 *     (now); both then turned into the UTF-8 bytes the WebSocket sends, which
 *     each frame costs either way;
 *   - per change, in each API process: the Redis entry read into a snapshot
 *     and its body, as JSON.parse, the schema check and JSON.stringify (before
 *     the format tag, snapshot-store.ts) and as JSON.parse and the text kept
 *     (now); both then count the body's bytes, as preparedJson does.
 * Medians of `runs` (default 21), the two ways alternating.
 *
 *   npx tsx bench/tools/snapshot-serialisation.ts [flags, default 10000] [runs, default 21]
 */
import { Encoder, PacketType } from 'socket.io-parser';
import { SnapshotSchema } from '../../shared/schemas/snapshots.js';
import { inIdOrder, inKeyOrder } from '../../shared/domain/snapshots/snapshot-store.js';
import type { FlagState } from '../../shared/schemas/flags.js';
import type { FlagChange } from '../../shared/schemas/socket.js';
import { PreparedPayload, preparedPayloadParser } from '../../services/notifier/prepared-payload.js';
import { RelayedSnapshot } from '../../services/notifier/relayed-snapshot.js';

const FLAGS = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 21);

/** A flag shaped like the scale measure's: a rollout, half with 3 constraints, a fifth with 3 variants with payloads. */
function flagAt(index: number, version: number): FlagState {
  const key = `scale.flag-${String(index).padStart(5, '0')}`;
  const constraints =
    index % 2 === 0
      ? [
          { contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@example.com', '@example.org'], inverted: false, caseInsensitive: true },
          { contextName: 'appVersion', operator: 'SEMVER_GTE', value: '2.3.0', values: [], inverted: false, caseInsensitive: false },
          { contextName: 'plan', operator: 'IN', values: ['pro', 'enterprise'], inverted: false, caseInsensitive: false },
        ]
      : [];
  const variants =
    index % 5 === 0
      ? ['blue', 'green', 'red'].map((name) => ({ name, weight: 333, weightType: 'variable', stickiness: 'default', payload: { type: 'json', value: `{"color":"${name}"}` } }))
      : [];
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    key,
    project: 'default',
    environment: 'bench-scale',
    enabled: index % 3 !== 0,
    rollout: 100,
    strategies: [{ id: `10000000-0000-4000-8000-${String(index).padStart(12, '0')}`, name: 'flexibleRollout', parameters: { rollout: String(index % 100), stickiness: 'default', groupId: key }, constraints, segments: index % 4 === 0 ? [1] : [], variants: [] }],
    variants,
    dependencies: [],
    version,
    updatedAt: '2026-12-01T10:00:00.000Z',
    updatedBy: 'bench',
  } as FlagState;
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const timed = (work: () => void) => {
  const start = performance.now();
  work();
  return performance.now() - start;
};

const flags = Array.from({ length: FLAGS }, (_, index) => flagAt(index, 1));
const loaded = { environment: 'bench-scale', version: 1, flags, segments: [] };
const relayed = new RelayedSnapshot('bench-scale', loaded);
const before = new Map(flags.map((flag) => [flag.key, flag]));
const standard = new Encoder();
const prepared = new preparedPayloadParser.Encoder();

const change = { before: [] as number[], now: [] as number[] };
const socket = { before: [] as number[], now: [] as number[] };
const reader = { before: [] as number[], now: [] as number[] };
for (let run = 0, version = 2; run < RUNS; run += 1, version += 1) {
  const flag = flagAt((run * 7919) % FLAGS, version);
  change.before.push(
    timed(() => {
      // What the feed did: the map moved on, the snapshot rebuilt in key order, the cache writer's JSON.stringify.
      before.set(flag.key, flag);
      JSON.stringify({ environment: 'bench-scale', version, flags: inKeyOrder([...before.values()]), segments: inIdOrder([]) });
    }),
  );
  change.now.push(
    timed(() => {
      relayed.apply({ environment: 'bench-scale', version, flag } as FlagChange);
      relayed.now().json();
    }),
  );
  const { snapshot, json } = relayed.now();
  const payload = new PreparedPayload(json());
  // Buffer.from: the UTF-8 bytes ws sends for the frame's string (it flattens the joined text too).
  socket.before.push(timed(() => Buffer.from(standard.encode({ type: PacketType.EVENT, nsp: '/', data: ['flags:snapshot', snapshot] })[0] as string)));
  socket.now.push(timed(() => Buffer.from(prepared.encode({ type: PacketType.EVENT, nsp: '/', data: ['flags:snapshot', payload] })[0] as string)));
  const cached = json();
  reader.before.push(timed(() => Buffer.byteLength(JSON.stringify(SnapshotSchema.parse(JSON.parse(cached))))));
  reader.now.push(timed(() => JSON.parse(cached) && Buffer.byteLength(cached)));
}

const mib = (Buffer.byteLength(relayed.now().json()) / 1024 / 1024).toFixed(2);
const row = (what: string, { before, now }: { before: number[]; now: number[] }) => {
  const [was, is] = [median(before), median(now)];
  console.log(`${what.padEnd(44)} before ${was.toFixed(1).padStart(6)} ms   now ${is.toFixed(1).padStart(6)} ms   ${(was / is).toFixed(1)}× less`);
};
console.log(`${FLAGS} flags, a snapshot of ${mib} MiB, medians of ${RUNS} runs`);
row('per change, before the push (cache JSON)', change);
row('per socket sent the snapshot (frame bytes)', socket);
row('per change, per API process (Redis to body)', reader);
