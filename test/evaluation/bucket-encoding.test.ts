import t from 'tap';
import { bucket } from '../../packages/evaluation/index.js';
import { referenceBucket } from './murmur3-reference.js';

// bucket() writes UTF-8 itself into a reused buffer (no allocation per call);
// these keys cover what a hand-written encoder can get wrong, checked against
// the reference (Buffer's UTF-8 encoder and an independent MurmurHash3).
const KEYS = [
  '',
  'plain-ascii-user-42',
  '\u007f\u0080\u07ff\u0800\uffff',
  '\ud83d\ude80 rocket, then a pair at the very end \ud83d\ude80',
  'lone high \ud800 in the middle',
  'lone low \udc00 in the middle',
  'high at the end \ud83d',
  '\udc00\ud800 reversed pair',
  '\ud800\ud800\udc00 high, then a full pair',
  'é'.repeat(300),
  '田'.repeat(1000),
  'x'.repeat(5000),
];

t.test('bucket() hashes the same UTF-8 bytes as Buffer, lone surrogates and long keys included', async (t) => {
  for (const key of KEYS) {
    t.equal(bucket('new_ui', key), referenceBucket('new_ui', key), `key ${JSON.stringify(key.slice(0, 40))} (${key.length} units)`);
    t.equal(bucket(key, 'user-1'), referenceBucket(key, 'user-1'), `as flag key: ${JSON.stringify(key.slice(0, 40))}`);
  }
});

t.test('a long key does not change the buckets of the short keys after it', async (t) => {
  const before = bucket('checkout.v2', 'user-1');
  bucket('beta', 'y'.repeat(20_000));
  t.equal(bucket('checkout.v2', 'user-1'), before);
  t.equal(before, referenceBucket('checkout.v2', 'user-1'));
});
