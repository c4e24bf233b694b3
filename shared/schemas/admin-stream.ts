import { z } from 'zod';
import { EnvironmentKeySchema, VersionSchema } from './common.js';

/**
 * Where an admin change stream resumes: the last version seen per environment.
 * Ids of change events follow commit order only within one environment, so a
 * cursor of versions (not of event ids) is the one that never skips a change.
 * Wire form: `dev:12,prod:40` (environment keys hold no `:` or `,`).
 */
export type StreamCursor = Record<string, number>;

const CURSOR_PART = /^([a-z0-9][a-z0-9_-]{0,49}):(\d{1,15})$/;

/** The `after` query value (or Last-Event-ID) of the admin change stream. */
export const StreamCursorSchema = z
  .string()
  .max(10_000, { error: 'a cursor is at most 10000 characters' })
  .transform((value, ctx): StreamCursor => {
    // Keyed by environment names, which are the user's (`constructor` read Object's otherwise): no prototype.
    const cursor: StreamCursor = Object.create(null);
    if (value === '') return cursor;
    for (const part of value.split(',')) {
      const match = CURSOR_PART.exec(part);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: `'${part}' is not environment:version (e.g. prod:42)` });
        return z.NEVER;
      }
      cursor[match[1]!] = Number(match[2]);
    }
    return cursor;
  })
  .meta({ example: 'dev:12,prod:40' });

export function formatStreamCursor(cursor: StreamCursor): string {
  return Object.entries(cursor)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([environment, version]) => `${environment}:${version}`)
    .join(',');
}

export const AdminStreamQuerySchema = z.strictObject({
  after: StreamCursorSchema.optional().meta({
    description: 'Resume after these versions (the id of the last event received); an environment it omits starts from its current version',
  }),
});

/** The first event of every admin stream: where it starts, per environment. */
export const StreamReadySchema = z
  .object({ cursor: z.record(EnvironmentKeySchema, VersionSchema), resumed: z.boolean() })
  .meta({ id: 'AdminStreamReady', description: 'The first event of an admin change stream: the cursor it starts from, and whether it resumed one' });
export type StreamReady = z.infer<typeof StreamReadySchema>;
