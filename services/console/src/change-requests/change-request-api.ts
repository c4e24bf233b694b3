// Change requests (docs/change-requests.md) as the console reads and writes them,
// typed by the API's OpenAPI document (api/openapi.d.ts); kept apart from
// api/client.ts so the change-request pages live in their own files.
import { answer, type ApiClient } from '../api/client.js';
import type { components } from '../api/openapi.js';

type Schemas = components['schemas'];
export type ChangeRequest = Schemas['ChangeRequest'];
export type ChangeRequestState = ChangeRequest['state'];
export type Comment = Schemas['ChangeRequestComment'];
export type ChangeRequestDetail = Schemas['ChangeRequestDetail'];

/** What the console proposes: flags' state changes (PATCH bodies). */
export interface Proposal {
  environment: string;
  title: string;
  description?: string;
  changes: Array<{ flag: string; set: Schemas['StateChange'] }>;
  scheduledAt?: string;
}

export type ReviewAction = 'approve' | 'reject' | 'apply' | 'cancel';

export function changeRequestApi(api: ApiClient) {
  const { http } = api;
  return {
    list: async (query: { environment?: string; state?: ChangeRequestState; flag?: string } = {}) =>
      (await answer(http.GET('/v1/change-requests', { params: { query } }))).changeRequests,
    read: (id: string) => answer(http.GET('/v1/change-requests/{id}', { params: { path: { id } } })),
    open: (proposal: Proposal) => answer(http.POST('/v1/change-requests', { body: { ...proposal, description: proposal.description ?? '' } })),
    act: (id: string, action: ReviewAction, reason?: string) =>
      answer(http.POST(`/v1/change-requests/{id}/${action}`, { params: { path: { id } }, body: reason ? { reason } : {} })),
    comment: (id: string, body: string) => answer(http.POST('/v1/change-requests/{id}/comments', { params: { path: { id } }, body: { body } })),
    /**
     * What is still to happen to a flag (the flag page shows it): its schedules
     * and timed requests, soonest first, then its other pending requests.
     */
    pendingForFlag: async (flag: string) => {
      const [timed, requests] = await Promise.all([
        answer(http.GET('/v1/schedules', { params: { query: { flag } } })),
        answer(http.GET('/v1/change-requests', { params: { query: { flag } } })),
      ]);
      const pending = (request: ChangeRequest) => request.state === 'open' || request.state === 'approved' || request.state === 'scheduled';
      const seen = new Set(timed.schedules.map((request) => request.id));
      return [...timed.schedules.filter(pending), ...requests.changeRequests.filter((request) => pending(request) && !seen.has(request.id))];
    },
  };
}
