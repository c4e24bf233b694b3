import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../../shared/db/pool.js';
import { findActiveSdkTokenHash, hashSecret } from '../../../shared/domain/tokens/token-repository.js';

/*
 * An OFREP event-stream URL is opened by EventSource, which cannot send an
 * Authorization header, so the URL itself must carry a credential. Putting the
 * sdk secret there would leak it into proxy and browser logs; a ticket instead
 * names the token and an expiry, and proves it was minted by someone holding
 * the secret:
 *
 *   ticket = <token id> "." <expiry, unix seconds> "." base64url(HMAC-SHA256(key = sha256(secret), purpose + id + "." + expiry))
 *
 * The server keeps sha256(secret) (api_token.secret_hash), so it can check a
 * ticket without storing anything new. A ticket opens this stream only (it
 * cannot evaluate flags), opens it only until it expires (a URL that leaked
 * into a log is soon worthless), and dies with its token. An open stream is
 * not cut at expiry, only on revocation; a provider whose reconnect is refused
 * fetches the bulk evaluation again, which advertises a fresh ticket.
 *
 * Expiries are rounded to whole windows, so every bulk response within a
 * window carries the same URL and therefore the same ETag (a 304 stays a 304).
 */

const PURPOSE = 'ofrep-event-stream:';
const TICKET = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/** A ticket is valid for one to two of these. */
export const TICKET_WINDOW_SECONDS = 3600;

function mac(secretHash: string, tokenId: string, expiresAt: number): string {
  return createHmac('sha256', secretHash).update(`${PURPOSE}${tokenId}.${expiresAt}`).digest('base64url');
}

function expiryAt(nowMs: number): number {
  return (Math.floor(nowMs / 1000 / TICKET_WINDOW_SECONDS) + 2) * TICKET_WINDOW_SECONDS;
}

/** The ticket for the sdk token whose secret the caller just presented, valid until the end of the next window. */
export function issueStreamTicket(tokenId: string, secret: string, nowMs = Date.now()): string {
  const expiresAt = expiryAt(nowMs);
  return `${tokenId}.${expiresAt}.${mac(hashSecret(secret), tokenId, expiresAt)}`;
}

/** At most this many tokens' tickets are remembered (live tokens are few; this only bounds memory). */
const MAX_REMEMBERED_TICKETS = 10_000;

/**
 * issueStreamTicket, remembered per token for the window it belongs to: the
 * ticket is the same for a whole window anyway, and every bulk evaluation
 * carries one (two SHA-256 computations each, otherwise). A token has one
 * secret, the one its caller was just authenticated with.
 */
export function createStreamTicketIssuer(): (tokenId: string, secret: string, nowMs?: number) => string {
  const issued = new Map<string, { expiresAt: number; ticket: string }>();
  return (tokenId, secret, nowMs = Date.now()) => {
    const expiresAt = expiryAt(nowMs);
    const held = issued.get(tokenId);
    if (held?.expiresAt === expiresAt) return held.ticket;
    if (issued.size >= MAX_REMEMBERED_TICKETS) issued.clear();
    const ticket = issueStreamTicket(tokenId, secret, nowMs);
    issued.set(tokenId, { expiresAt, ticket });
    return ticket;
  };
}

/** The token and environment a ticket opens, or undefined when it is malformed, forged, expired, or its token is revoked. */
export async function verifyStreamTicket(
  db: Queryable,
  ticket: string,
  nowMs = Date.now(),
): Promise<{ tokenId: string; environment: string; projects: string[] } | undefined> {
  const match = TICKET.exec(ticket);
  if (!match) return undefined;
  const [, tokenId, expiry, presented] = match as unknown as [string, string, string, string];
  const expiresAt = Number(expiry);
  if (expiresAt * 1000 <= nowMs) return undefined;
  const token = await findActiveSdkTokenHash(db, tokenId);
  if (!token) return undefined;
  const expected = Buffer.from(mac(token.secretHash, tokenId, expiresAt));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { tokenId, environment: token.environment, projects: token.projects } : undefined;
}
