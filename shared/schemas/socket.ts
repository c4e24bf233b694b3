import { z } from 'zod';
import { EnvironmentKeySchema, VersionSchema } from './common.js';
import { FlagStateSchema } from './flags.js';
import { SegmentSchema } from './targeting.js';
import type { Snapshot } from './snapshots.js';
import { isSegmentEvent, type ChangeEvent } from './events.js';

/**
 * The Socket.IO protocol this notifier speaks. Clients send theirs as
 * `auth.protocol`; any other (or none: SDKs from before targeting) is refused
 * with `unsupported_protocol`, so an old SDK is told to upgrade instead of
 * evaluating payloads it does not understand. Bump it when a payload changes
 * in a way older SDKs would misread.
 * 2: flag states carry strategies, variants and dependencies; snapshots carry segments.
 * 3: a version may change several flags and segments at once (an applied change
 *    request): `flags:change` then carries `flags: [...]` and `segments: [...]`,
 *    applied as one step (a protocol-2 client would apply half of it, so 2 is
 *    refused). And projects: each change carries `previous`, the version of the
 *    change sent before it on this socket (or the version it started from): a
 *    token of some projects is sent only their changes, so its versions have
 *    holes, and "apply N when you hold `previous`" replaces "apply N when you
 *    hold N-1". Flag states and segments carry `project`.
 */
export const SOCKET_PROTOCOL_VERSION = 3;

/** The protocols this notifier speaks: 3 only (a client of 2 would apply half of a change request). */
export const SUPPORTED_SOCKET_PROTOCOLS: readonly number[] = [3];

/**
 * What a running app sends when it connects (Socket.IO `auth`): its sdk token,
 * the last version it holds (to be sent only what it missed) and, optionally,
 * the environment it expects: a token of another environment is then refused
 * rather than silently serving the wrong flags.
 */
