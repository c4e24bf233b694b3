import { ValidationError } from '../../../shared/errors.js';

/** ETags are versions: `"12"`. */
export function versionEtag(version: number): string {
  return `"${version}"`;
}

/**
 * Reads a version out of If-Match (`"12"`, `W/"12"` or a bare 12); a malformed one is a 400, never ignored.
 * `*` asks only that the state exist (RFC 9110), which the write checks anyway: no version to compare.
 */
export function parseIfMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) {
    throw new ValidationError('If-Match must be the version ETag, like "12"', [
      { in: 'headers', path: ['if-match'], message: 'must be a version ETag like "12"' },
    ]);
  }
  return Number(match[1]);
}

/** True when If-None-Match names this ETag (or `*`). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  // What SDKs send back: the ETag itself, no list to split (the hot path of a 304).
  if (ifNoneMatch === etag) return true;
  return ifNoneMatch
    .split(',')
    .map((candidate) => candidate.trim().replace(/^W\//, ''))
    .some((candidate) => candidate === etag || candidate === '*');
}
