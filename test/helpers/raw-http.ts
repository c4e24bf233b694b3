import net from 'node:net';

export interface RawExchange {
  /** What the server sent before the connection ended (or before the wait ran out). */
  response: string;
  /** Whether the server ended the connection within the wait. */
  closed: boolean;
}

/**
 * Writes `head` to a raw socket on 127.0.0.1:`port` and, without sending the
 * rest, waits at most `waitMs` for the server to hang up (or for `until` to
 * accept what it answered). For tests of slow clients.
 */
export function sendAndWait(
  port: number,
  head: string,
  options: { waitMs: number; until?: (response: string) => boolean },
): Promise<RawExchange> {
  const until = options.until ?? (() => false);
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ response, closed: false });
    }, options.waitMs);
    socket.on('data', (chunk) => {
      response += chunk.toString();
      if (until(response)) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ response, closed: false });
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response, closed: true });
    });
    socket.on('error', () => undefined);
    socket.write(head);
  });
}
