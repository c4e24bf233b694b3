import { z } from 'zod';
import { EnvironmentKeySchema, VersionSchema } from './common.js';
import { FlagStateSchema } from './flags.js';
import { SegmentSchema } from './targeting.js';

/** Every live flag of one environment at one version, and every segment (by id): what SDKs load and evaluate. */
export const SnapshotSchema = z
  .object({
    environment: EnvironmentKeySchema,
    version: VersionSchema,
    flags: z.array(FlagStateSchema),
    segments: z.array(SegmentSchema),
  })
  .meta({ id: 'Snapshot', description: "An environment's live flags at one version: what SDKs hold and evaluate" });
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** Published on Redis channel `<prefix>:snapshot-changed` after the notifier stores a newer snapshot. */
export const SnapshotChangedSchema = z.object({ environment: EnvironmentKeySchema, version: VersionSchema });
export type SnapshotChanged = z.infer<typeof SnapshotChangedSchema>;

