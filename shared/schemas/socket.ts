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
 */
export const SOCKET_PROTOCOL_VERSION = 2;

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

/** One flag's new state relayed to the environment's sockets (archived: true when archived). */
export const FlagStateChangeSchema = z.object({
  environment: EnvironmentKeySchema,
  version: VersionSchema,
  flag: FlagStateSchema,
});
export type FlagStateChange = z.infer<typeof FlagStateChangeSchema>;

/** A segment's new definition relayed to every environment's sockets (deleted: true when deleted). */
export const SegmentChangeSchema = z.object({
  environment: EnvironmentKeySchema,
  version: VersionSchema,
  segment: SegmentSchema,
});
export type SegmentChange = z.infer<typeof SegmentChangeSchema>;

/** What `flags:change` carries: `{ environment, version, flag }` or `{ environment, version, segment }`. */
export const FlagChangeSchema = z.union([FlagStateChangeSchema, SegmentChangeSchema]);
export type FlagChange = z.infer<typeof FlagChangeSchema>;

/** The `flags:change` message of a change event. */
export function changeOfEvent(event: ChangeEvent): FlagChange {
  return isSegmentEvent(event)
    ? { environment: event.environment, version: event.version, segment: event.after }
    : { environment: event.environment, version: event.version, flag: event.after };
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
