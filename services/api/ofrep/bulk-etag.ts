import { createHash } from 'node:crypto';

/**
 * The bulk response's ETag: a digest of the body itself. The body depends on the
 * environment's version *and* on the context, so a version alone would wrongly
 * answer 304 to a client that changed user; a digest is exact by construction, and
 * a change that leaves this user's answers as they were still gets its 304.
 */
export function bulkEtag(body: unknown): string {
  return bulkEtagOfJson(JSON.stringify(body));
}

/** bulkEtag of a body already serialised (what res.json would send, as text or UTF-8 bytes), so it is serialised once. */
export function bulkEtagOfJson(json: string | Buffer): string {
  return `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
}
