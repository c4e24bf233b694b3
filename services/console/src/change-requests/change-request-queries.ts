import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/api-context.js';
import { changeRequestApi, type Proposal, type ReviewAction } from './change-request-api.js';

/**
 * A request's approvals, comments and state change without a change event
 * (only applying one moves a version), so the pages that show them read them
 * again this often while open: another reviewer's approval shows within it.
 */
export const REVIEW_REFRESH_MS = 2000;

export const changeRequestKeys = {
  all: ['change-requests'] as const,
  list: ['change-requests', 'list'] as const,
  one: (id: string) => ['change-requests', 'one', id] as const,
  schedules: (flag: string) => ['change-requests', 'schedules', flag] as const,
};

export function useChangeRequests() {
  const api = useApi();
  return useQuery({ queryKey: changeRequestKeys.list, queryFn: () => changeRequestApi(api).list(), refetchInterval: REVIEW_REFRESH_MS });
}

export function useChangeRequest(id: string) {
  const api = useApi();
  return useQuery({ queryKey: changeRequestKeys.one(id), queryFn: () => changeRequestApi(api).read(id), refetchInterval: REVIEW_REFRESH_MS });
}

export function useFlagSchedules(flag: string) {
  const api = useApi();
  return useQuery({ queryKey: changeRequestKeys.schedules(flag), queryFn: () => changeRequestApi(api).pendingForFlag(flag), refetchInterval: REVIEW_REFRESH_MS });
}

/** Every change-request mutation refreshes every change-request read (and the flags, which an apply moved). */
function useRefresh() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: changeRequestKeys.all }), client.invalidateQueries({ queryKey: ['flags'] })]);
}

export function useProposeChange() {
  const api = useApi();
  const refresh = useRefresh();
  return useMutation({ mutationFn: (proposal: Proposal) => changeRequestApi(api).open(proposal), onSuccess: () => refresh() });
}

export function useReviewAction(id: string) {
  const api = useApi();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ action, reason }: { action: ReviewAction; reason?: string }) => changeRequestApi(api).act(id, action, reason),
    onSettled: () => refresh(),
  });
}

export function useComment(id: string) {
  const api = useApi();
  const refresh = useRefresh();
  return useMutation({ mutationFn: (body: string) => changeRequestApi(api).comment(id, body), onSuccess: () => refresh() });
}
