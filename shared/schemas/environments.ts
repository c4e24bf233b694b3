import { z } from 'zod';
import { EnvironmentKeySchema, queryInteger, TimestampSchema, VersionSchema } from './common.js';

export const EnvironmentSchema = z
  .object({
    key: EnvironmentKeySchema,
    version: VersionSchema,
    createdAt: TimestampSchema,
    protected: z.boolean().meta({ description: 'Direct writes by people are refused (409 change_request_required): changes go through change requests' }),
    requiredApprovals: z.number().int().meta({ description: 'Approvals a change request needs here (when protected)' }),
  })
  .meta({ id: 'Environment', description: 'An environment (`dev`, `staging`, `prod` are seeded) and its version: the count of changes in it so far' });
export type Environment = z.infer<typeof EnvironmentSchema>;

export const CreateEnvironmentSchema = z
  .strictObject({ key: EnvironmentKeySchema })
  .meta({ id: 'CreateEnvironment', description: "A new environment's key" });

export const EnvironmentParamsSchema = z.strictObject({ env: EnvironmentKeySchema });

export const EnvironmentRelaySchema = z
  .object({
    environment: EnvironmentKeySchema,
    version: VersionSchema.nullable().meta({
      description: 'The lowest version every live notifier has relayed to its sockets; null when no notifier is live or one has relayed nothing here yet',
    }),
    currentVersion: VersionSchema.meta({ description: "The environment's version now" }),
    notifiers: z
      .array(z.object({ id: z.string(), version: VersionSchema.nullable() }))
      .meta({ description: 'Each live notifier (one that refreshed its report within the last few seconds) and the last version it relayed here' }),
  })
  .meta({ id: 'EnvironmentRelay', description: 'How far the running notifiers have pushed an environment: a deploy gate waits until `version` reaches its own' });
export type EnvironmentRelay = z.infer<typeof EnvironmentRelaySchema>;

/** The longest a deploy gate's request is held (below the idle limit of common load balancers). */
export const MAX_RELAY_WAIT_MS = 25_000;

/** `GET /v1/environments/{env}/relayed?atLeast=&waitMs=`: held until every live notifier relayed `atLeast`. */
export const EnvironmentRelayQuerySchema = z
  .strictObject({
    atLeast: queryInteger(0, Number.MAX_SAFE_INTEGER)
      .optional()
      .meta({ description: 'Hold the answer until every live notifier has relayed this version (or waitMs passed)' }),
    waitMs: queryInteger(0, MAX_RELAY_WAIT_MS)
      .optional()
      .meta({ description: `How long to hold it, at most ${MAX_RELAY_WAIT_MS} ms (default ${MAX_RELAY_WAIT_MS} with atLeast)` }),
  })
  .refine((query) => query.waitMs === undefined || query.atLeast !== undefined, { path: ['waitMs'], message: 'give atLeast: the version to wait for' });
