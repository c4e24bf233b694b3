import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new signing secret in Standard Webhooks' form: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface SignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  [name: string]: string;
}

/**
 * The Standard Webhooks headers of one attempt. Each secret adds a `v1,<sig>`
 * (space-separated): during a rotation both the new and the previous secret
 * sign, and a receiver holding either verifies. The timestamp is the
 * attempt's, so a retry a day later still passes the receiver's 5-minute
 * tolerance; the id stays the event's.
 */
export function signatureHeaders(secrets: string[], messageId: string, timestamp: Date, body: string): SignatureHeaders {
  if (secrets.length === 0) throw new Error('a webhook needs a signing secret');
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body)).join(' '),
  };
}
