import type { Queryable } from '../../db/pool.js';
import type { ChangeEvent } from '../../schemas/events.js';
import type { EventExportQuery } from '../../schemas/history.js';
import { listEnvironments, requireEnvironment } from '../environments/environment-repository.js';
import { requireFlag } from '../flags/flag-repository.js';
import { listEventsToExport } from './event-repository.js';

/** Events read per query: a page is at most this many in memory, whatever the length of the log. */
export const EXPORT_BATCH = 1000;

/**
 * The whole change log, filtered, as pages of events: environment by
 * environment (in key order), each in version order from `from` (inclusive)
 * or after `after`'s version of it, up to `to` or the version the environment
 * stood at when the export began (so an export ends while writes go on).
 *
 * Each page is its own short query, resumed by keyset on (environment,
 * version): no transaction stays open while a slow reader drains the response,
 * and the caller asks for the next page only when it has sent the last one
 * (backpressure). Within an environment a visible version means every lower
 * one has committed (the ordering rule), so no page skips an event.
 *
 * A filter naming an environment or flag that does not exist is a 404 at the
 * first page, before anything is sent.
 */
export async function* exportEventPages(db: Queryable, query: Omit<EventExportQuery, 'format'>, batch = EXPORT_BATCH): AsyncGenerator<ChangeEvent[]> {
  if (query.flag !== undefined) await requireFlag(db, query.flag);
  const environments = query.environment !== undefined ? [await requireEnvironment(db, query.environment)] : await listEnvironments(db);
  environments.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const filter = { flag: query.flag, actor: query.actor, since: query.since, until: query.until };
  for (const environment of environments) {
    const upTo = Math.min(query.to ?? Number.MAX_SAFE_INTEGER, environment.version);
    let after = Math.max((query.from ?? 1) - 1, query.after?.[environment.key] ?? 0);
    while (after < upTo) {
      const events = await listEventsToExport(db, environment.key, after, upTo, filter, batch);
      if (events.length > 0) yield events;
      if (events.length < batch) break;
      after = events[events.length - 1]!.version;
    }
  }
}

export const CSV_COLUMNS = ['id', 'environment', 'version', 'flag', 'segment', 'action', 'actor', 'createdAt', 'before', 'after'] as const;

/** One field of RFC 4180 CSV: quoted when it holds a comma, a quote or a line break (quotes doubled). */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** An event as one CSV record (CSV_COLUMNS; before and after as JSON text), CRLF-terminated. */
export function csvRecord(event: ChangeEvent): string {
  const row = event as unknown as Record<string, unknown>;
  return `${CSV_COLUMNS.map((column) => csvField(row[column])).join(',')}\r\n`;
}

/** An event as one NDJSON line. */
export function ndjsonLine(event: ChangeEvent): string {
  return `${JSON.stringify(event)}\n`;
}
