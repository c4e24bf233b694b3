import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
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
  const plain = plainJsonLength(req, limit);
  if (plain === undefined) return viaBodyParser(req, res, limit);
  return readAll(req, plain).then((bytes) => {
    const body = parsedIfWellFormed(bytes);
    if (body !== undefined) {
      (req as IncomingMessage & { body?: unknown }).body = body;
      readBefore.set(req, {});
      return;
    }
    // Anything else (malformed JSON, not an object or array, a BOM) is body-parser's
    // to answer in its own words: it reads the same bytes again.
    const replay = replayOf(req, bytes);
    return viaBodyParser(replay, res, limit).then(
      () => {
        (req as IncomingMessage & { body?: unknown }).body = (replay as IncomingMessage & { body?: unknown }).body;
        readBefore.set(req, {});
      },
      (error: unknown) => {
        readBefore.set(req, { error });
        throw error;
      },
    );
  }, (error: unknown) => {
    // The read failed (the client went away): remembered, so that Express answers from it rather than reading a spent stream.
    readBefore.set(req, { error });
    throw error;
  });
}

function viaBodyParser(req: IncomingMessage, res: ServerResponse, limit: string): Promise<void> {
  return new Promise((resolve, reject) => {
    parserFor(limit)(req as Request, res as Response, (error?: unknown) => {
      readBefore.set(req, { error });
      if (error) reject(error);
      else resolve();
    });
  });
}

/*
 * The common case read without body-parser (its content-type, charset and
 * stream machinery was a sixth of an evaluating POST's time): a JSON body in
 * UTF-8, not compressed, whose Content-Length is within the limit. node:http
 * delivers exactly that many bytes, so nothing can grow past the limit while
 * it is read. Every other request goes through body-parser as before.
 */
const PLAIN_JSON_TYPE = /^application\/json\s*(?:;\s*charset=(?:"utf-8"|utf-8)\s*)?$/i;
const LIMIT = /^(\d+)(kb|mb)$/;
const UNITS = { kb: 1024, mb: 1024 * 1024 } as const;
const OBJECT_OR_ARRAY = /^[\x20\x09\x0a\x0d]*[{[]/;

function plainJsonLength(req: IncomingMessage, limit: string): number | undefined {
  const { headers } = req;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return undefined;
  if (headers['transfer-encoding'] !== undefined) return undefined;
  const type = headers['content-type'];
  if (type === undefined || !PLAIN_JSON_TYPE.test(type)) return undefined;
  const declared = headers['content-length'];
  if (declared === undefined || !/^\d{1,9}$/.test(declared)) return undefined;
  const [, amount, unit] = LIMIT.exec(limit) ?? [];
  if (amount === undefined) return undefined;
  const length = Number(declared);
  return length > 0 && length <= Number(amount) * UNITS[unit as keyof typeof UNITS] ? length : undefined;
}

function readAll(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length)));
    req.once('error', reject);
    // The client went away mid-body: nobody is left to answer, but the request must not wait for ever.
    req.once('aborted', () => reject(Object.assign(new Error('request aborted'), { status: 400, expose: true, type: 'request.aborted' })));
  });
}

/** The parsed body when it is a well-formed JSON object or array (no BOM: body-parser strips one, and says so), else undefined. */
function parsedIfWellFormed(bytes: Buffer): unknown {
  if (bytes[0] === 0xef) return undefined;
  const text = bytes.toString('utf8');
  if (!OBJECT_OR_ARRAY.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A request stream that delivers `bytes` again, with the original's headers, for body-parser. */
function replayOf(req: IncomingMessage, bytes: Buffer): IncomingMessage {
  const replay = Readable.from([bytes], { objectMode: false }) as unknown as IncomingMessage;
  Object.assign(replay, { headers: req.headers, method: req.method, url: req.url });
  return replay;
}
