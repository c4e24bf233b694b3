import type { ChangeEvent, FlagMetadataChange, StreamReady } from '../api/types.js';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

export interface ChangeStreamHandlers {
  onReady(ready: StreamReady): void;
  onChange(event: ChangeEvent): void;
  /** A flag's description, type, tags or owner changed (no version: it is not replayed after a reconnect). */
  onFlagMetadata(change: FlagMetadataChange): void;
  onStatus(status: StreamStatus): void;
}

interface SseFrame {
  id?: string;
  event: string;
  data: string;
}

/** Splits a text/event-stream into frames (the subset the API sends: id, event, data, comments). */
function parseFrame(block: string): SseFrame | undefined {
  const frame: SseFrame = { event: 'message', data: '' };
  let hasData = false;
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') frame.id = value;
    else if (field === 'event') frame.event = value;
    else if (field === 'data') {
      frame.data = hasData ? `${frame.data}\n${value}` : value;
      hasData = true;
    }
  }
  return hasData ? frame : undefined;
}

const RETRY_MS = [250, 500, 1000, 2000, 5000];

/**
 * Listens to GET /v1/stream with fetch (EventSource cannot send the
 * Authorization header), reconnecting with the cursor of the last event it
 * received, so nothing is missed and nothing arrives twice. Returns the stop.
 */
export function openChangeStream(authHeaders: Record<string, string>, handlers: ChangeStreamHandlers): () => void {
  let cursor: string | undefined;
  let stopped = false;
  let controller: AbortController | undefined;
  let failures = 0;

  const connect = async () => {
    controller = new AbortController();
    const url = cursor === undefined ? '/v1/stream' : `/v1/stream?after=${encodeURIComponent(cursor)}`;
    const response = await fetch(url, { headers: { ...authHeaders, accept: 'text/event-stream' }, signal: controller.signal, cache: 'no-store', credentials: 'same-origin' });
    if (response.status === 401 || response.status === 403) {
      handlers.onStatus('unauthorized');
      stopped = true;
      return;
    }
    if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const frame = parseFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (!frame) continue;
        if (frame.event === 'ready') {
          failures = 0;
          handlers.onStatus('live');
          handlers.onReady(JSON.parse(frame.data) as StreamReady);
        } else if (frame.event === 'change') {
          handlers.onChange(JSON.parse(frame.data) as ChangeEvent);
        } else if (frame.event === 'flag') {
          handlers.onFlagMetadata(JSON.parse(frame.data) as FlagMetadataChange);
        } else if (frame.event === 'error') {
          handlers.onStatus('unauthorized');
          stopped = true;
        }
        if (frame.id !== undefined) cursor = frame.id;
      }
    }
  };

  const run = async () => {
    handlers.onStatus('connecting');
    while (!stopped) {
      try {
        await connect();
      } catch {
        // Reconnect below, from the last cursor.
      }
      if (stopped) return;
      handlers.onStatus('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]));
      failures += 1;
    }
  };
  void run();

  return () => {
    stopped = true;
    controller?.abort();
  };
}
