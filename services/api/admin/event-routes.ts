import type { Response } from 'express';
import { readEventPage } from '../../../shared/domain/events/event-service.js';
import { CSV_COLUMNS, csvRecord, exportEventPages, ndjsonLine } from '../../../shared/domain/events/event-export.js';
import { EventPageSchema, EventsQuerySchema } from '../../../shared/schemas/events.js';
import { EventExportQuerySchema } from '../../../shared/schemas/history.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, LISTED_PROJECTS, type RouteTable } from '../http/route.js';

/** Resolves once `res` may take more (or is gone): the export reads its next page only then. */
function drained(res: Response): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function addEventRoutes(table: RouteTable, { pool, logger }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/events',
    summary: 'The audit log, oldest first; pass nextAfter back as after for the next page',
    description:
      "Every change event (who, when, before and after), oldest first, filtered by environment and flag. Pages never skip an event, even while several environments are written at once: the cursor is the last version read of each environment (`dev:12,prod:7`), not an event id. Pass `nextAfter` back as `after` until it is null; `cursor` is where the page ends, to read what was written since.",
    tags: ['events'],
    auth: 'admin',
    role: 'viewer',
    query: EventsQuerySchema,
    projects: () => LISTED_PROJECTS,
    responses: {
      200: { description: 'A page of change events', schema: EventPageSchema },
      404: { description: 'The environment or flag filtered on does not exist' },
    },
    handle: async ({ query, projects }) => ({ body: await readEventPage(pool, { ...query, projects }) }),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/events/export',
    summary: 'The whole audit log, streamed as NDJSON or CSV, resumable by version',
    description:
      'Every change event that passes the filters, streamed (never cut at a page size): environment by environment in key order, ' +
      'each in version order, as NDJSON (one event per line, the objects of GET /v1/events) or CSV (`before` and `after` as JSON text). ' +
      '`from` and `to` are versions (both inclusive) in each environment; `since` and `until` times of commit. The export ends at the ' +
      "version each environment stood at when it began. To resume a broken export, ask again with `from` the last version received + 1 " +
      '(one environment) or `after` the last version received of each (`dev:12,prod:7`). A broken stream ends without its last line: ' +
      'a client that sees the connection fail knows the export is incomplete.',
    tags: ['events'],
    auth: 'admin',
    role: 'viewer',
    query: EventExportQuerySchema,
    responses: {
      200: { description: 'application/x-ndjson (one change event per line) or text/csv (a header row, then one event per record)' },
      404: { description: 'The environment or flag filtered on does not exist' },
    },
    handle: async ({ query, res }) => {
      const { format = 'ndjson', ...filters } = query;
      const pages = exportEventPages(pool, filters);
      // The first page is read before anything is sent: a 404 or a database error is still an ordinary answer.
      let page = await pages.next();
      const line = format === 'csv' ? csvRecord : ndjsonLine;
      res.writeHead(200, {
        'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      if (format === 'csv') res.write(`${CSV_COLUMNS.join(',')}\r\n`);
      try {
        while (!page.done) {
          if (res.destroyed) {
            await pages.return(undefined);
            return;
          }
          if (!res.write(page.value.map(line).join(''))) await drained(res);
          page = await pages.next();
        }
        res.end();
      } catch (error) {
        // The status is sent: break the connection, so the reader never takes a cut export for a whole one.
        logger.warn({ err: error }, 'event export failed midway; the connection is reset');
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    },
  });
}
