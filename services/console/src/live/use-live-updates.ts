import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client.js';
import { queryKeys } from '../api/queries.js';
import { isSegmentEvent, type ChangeEvent } from '../api/types.js';
import { addFlag, applyChange, applyFlagMetadata } from './apply-change.js';
import { openChangeStream, type StreamStatus } from './change-stream.js';

/** Recent events, re-applied after a full read of the flags (which may have started before them). */
const REPLAY_BUFFER = 2000;

/**
 * Keeps the query cache current from the admin change stream: every change
 * anywhere (another admin, a ramp step, an import, the API) lands in the
 * cache, and every page showing it re-renders. Returns the stream's status.
 */
export function useLiveUpdates(api: ApiClient, onUnauthorized: () => void): StreamStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>('connecting');

  useEffect(() => {
    const recent: ChangeEvent[] = [];
    const fetching = new Set<string>();

    const fetchNewFlag = (key: string) => {
      if (fetching.has(key)) return;
      fetching.add(key);
      api
        .flag(key)
        .then((flag) => addFlag(client, flag))
        .catch(() => undefined)
        .finally(() => fetching.delete(key));
    };

    const apply = (event: ChangeEvent) => {
      if (!applyChange(client, event) && !isSegmentEvent(event) && client.getQueryData(queryKeys.flags)) fetchNewFlag(event.flag);
    };

    // A full read of the flags may have started before some of the events it returns after: re-apply them.
    const unsubscribeCache = client.getQueryCache().subscribe((cacheEvent) => {
      if (cacheEvent.type !== 'updated' || cacheEvent.action.type !== 'success' || cacheEvent.action.manual) return;
      const [root] = cacheEvent.query.queryKey as [string];
      if (root === 'flags' || root === 'events') for (const event of recent) apply(event);
    });

    const stop = openChangeStream(api.authHeaders(), {
      onReady: (ready) => {
        // A fresh stream (not resumed) may have missed changes: read everything again.
        if (!ready.resumed) void client.invalidateQueries();
        // A resumed one replays every missed change event, but not the flags' own fields (no version): read the flags again.
        else void client.invalidateQueries({ queryKey: queryKeys.flags });
      },
      onFlagMetadata: (change) => applyFlagMetadata(client, change),
      onChange: (event) => {
        recent.push(event);
        if (recent.length > REPLAY_BUFFER) recent.shift();
        apply(event);
      },
      onStatus: (next) => {
        setStatus(next);
        if (next === 'unauthorized') onUnauthorized();
      },
    });
    return () => {
      stop();
      unsubscribeCache();
    };
  }, [api, client, onUnauthorized]);

  return status;
}
