import type { Constraint, Dependency, Strategy, VariantDefinition } from '@flagship/evaluation';

/**
 * The notifier's Socket.IO protocol as the SDK sees it (docs/socket-protocol.md).
 * Plain types and small structural checks instead of the server's zod schemas:
 * the SDK ships none of the server's dependencies. test/sdk/protocol-types.test.ts
 * fails to type-check when the server's schemas and these drift apart.
 */

/**
 * The protocol this SDK speaks, sent in every handshake. The notifier refuses a
 * version it does not speak with `unsupported_protocol`, so an old SDK gets a
 * clear refusal instead of evaluating payloads it does not understand.
 * 2: flag states carry strategies, variants and dependencies; snapshots carry segments.
 * 3: a change may set several flags and segments at one version (an applied change
 *    request), carried as `flags` and `segments` and applied in one step; and
 *    projects: each change carries `previous` (apply it when you hold that
 *    version; a token of some projects is sent only their changes, so its
 *    versions have holes); flag states and segments carry `project`.
 */
export const PROTOCOL_VERSION = 3;

/** A flag's state in one environment, as snapshots and changes carry it. */
export interface FlagState {
  id: string;
  key: string;
  /** The project the flag is in. */
  project: string;
  environment: string;
  enabled: boolean;
  /** The percentage when the state is one plain flexibleRollout, else null. */
  rollout: number | null;
  strategies: Strategy[];
  variants: VariantDefinition[];
  dependencies: Dependency[];
  version: number;
  updatedAt: string;
  updatedBy: string;
  /** Present (true) on the change that archives the flag, or moves it out of the token's projects. */
  archived?: boolean;
}

/** A named list of constraints that strategies reference by id. */
export interface StoredSegment {
  id: number;
  name: string;
  /** The project the segment is in. */
  project: string;
  description: string;
  constraints: Constraint[];
  createdAt: string;
  updatedAt: string;
  /** Present (true) on the change that deletes the segment. */
  deleted?: boolean;
}

/** Every live flag of one environment at one version, and its segments. */
export interface Snapshot {
  environment: string;
  version: number;
  flags: FlagState[];
  segments: StoredSegment[];
}

/**
 * `flags:change`: the environment's next version: one flag's or one segment's
 * new state, or several at once (`flags`, `segments`: an applied change
 * request), which must be applied together. `previous` is the version of the
 * change sent before it on this connection (or the version it started from).
 */
export type FlagChange =
  | { environment: string; version: number; previous: number; flag: FlagState }
  | { environment: string; version: number; previous: number; segment: StoredSegment }
  | { environment: string; version: number; previous: number; flags: FlagState[]; segments: StoredSegment[]; changeRequest?: string };

/** `flags:synced`: the snapshot or the missed changes are out; the client is current at `version`. */
export interface Synced {
  environment: string;
  version: number;
}

/** Why the notifier refused or ended a connection. `unavailable` is transient; the others are final. */
export type SocketErrorCode = 'unauthorized' | 'forbidden' | 'invalid_handshake' | 'unsupported_protocol' | 'unavailable';
export interface SocketError {
  code: SocketErrorCode;
  message: string;
}

/** What the SDK sends when it connects (Socket.IO `auth`). */
export interface HandshakeAuth {
  token: string;
  protocol: number;
  since?: number;
  environment?: string;
}

export interface ServerToClientEvents {
  'flags:snapshot': (snapshot: Snapshot) => void;
  'flags:change': (change: FlagChange) => void;
  'flags:synced': (synced: Synced) => void;
  'flags:error': (error: SocketError) => void;
}

export type ClientToServerEvents = Record<string, never>;

const SOCKET_ERROR_CODES: ReadonlySet<string> = new Set<SocketErrorCode>([
  'unauthorized',
  'forbidden',
  'invalid_handshake',
  'unsupported_protocol',
  'unavailable',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** The shape evaluation relies on; the notifier validated the rest before sending it. */
export function isFlagState(value: unknown): value is FlagState {
  return (
    isRecord(value) &&
    typeof value.key === 'string' &&
    typeof value.enabled === 'boolean' &&
    (value.rollout === null || typeof value.rollout === 'number') &&
    Array.isArray(value.strategies) &&
    Array.isArray(value.variants) &&
    Array.isArray(value.dependencies) &&
    isVersion(value.version)
  );
}

export function isSegment(value: unknown): value is StoredSegment {
  return isRecord(value) && typeof value.id === 'number' && Array.isArray(value.constraints);
}

export function isSnapshot(value: unknown): value is Snapshot {
  return (
    isRecord(value) &&
    typeof value.environment === 'string' &&
    isVersion(value.version) &&
    Array.isArray(value.flags) &&
    value.flags.every(isFlagState) &&
    Array.isArray(value.segments) &&
    value.segments.every(isSegment)
  );
}

export function isFlagChange(value: unknown): value is FlagChange {
  if (!isRecord(value) || typeof value.environment !== 'string' || !isVersion(value.version) || !isVersion(value.previous)) return false;
  if ('flags' in value) {
    return Array.isArray(value.flags) && value.flags.every(isFlagState) && Array.isArray(value.segments) && value.segments.every(isSegment);
  }
  return 'flag' in value ? isFlagState(value.flag) : isSegment(value.segment);
}

/** The flag states and segments a change sets, whatever its shape. */
export function subjectsOf(change: FlagChange): { flags: FlagState[]; segments: StoredSegment[] } {
  if ('flags' in change) return { flags: change.flags, segments: change.segments };
  if ('segment' in change) return { flags: [], segments: [change.segment] };
  return { flags: [change.flag], segments: [] };
}

export function isSynced(value: unknown): value is Synced {
  return isRecord(value) && typeof value.environment === 'string' && isVersion(value.version);
}

export function isSocketError(value: unknown): value is SocketError {
  return isRecord(value) && typeof value.code === 'string' && SOCKET_ERROR_CODES.has(value.code) && typeof value.message === 'string';
}
