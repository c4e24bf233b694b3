// The server's own zod-inferred types (type-only imports: nothing of zod reaches the page),
// so the console and the API it calls cannot drift apart.
import type { z } from 'zod';
import type { StreamReady } from '../../../../shared/schemas/admin-stream.js';
import type { Environment } from '../../../../shared/schemas/environments.js';
import type { ChangeEvent, EventPageSchema, FlagChangeEvent, SegmentChangeEvent } from '../../../../shared/schemas/events.js';
import type { AdminFlagState, CreateFlag, Flag, FlagPageSchema, FlagState, StateChange } from '../../../../shared/schemas/flags.js';
import type { CreateRamp, Ramp, RampPageSchema } from '../../../../shared/schemas/ramps.js';
import type { FlagType, FlagUsage } from '../../../../shared/schemas/usage.js';
import type { StoredSegment } from '../../../../shared/schemas/targeting.js';
import type { CreateSegmentSchema, StateConfigSchema } from '../../../../shared/schemas/targeting-input.js';
import type { CreateToken, CreatedTokenSchema, Token } from '../../../../shared/schemas/tokens.js';

export type { AdminFlagState, FlagType, FlagUsage, ChangeEvent, FlagChangeEvent, SegmentChangeEvent, CreateFlag, CreateRamp, CreateToken, Environment, Flag, FlagState, Ramp, StateChange, StreamReady, Token };
export type FlagPage = z.infer<typeof FlagPageSchema>;
export type RampPage = z.infer<typeof RampPageSchema>;
/** What PUT /v1/flags/{key}/environments/{env} takes: the whole configuration of a state. */
export type StateConfig = z.input<typeof StateConfigSchema>;
export type Segment = StoredSegment;
/** What POST /v1/segments takes (and PATCH, every field given). */
export type SegmentInput = z.input<typeof CreateSegmentSchema>;
export type EventPage = z.infer<typeof EventPageSchema>;
export type CreatedToken = z.infer<typeof CreatedTokenSchema>;

/** One entry of an error's `details`: where (`in` and `path`) and what. */
export interface ErrorDetail {
  in?: string;
  path?: Array<string | number>;
  message: string;
}

/** A segment's change (segments are global: one event per environment) rather than a flag's. */
export function isSegmentEvent(event: ChangeEvent): event is SegmentChangeEvent {
  return 'segment' in event;
}
