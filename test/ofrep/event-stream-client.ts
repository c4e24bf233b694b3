import { EventSource } from 'eventsource';

export interface StreamMessage {
  id: string;
  data: { type: string; etag?: string };
}

/** A WHATWG EventSource (as a browser OFREP provider uses) that queues the messages it receives. */
export interface TestEventStream {
  /** The next message not yet taken (waits for it). */
  next(): Promise<StreamMessage>;
  /** Every message received so far. */
  received: StreamMessage[];
  /** Why the stream gave up each time it did (a non-200 answer ends an EventSource for good). */
  failures: string[];
  close(): void;
}

export interface EventStreamOptions {
  /**
   * Open the stream again when the EventSource gives up, as OpenFeature's OFREP
   * web provider does (it fetches the evaluations again, then reconnects).
   * Without it, a stream that gave up stays closed.
   */
  reopenAfterMs?: number;
}

export function openEventStream(url: string, headers: Record<string, string> = {}, options: EventStreamOptions = {}): TestEventStream {
  const received: StreamMessage[] = [];
  const failures: string[] = [];
  const waiting: Array<(message: StreamMessage) => void> = [];
  let taken = 0;
  let closed = false;
  let source: EventSource;
  let reopening: NodeJS.Timeout | undefined;
  const open = () => {
    source = new EventSource(url, {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...headers } }),
    });
    source.onmessage = (event) => {
      const message = { id: event.lastEventId, data: JSON.parse(event.data) };
      received.push(message);
      const resolve = waiting.shift();
      if (resolve) {
        taken += 1;
        resolve(message);
      }
    };
    source.onerror = (event) => {
      if (source.readyState !== EventSource.CLOSED) return;
      failures.push(`${event.code ?? ''} ${event.message ?? ''}`.trim());
      if (options.reopenAfterMs !== undefined && !closed) reopening = setTimeout(open, options.reopenAfterMs);
    };
  };
  open();
  return {
    received,
    failures,
    next: () =>
      new Promise((resolve) => {
        if (taken < received.length) resolve(received[taken++]!);
        else waiting.push(resolve);
      }),
    close: () => {
      closed = true;
      clearTimeout(reopening);
      source.close();
    },
  };
}

/** Reads an SSE response body with fetch, for status and header checks and for Last-Event-ID by hand. */
export async function readStreamEvents(response: Response, count: number): Promise<string[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const events: string[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!block.startsWith(':')) events.push(block);
    }
  }
  await reader.cancel();
  return events;
}
