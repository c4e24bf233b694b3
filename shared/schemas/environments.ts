import { z } from 'zod';
import { EnvironmentKeySchema, TimestampSchema, VersionSchema } from './common.js';

export const EnvironmentSchema = z
  .object({ key: EnvironmentKeySchema, version: VersionSchema, createdAt: TimestampSchema })
  .meta({ id: 'Environment', description: 'An environment (`dev`, `staging`, `prod` are seeded) and its version: the count of changes in it so far' });
export type Environment = z.infer<typeof EnvironmentSchema>;

export const CreateEnvironmentSchema = z
  .strictObject({ key: EnvironmentKeySchema })
  .meta({ id: 'CreateEnvironment', description: "A new environment's key" });
