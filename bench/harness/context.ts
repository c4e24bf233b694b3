import type { AdminClient } from './admin-client.js';
import type { FlagShip } from './flagship.js';
import type { DriverProcess } from './ipc.js';
import type { Isolation } from './isolation.js';
import type { MeasureResult } from './report.js';

/** Everything a measure needs: the running FlagShip, its seeded data, and where to log progress. */
export interface BenchContext {
  flagship: FlagShip;
  isolation: Isolation;
  admin: AdminClient;
  /** The environment every measure works in. */
  environment: string;
  /** An sdk token of that environment. */
  sdkSecret: string;
  /** Keys of the seeded flags: `flags[0]` carries propagation and fan-out writes, etc. (see seed.ts). */
  flags: SeededFlags;
  /** The socket-client driver processes (drivers/socket-clients.ts), started once and shared by the push measures. */
  socketDrivers(): Promise<DriverProcess[]>;
  /** The run's log folder (bench/.tmp/<run>/logs): a peer server's log goes there too. */
  logDir: string;
  log(message: string): void;
}

export interface SeededFlags {
  all: string[];
  /** Written by the propagation and fan-out measures. */
  pushed: string;
  /** One per concurrent admin of the write-path measure. */
  written: string[];
  /** Enabled at 50%: local evaluation. */
  halfRollout: string;
  /** Enabled at 0%, ramped by the ramp measure. */
  ramped: string;
}

export interface Measure {
  /** Short name, as --only takes it. */
  id: string;
  title: string;
  run(context: BenchContext): Promise<MeasureResult>;
}
