import { z } from 'zod';
import { EnvironmentKeySchema, TimestampSchema, VersionSchema } from './common.js';

export const EnvironmentSchema = z
  .object({ key: EnvironmentKeySchema, version: VersionSchema, createdAt: TimestampSchema })
  .meta({ id: 'Environment' });
export type Environment = z.infer<typeof EnvironmentSchema>;

export const CreateEnvironmentSchema = z
  .strictObject({ key: EnvironmentKeySchema })
  .meta({ id: 'CreateEnvironment' });
