import type { ActorRef } from '../../schemas/change-requests.js';

/** An applied request's actor: the request (its title as name) and who applied it. */
export type AppliedActor = ActorRef & { appliedBy?: ActorRef };

/**
 * How an applied change request or schedule appears as the actor of its
 * changes (change_event.actor; updatedBy derives `change-request:<title>`):
 * `{ type: "change-request", id, name: <title>, appliedBy }`, or for a
 * schedule `{ type: "schedule", id, name: <title> }`. Every event of it also
 * names the request (change_event.change_request_id). The one place that
 * builds it.
 */
export function appliedActor(request: { id: string; kind: 'change-request' | 'schedule'; title: string }, appliedBy: ActorRef): AppliedActor {
  if (request.kind === 'schedule') return { type: 'schedule', id: request.id, name: request.title };
  return { type: 'change-request', id: request.id, name: request.title, appliedBy };
}

/** The worker, as who applied a request at its scheduled time. */
export const SCHEDULER_ACTOR: ActorRef = { type: 'system', id: 'scheduler', name: 'scheduler' };
