export {
  FlagShipClient,
  FlagShipRefusedError,
  type FlagShipChange,
  type FlagShipClientOptions,
  type FlagShipClientStats,
  type FlagSource,
} from './client.js';
export { fileSnapshotStore, type SnapshotStore } from './snapshot-store.js';
export type { EvaluationContext, Evaluation } from '../evaluation/index.js';
export type { Snapshot } from '../schemas/snapshots.js';
export type { FlagState } from '../schemas/flags.js';
