export {
  FlagShipClient,
  FlagShipRefusedError,
  type FlagShipChange,
  type FlagShipClientOptions,
  type FlagShipClientStats,
  type FlagSource,
  type TrackDetails,
} from './client.js';
export { ERRORS_EVENT, EXPOSURE_EVENT, type EventReporterStats, type EventReportingOptions } from './event-reporter.js';
export type { ConnectionStatus, FlagShipDisconnected, FlagShipReconnected } from './connection-state.js';
export { TypedEmitter } from './emitter.js';
export type { SnapshotStore } from './snapshot-store.js';
export type { UsageReportingOptions } from './usage-reporter.js';
export {
  PROTOCOL_VERSION,
  type FlagChange,
  type FlagState,
  type HandshakeAuth,
  type Snapshot,
  type SocketError,
  type SocketErrorCode,
  type StoredSegment,
} from './protocol.js';
export type { EvaluatedVariant, Evaluation, EvaluationContext, EvaluationReason, JsonValue } from '@flagship/evaluation';
