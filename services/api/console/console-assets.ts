import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from '../../../shared/logger.js';

/** Where `npm run build:console` writes the console (services/console/dist). */
export const CONSOLE_DIST_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../console/dist');

/**
 * The console's own client-side routes: a reload on any of them gets the page,
 * not a 404. (The flags list is `/`; `/flags…` belongs to the build guide's API.)
 */
const CLIENT_ROUTES = ['/flag', '/segments', '/audit', '/tokens', '/environments', '/playground', '/change-requests', '/people', '/compare'];

function isClientRoute(pathname: string): boolean {
  return pathname === '/' || CLIENT_ROUTES.some((route) => pathname === route || pathname.startsWith(`${route}/`));
}

/**
 * Serves the built console at `/`: hashed assets cached for a year (their
 * names change with their content), the page itself revalidated every time
 * (so a new build is picked up at once), and the page for every client route.
 * A console that was not built answers 503 saying how to build it.
 */
export function serveConsole(app: Express, distDir: string, logger: Logger): void {
  let page: Buffer | undefined;
  let warned = false;

  const sendPage: RequestHandler = async (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isClientRoute(req.path)) return next();
    try {
      page ??= await readFile(path.join(distDir, 'index.html'));
    } catch (error) {
      if (!warned) logger.warn({ err: error, distDir }, 'the console is not built: run npm run build:console');
      warned = true;
      res.status(503).type('text/plain').send('The console is not built: run `npm run build:console` (npm start does it).\n');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(page);
  };

  app.use('/assets', express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '365d', index: false, redirect: false }));
  app.use(sendPage);
}
