import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response } from 'express';

/** The largest JSON body any route takes (a 413 beyond it). */
export const BODY_LIMIT = '64kb';

const parsers = new Map<string, ReturnType<typeof express.json>>();

function parserFor(limit: string): ReturnType<typeof express.json> {
  let parser = parsers.get(limit);
  if (!parser) {
    parser = express.json({ limit, strict: true });
    parsers.set(limit, parser);
  }
  return parser;
}

/**
 * Bodies the lean path (lean-path.ts) already read before handing the request
 * to Express: the stream is spent, so readJsonBody answers with what that read
 * gave (req.body, or body-parser's error) instead of reading again.
 */
const readBefore = new WeakMap<IncomingMessage, { error?: unknown }>();

/**
 * Reads and parses the request's JSON body into `req.body`. Routes call it
 * only once the caller is authenticated: a body that trickles in (or never
 * reaches its Content-Length) then holds no connection for an anonymous
 * client, and the HTTP server's request timeout bounds everyone else.
 * body-parser's errors (413, malformed JSON) are rejected as they are, for
 * the error handlers to answer in their route's shape. `limit` is BODY_LIMIT
 * unless the route declares a larger one (an Unleash import).
 */
export function readJsonBody(req: Request, res: Response, limit = BODY_LIMIT): Promise<void> {
  const before = readBefore.get(req);
  if (before) return before.error === undefined ? Promise.resolve() : Promise.reject(before.error);
  return readNodeJsonBody(req, res, limit);
}

/**
 * readJsonBody on a plain node:http request (the lean path, before Express):
 * the same parser, so the same limits and errors. Its outcome is remembered for
 * readJsonBody should the request go on to Express.
 */
export function readNodeJsonBody(req: IncomingMessage, res: ServerResponse, limit = BODY_LIMIT): Promise<void> {
  return new Promise((resolve, reject) => {
    parserFor(limit)(req as Request, res as Response, (error?: unknown) => {
      readBefore.set(req, { error });
      if (error) reject(error);
      else resolve();
    });
  });
}
