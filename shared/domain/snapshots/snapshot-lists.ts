import type { FlagState } from '../../schemas/flags.js';
import type { StoredSegment } from '../../schemas/targeting.js';
import { compareCodePoints } from './snapshot-store.js';

/** What one change sets: flag states and segments as the change left them (an archived flag, a deleted segment included). */
export interface ChangedSubjects {
  flags: readonly FlagState[];
  segments: readonly StoredSegment[];
}

/** A snapshot's lists at one version (SnapshotLists.now). */
export interface ListsNow {
  lists(): { flags: FlagState[]; segments: StoredSegment[] };
  json(environment: string, version: number): string;
}

/** What a kept member costs beside its JSON: its Map entry and object (measured at 1,000 flags: values and JSON take about 3× the JSON's length, the JSON alone about 1.1×). */
const MEMBER_OVERHEAD_BYTES = 64;

/** One flag or segment as it stands: its value, its JSON (JSON.stringify of it), or both, each made from the other when first needed. */
class Member<T> {
  constructor(
    private kept: T | undefined,
    private text?: string,
  ) {}

  /** The value; once compacted, parsed again each time (never kept again: lists kept long stay JSON alone). */
  value(): T {
    return this.kept ?? (JSON.parse(this.text!) as T);
  }

  json(): string {
    this.text ??= JSON.stringify(this.kept);
    return this.text;
  }

  /** Keeps the JSON alone (about a third of the memory of both); the value is parsed again when next asked for. */
  compact(): number {
    const text = this.json();
    this.kept = undefined;
    return text.length;
  }
}

/**
 * An environment's snapshot lists (its live flags and segments) moved forward
 * one change at a time: the one home of the rule that turns a snapshot and a
 * change into the next snapshot, used by the notifier's relayed snapshot
 * (services/notifier/relayed-snapshot.ts) and by time travel's replay from a
 * checkpoint (shared/domain/history/checkpoints.ts).
 *
 * The rule: a flag's state or a segment becomes what the change left it; an
 * archived flag and a deleted segment leave the lists, as they leave SDKs'
 * snapshots. Flags come out in code-point order of their keys and segments by
 * id, the order loadSnapshot reads (key collate "C"), so the JSON is the text
 * /v1/client/flags served.
 *
 * Each flag and segment keeps its JSON, made once when first asked for after
 * it changed: the snapshot's JSON is the join of those pieces, so a snapshot
 * moved forward by a few changes re-serialises only what they changed.
 */
export class SnapshotLists {
  private readonly flags = new Map<string, Member<FlagState>>();
  private readonly segments = new Map<number, Member<StoredSegment>>();
  /** Flag keys and segment ids in snapshot order; undefined after one was added or removed (sorted again when next asked). */
  private flagOrder: string[] | undefined;
  private segmentOrder: number[] | undefined;

  /**
   * `lists` in snapshot order (as loadSnapshot, a checkpoint or a snapshot's
   * lists have them); `json`, when known, each one's exact JSON.stringify text
   * at the same index.
   */
  constructor(lists: ChangedSubjects, json?: { flags: readonly string[]; segments: readonly string[] }) {
    lists.flags.forEach((flag, index) => this.flags.set(flag.key, new Member(flag, json?.flags[index])));
    lists.segments.forEach((segment, index) => this.segments.set(segment.id, new Member(segment, json?.segments[index])));
    this.flagOrder = lists.flags.map((flag) => flag.key);
    this.segmentOrder = lists.segments.map((segment) => segment.id);
  }

  /** A copy that moves on its own (the members, never changed, are shared). */
  copy(): SnapshotLists {
    const copy = new SnapshotLists({ flags: [], segments: [] });
    for (const [key, member] of this.flags) copy.flags.set(key, member);
    for (const [id, member] of this.segments) copy.segments.set(id, member);
    copy.flagOrder = this.flagOrder;
    copy.segmentOrder = this.segmentOrder;
    return copy;
  }

  /** Applies one change (its segments, then its flags; for one subject the last one given wins). */
  apply(change: ChangedSubjects): void {
    for (const segment of change.segments) this.setSegment(segment);
    for (const flag of change.flags) this.setFlag(flag);
  }

  setFlag(flag: FlagState): void {
    const known = this.flags.has(flag.key);
    if (flag.archived) this.flags.delete(flag.key);
    else this.flags.set(flag.key, new Member<FlagState>(flag));
    // An edit keeps the order; one added or removed changes it.
    if (known === Boolean(flag.archived)) this.flagOrder = undefined;
  }

  setSegment(segment: StoredSegment): void {
    const known = this.segments.has(segment.id);
    if (segment.deleted) this.segments.delete(segment.id);
    else this.segments.set(segment.id, new Member<StoredSegment>(segment));
    if (known === Boolean(segment.deleted)) this.segmentOrder = undefined;
  }

  /** How many flags and segments there are. */
  get size(): number {
    return this.flags.size + this.segments.size;
  }

  /**
   * Keeps each flag's and segment's JSON alone (made now where missing), for
   * lists kept long: about a third of the memory of values and JSON. Returns
   * about how many bytes they take then.
   */
  compact(): number {
    let bytes = 0;
    for (const member of this.flags.values()) bytes += member.compact() + MEMBER_OVERHEAD_BYTES;
    for (const member of this.segments.values()) bytes += member.compact() + MEMBER_OVERHEAD_BYTES;
    return bytes;
  }

  /**
   * The lists as they stand now, in snapshot order: their values and their
   * JSON as a snapshot of `environment` at `version` (exactly JSON.stringify
   * of { environment, version, flags, segments }), each made when first asked
   * for. Both stay what they are when later changes are applied.
   */
  now(): ListsNow {
    const flags = this.orderedFlags().map((key) => this.flags.get(key)!);
    const segments = this.orderedSegments().map((id) => this.segments.get(id)!);
    let values: { flags: FlagState[]; segments: StoredSegment[] } | undefined;
    return {
      lists: () => (values ??= { flags: flags.map((flag) => flag.value()), segments: segments.map((segment) => segment.value()) }),
      // The keys in the order a Snapshot has them, so that the text is exactly JSON.stringify's.
      json: (environment, version) =>
        `{"environment":${JSON.stringify(environment)},"version":${version},"flags":[${flags.map((flag) => flag.json()).join(',')}],"segments":[${segments.map((segment) => segment.json()).join(',')}]}`,
    };
  }

  private orderedFlags(): string[] {
    // The order loadSnapshot reads (key collate "C"): by code point, not by JavaScript's `<`.
    this.flagOrder ??= [...this.flags.keys()].sort(compareCodePoints);
    return this.flagOrder;
  }

  private orderedSegments(): number[] {
    this.segmentOrder ??= [...this.segments.keys()].sort((a, b) => a - b);
    return this.segmentOrder;
  }
}
