import express, { type Request, type Response } from 'express';

/** The largest JSON body any route takes (a 413 beyond it). */
export const BODY_LIMIT = '64kb';

const parseJson = express.json({ limit: BODY_LIMIT, strict: true });

/**
 * Reads and parses the request's JSON body into `req.body`. Routes call it
 * only once the caller is authenticated: a body that trickles in (or never
 * reaches its Content-Length) then holds no connection for an anonymous
 * client, and the HTTP server's request timeout bounds everyone else.
 * body-parser's errors (413, malformed JSON) are rejected as they are, for
 * the error handlers to answer in their route's shape.
 */
export function readJsonBody(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    parseJson(req, res, (error?: unknown) => (error ? reject(error) : resolve()));
  });
}
