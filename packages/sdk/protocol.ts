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
 */
export const PROTOCOL_VERSION = 2;

/** A flag's state in one environment, as snapshots and changes carry it. */
export interface FlagState {
  id: string;
  key: string;
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
  /** Present (true) on the change that archives the flag. */
  archived?: boolean;
}

/** A named list of constraints that strategies reference by id. */
export interface StoredSegment {
  id: number;
  name: string;
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

/** `flags:change`: one flag's or one segment's new state at the environment's next version. */
export type FlagChange =
  | { environment: string; version: number; flag: FlagState }
  | { environment: string; version: number; segment: StoredSegment };

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
  if (!isRecord(value) || typeof value.environment !== 'string' || !isVersion(value.version)) return false;
  return 'flag' in value ? isFlagState(value.flag) : isSegment(value.segment);
}

export function isSynced(value: unknown): value is Synced {
  return isRecord(value) && typeof value.environment === 'string' && isVersion(value.version);
}

export function isSocketError(value: unknown): value is SocketError {
  return isRecord(value) && typeof value.code === 'string' && SOCKET_ERROR_CODES.has(value.code) && typeof value.message === 'string';
}
