import t from 'tap';
import { createLogger } from '../../shared/logger.js';
import { createRedis, subscribeRedis } from '../../shared/redis/connection.js';
import { REDIS_URL, uniqueRedisPrefix } from '../helpers/redis.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';

/*
 * A subscriber closed just as it came back from a Redis partition (a process
 * shutting down then, or a second drop mid-handshake) must not leave a
 * rejection nobody handles: Node ends the process on one. ioredis's own
 * resubscription (autoResubscribe) sent SUBSCRIBE with no handler, and a
 * disconnect while it was in flight rejected it with "Connection is closed."
 * (every cycle below, before subscribeRedis subscribed itself).
 */

const CYCLES = 10;
const BOUND_MS = 10_000;
const logger = createLogger('silent', 'redis-subscriber-reconnect');
const proxy = await new TcpProxy('127.0.0.1', Number(new URL(REDIS_URL).port || 6379)).start();
t.teardown(() => proxy.close());
const proxied = viaProxy(REDIS_URL, proxy.port);
const channel = `${uniqueRedisPrefix('subscriber')}:channel`;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
t.teardown(() => void process.off('unhandledRejection', onUnhandled));

function within<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${BOUND_MS} ms`)), BOUND_MS);
    }),
  ]);
}

const ready = (connection: { status: string; once(event: 'ready', listener: () => void): unknown }) =>
  connection.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => connection.once('ready', resolve));

const publisher = createRedis(REDIS_URL, logger, { role: 'publisher' });
t.teardown(() => publisher.disconnect());

/**
 * Publishes until `received` has the message: SUBSCRIBE is sent on 'ready' and
 * answers a moment later. A publish that times out on a loaded machine is
 * tried again (the caller's `within` bounds the whole wait): what is tested is
 * the subscriber, not the publisher's connection.
 */
async function heardBy(received: string[], message: string): Promise<void> {
  while (!received.includes(message)) {
    await publisher.publish(channel, message).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

t.test('a subscriber comes back subscribed after a partition', async (t) => {
  const base = createRedis(proxied, logger, { role: 'test' });
  t.teardown(() => base.disconnect());
  const received: string[] = [];
  const subscriber = subscribeRedis(base, logger, 'test subscriber', channel, (message) => received.push(message));
  t.teardown(() => subscriber.disconnect());
  const heard = (message: string) => heardBy(received, message);
  await within('the first message', heard('before'));
  proxy.cut();
  await new Promise((resolve) => setTimeout(resolve, 100));
  proxy.restore();
  await within('a message after the partition', heard('after'));
  t.pass('subscribed again after the reconnect');
});

t.test('closed right as it reconnects after a partition: no unhandled rejection', async (t) => {
  const base = createRedis(proxied, logger, { role: 'test' });
  t.teardown(() => base.disconnect());
  for (let cycle = 0; cycle < CYCLES; cycle += 1) {
    const received: string[] = [];
    const subscriber = subscribeRedis(base, logger, 'test subscriber', channel, (message) => received.push(message));
    await within('the first ready', ready(subscriber));
    // Subscribed for sure (a message heard), so the reconnect has a subscription to restore.
    await within('the first message', heardBy(received, `cycle ${cycle}`));
    proxy.cut();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reconnected = new Promise<void>((resolve) =>
      // At 'ready' the resubscription is in flight: closing now is the shutdown that raced it.
      subscriber.once('ready', () => {
        subscriber.disconnect();
        resolve();
      }),
    );
    proxy.restore();
    await within('the reconnect', reconnected);
  }
  // Rejections surface on a later tick.
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.same(
    unhandled.map((reason) => (reason instanceof Error ? reason.message : String(reason))),
    [],
    `no unhandled rejection in ${CYCLES} cycles`,
  );
});