export const HandshakeAuthSchema = z.object({
  token: z.string({ error: 'token is required: pass your sdk token as auth.token' }).min(1, {
    error: 'token is required: pass your sdk token as auth.token',
  }),
  protocol: z.number().int().positive(),
  since: VersionSchema.optional(),
  environment: EnvironmentKeySchema.optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuthSchema>;

const PreviousSchema = VersionSchema.meta({
  description: 'The version of the change sent before this one on this socket, or the version it started from: apply this change when you hold `previous`',
});

/** One flag's new state relayed to the environment's sockets (archived: true when archived, or moved out of the token's projects). */
export const FlagStateChangeSchema = z.object({
  environment: EnvironmentKeySchema,
  version: VersionSchema,
  previous: PreviousSchema,
  flag: FlagStateSchema,
});
export type FlagStateChange = z.infer<typeof FlagStateChangeSchema>;

/** A segment's new definition relayed to every environment's sockets (deleted: true when deleted). */
export const SegmentChangeSchema = z.object({
  environment: EnvironmentKeySchema,
  version: VersionSchema,
  previous: PreviousSchema,
  segment: SegmentSchema,
});
export type SegmentChange = z.infer<typeof SegmentChangeSchema>;

/**
 * Several flags and segments changed at one version (an applied change
 * request): to be applied together, never one without the others. Archived
 * flags carry `archived: true`, deleted segments `deleted: true`.
 */
export const GroupChangeSchema = z.object({
  environment: EnvironmentKeySchema,
  version: VersionSchema,
  flags: z.array(FlagStateSchema),
  segments: z.array(SegmentSchema),
  previous: PreviousSchema,
  /** The change request applied (absent for other groups). */
  changeRequest: z.string().optional(),
});
export type GroupChange = z.infer<typeof GroupChangeSchema>;

/** What `flags:change` carries: `{ environment, version, flag }`, `{ environment, version, segment }`, or a group `{ environment, version, flags, segments }`. */
export const FlagChangeSchema = z.union([FlagStateChangeSchema, SegmentChangeSchema, GroupChangeSchema]);
export type FlagChange = z.infer<typeof FlagChangeSchema>;

/** The flag states and segments a change sets, whatever its shape. */
export function subjectsOfChange(change: FlagChange): { flags: FlagStateChange['flag'][]; segments: SegmentChange['segment'][] } {
  if ('flags' in change) return { flags: change.flags, segments: change.segments };
  if ('segment' in change) return { flags: [], segments: [change.segment] };
  return { flags: [change.flag], segments: [] };
}

/**
 * The project each flag of a change was in before it, for a move (`before` and
 * `after` name different projects), by flag key: kept beside the message, never
 * in it, so a socket that sees only the new project does not learn the old one,
 * and one that sees only the old gets a removal (shared/domain/projects/project-scope.ts).
 */
const movedFrom = new WeakMap<FlagChange, Map<string, string>>();

export function projectBeforeChange(change: FlagChange, flagKey: string): string | undefined {
  return movedFrom.get(change)?.get(flagKey);
}

function noteMoves(change: FlagChange, events: ChangeEvent[]): void {
  let moves: Map<string, string> | undefined;
  for (const event of events) {
    if (isSegmentEvent(event) || !event.before || event.before.project === event.after.project) continue;
    (moves ??= new Map()).set(event.after.key, event.before.project);
  }
  if (moves) movedFrom.set(change, moves);
}

/**
 * The `flags:change` messages of change events in version order: one per
 * version. A version of one event is `{ flag }` or `{ segment }`; a version of
 * several (a change group: an applied change request) is one group message.
 * `previous` is the version before (what a socket of every project was sent
 * last; a scoped socket's stream rewrites it).
 */
export function changesOfEvents(events: ChangeEvent[]): FlagChange[] {
  const changes: FlagChange[] = [];
  for (let start = 0; start < events.length; ) {
    let end = start + 1;
    while (end < events.length && events[end]!.version === events[start]!.version && events[end]!.environment === events[start]!.environment) end += 1;
    const group = events.slice(start, end);
    const first = group[0]!;
    const head = { environment: first.environment, version: first.version, previous: first.version - 1 };
    let change: FlagChange;
    if (group.length === 1) {
      change = isSegmentEvent(first) ? { ...head, segment: first.after } : { ...head, flag: first.after };
    } else {
      const requestId = (first as { changeRequestId?: string }).changeRequestId;
      change = {
        ...head,
        flags: group.flatMap((event) => (isSegmentEvent(event) ? [] : [event.after])),
        segments: group.flatMap((event) => (isSegmentEvent(event) ? [event.after] : [])),
        ...(requestId ? { changeRequest: requestId } : {}),
      };
    }
    noteMoves(change, group);
    changes.push(change);
    start = end;
  }
  return changes;
}

/** Sent once the snapshot or the missed changes are out: the client is now current at `version`. */
export const SyncedSchema = z.object({ environment: EnvironmentKeySchema, version: VersionSchema });
export type Synced = z.infer<typeof SyncedSchema>;

/**
 * Why a connection was refused or ended, in `connect_error`'s `err.data` and in
 * `flags:error`. `unavailable` is transient (the server could not check the
 * token): clients retry; the others are final until the configuration changes.
 */
export const SocketErrorCodeSchema = z.enum(['unauthorized', 'forbidden', 'invalid_handshake', 'unsupported_protocol', 'unavailable']);
export type SocketErrorCode = z.infer<typeof SocketErrorCodeSchema>;
export const SocketErrorSchema = z.object({ code: SocketErrorCodeSchema, message: z.string() });
export type SocketError = z.infer<typeof SocketErrorSchema>;

/** Events the notifier sends (typed on both sides: `Server<ClientToServerEvents, ServerToClientEvents>`). */
export interface ServerToClientEvents {
  'flags:snapshot': (snapshot: Snapshot) => void;
  'flags:change': (change: FlagChange) => void;
  /** After the snapshot or the replay of a (re)connection, before live changes resume. */
  'flags:synced': (synced: Synced) => void;
  /** Sent just before the server ends the connection for good (a revoked token). */
  'flags:error': (error: SocketError) => void;
}

/** Clients only listen. */
export type ClientToServerEvents = Record<string, never>;
