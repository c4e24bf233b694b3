// The API's types as its OpenAPI document states them (api/openapi.d.ts, generated
// from the routes' own schemas by `npm run console:api-types`), so the console and
// the API it calls cannot drift apart. The change stream is no OpenAPI operation:
// its first event keeps the server's zod-inferred type (a type-only import).
import type { StreamReady } from '../../../../shared/schemas/admin-stream.js';
import type { FlagMetadataChange } from '../../../../shared/schemas/flags.js';
import type { components } from './openapi.js';

type Schemas = components['schemas'];

export type { StreamReady, FlagMetadataChange };
export type Project = Schemas['Project'];
export type AdminFlagState = Schemas['AdminFlagState'];
export type FlagType = Schemas['Flag']['type'];
export type FlagUsage = Schemas['FlagUsage'];
export type ChangeEvent = Schemas['ChangeEvent'];
export type FlagChangeEvent = Schemas['FlagChangeEvent'];
export type SegmentChangeEvent = Schemas['SegmentChangeEvent'];
export type CreateFlag = Schemas['CreateFlag'];
export type CreateRamp = Schemas['CreateRamp'];
export type CreateToken = Schemas['CreateToken'];
export type Environment = Schemas['Environment'];
export type Flag = Schemas['Flag'];
export type FlagState = Schemas['FlagState'];
export type Ramp = Schemas['Ramp'];
export type StateChange = Schemas['StateChange'];
export type Token = Schemas['Token'];
export type FlagPage = Schemas['FlagPage'];
export type RampPage = Schemas['RampPage'];
/** What PUT /v1/flags/{key}/environments/{env} takes: the whole configuration of a state. */
export type StateConfig = Schemas['StateConfig'];
export type Segment = Schemas['Segment'];
/** What POST /v1/segments takes (and PATCH, every field given). */
export type SegmentInput = Schemas['CreateSegment'];
export type EventPage = Schemas['EventPage'];
export type CreatedToken = Schemas['CreatedToken'];
/** A person with their roles per project (GET /v1/users). */
export type User = Schemas['User'];
export type RoleGrant = Schemas['RoleGrant'];
export type CreatedUser = Schemas['CreatedUser'];

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

/** `POST /v1/playground` (docs/history.md). */
export type PlaygroundInput = Schemas['PlaygroundRequest'];

/** One step of an explained answer: what it looked at, the context value it saw, whether it held. */
export type TraceStep = Schemas['TraceStep'];

export type PlaygroundResult = Schemas['PlaygroundResponse'];
