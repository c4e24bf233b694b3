import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../../shared/db/pool.js';
import { findActiveSdkTokenHash, hashSecret } from '../../../shared/db/tokens.js';

/*
 * An OFREP event-stream URL is opened by EventSource, which cannot send an
 * Authorization header, so the URL itself must carry a credential. Putting the
 * sdk secret there would leak it into proxy and browser logs; a ticket instead
 * names the token and proves it was minted by someone holding the secret:
 *
 *   ticket = <token id> "." base64url(HMAC-SHA256(key = sha256(secret), "ofrep-event-stream:" + id))
 *
 * The server keeps sha256(secret) (api_token.secret_hash), so it can check a
 * ticket without storing anything new; a ticket opens this stream only (it cannot
 * evaluate flags), never expires on its own (providers reconnect to the same URL
 * for as long as they run) and dies with its token: revoke the token and the
 * ticket stops working.
 */

const PURPOSE = 'ofrep-event-stream:';
const TICKET = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

function mac(secretHash: string, tokenId: string): string {
  return createHmac('sha256', secretHash).update(PURPOSE + tokenId).digest('base64url');
}

/** The ticket for the sdk token whose secret the caller just presented. */
export function issueStreamTicket(tokenId: string, secret: string): string {
  return `${tokenId}.${mac(hashSecret(secret), tokenId)}`;
}

/** The environment a ticket opens, or undefined when it is malformed, forged, or its token is revoked. */
export async function verifyStreamTicket(db: Queryable, ticket: string): Promise<{ tokenId: string; environment: string } | undefined> {
  const match = TICKET.exec(ticket);
  if (!match) return undefined;
  const [, tokenId, presented] = match as unknown as [string, string, string];
  const token = await findActiveSdkTokenHash(db, tokenId);
  if (!token) return undefined;
  const expected = Buffer.from(mac(token.secretHash, tokenId));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { tokenId, environment: token.environment } : undefined;
}
