import type { Me } from '../api/client.js';
import type { ChangeRequest, ChangeRequestState } from './change-request-api.js';

export const STATE_WORDS: Record<ChangeRequestState, string> = {
  open: 'waiting for review',
  approved: 'approved: ready to apply',
  scheduled: 'scheduled',
  applied: 'applied',
  rejected: 'rejected',
  cancelled: 'cancelled',
  conflicted: 'conflicted',
};

type Actor = ChangeRequest['author'];

export function actorWords(actor: Actor | null): string {
  if (!actor) return '';
  return actor.email ?? actor.name;
}

/** Whether `actor` is who is signed in (self-approval compares the same). */
export function isMe(me: Me, actor: Actor): boolean {
  return actor.id === me.id;
}

/** Open, not mine, and not approved by me yet: what "waiting for my review" lists. */
export function waitsForMe(me: Me, request: ChangeRequest): boolean {
  return request.state === 'open' && !isMe(me, request.author) && !request.approvals.some((approval) => isMe(me, approval.approver));
}

/**
 * What a change sets, in a few words (`checkout: enabled: true, rollout: 40`).
 * The API returns changes as stored: a flag's `set` is `{ patch }` (a PATCH
 * body) or `{ config }` (a PUT body).
 */
export function changeWords(change: unknown): string {
  const typed = change as { flag?: string; segment?: number; set?: Record<string, unknown>; archive?: boolean };
  const subject = typed.flag !== undefined ? typed.flag : `segment ${typed.segment}`;
  if (typed.archive) return `${subject}: archive`;
  const stored = typed.set ?? {};
  const set = (typed.flag !== undefined ? (stored.patch ?? stored.config ?? stored) : stored) as Record<string, unknown>;
  const parts = Object.entries(set).map(([name, value]) => `${name}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  return `${subject}: ${parts.join(', ')}`;
}
