import t from 'tap';
import { QUEUE_NAMES, bullPrefix, databaseRedisPrefix, redisKeys } from '../../shared/redis/keys.js';

/*
 * Every Redis name lives in shared/redis/keys.ts. Two installations, or two
 * databases of one installation, on one Redis must never share a key or a
 * channel: channels especially, since pub/sub ignores the /N database index.
 */

const ENVIRONMENTS = ['prod', 'dev', 'db-x', 'snapshot'];

/** Every name one database-scoped prefix uses, with what it is. */
function namesUnder(prefix: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const [what, name] of Object.entries(redisKeys)) {
    for (const environment of ENVIRONMENTS) names.set(name(prefix, environment), what);
  }
  return names;
}

const PREFIXES = [
  databaseRedisPrefix('flagship', '11111111-1111-1111-1111-111111111111'),
  databaseRedisPrefix('flagship', '22222222-2222-2222-2222-222222222222'),
  databaseRedisPrefix('other', '11111111-1111-1111-1111-111111111111'),
  databaseRedisPrefix('flagship:eu', '11111111-1111-1111-1111-111111111111'),
];

t.test('two database-scoped prefixes never share a key or a channel', async (t) => {
  for (const [i, a] of PREFIXES.entries()) {
    for (const b of PREFIXES.slice(i + 1)) {
      const shared = [...namesUnder(a).keys()].filter((name) => namesUnder(b).has(name));
      t.same(shared, [], `${a} and ${b}`);
    }
  }
});

t.test('every key and channel is under its prefix, and no two kinds of name collide', async (t) => {
  const prefix = PREFIXES[0]!;
  const names = namesUnder(prefix);
  for (const name of names.keys()) t.ok(name.startsWith(`${prefix}:`), `${name} is under the prefix`);
  const channels = Object.keys(redisKeys)
    .filter((what) => what.endsWith('Channel'))
    .map((what) => redisKeys[what as keyof typeof redisKeys](prefix, 'prod'));
  t.ok(channels.length >= 3, 'the revocation, snapshot and relay-report channels');
  t.equal(new Set(channels).size, channels.length, 'each channel has a name of its own');
  for (const channel of channels) t.equal(names.get(channel)?.endsWith('Channel'), true, `${channel} is no key's name`);
});

t.test('BullMQ keys sit under the installation prefix, apart from the cache, and each queue has its own name', async (t) => {
  t.equal(bullPrefix('flagship'), 'flagship:bull');
  t.not(bullPrefix('a'), bullPrefix('b'));
  const queues = Object.values(QUEUE_NAMES);
  t.equal(new Set(queues).size, queues.length);
  for (const prefix of PREFIXES) {
    for (const name of namesUnder(prefix).keys()) t.notOk(name.startsWith(`${bullPrefix('flagship')}:`), `${name} is not BullMQ's`);
  }
});
