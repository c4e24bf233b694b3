import t from 'tap';
import murmurHash3 from 'murmurhash3js';
import { bucket, definitionsOf, isEnabled } from '../../packages/evaluation/index.js';
import { murmur3x86_32, referenceBucket } from './murmur3-reference.js';

t.test('the reference MurmurHash3 x86_32 reproduces the published vectors', async (t) => {
  // Vectors from the MurmurHash3 reference implementation (smhasher) as commonly published.
  const vectors: Array<[string, number, number]> = [
    ['', 0, 0x00000000],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\0\0\0\0', 0, 0x2362f9de],
    ['a', 0x9747b28c, 0x7fa09ea6],
    ['aa', 0x9747b28c, 0x5d211726],
    ['aaa', 0x9747b28c, 0x283e0130],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['abc', 0x9747b28c, 0xc84a62dd],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ];
  for (const [input, seed, expected] of vectors) {
    t.equal(murmur3x86_32(Buffer.from(input, 'utf8'), seed), expected, `murmur3(${JSON.stringify(input)}, 0x${seed.toString(16)})`);
  }
});

/** (flag key, context key) → bucket, computed with the reference implementation over UTF-8 bytes. */
const VECTORS: Array<[string, string, number]> = [
  ['new_ui', '42', 29],
  ['new_ui', 'user-1', 48],
  ['new_ui', 'user-2', 2],
  ['new_ui', 'alice@example.com', 36],
  ['checkout.v2', '42', 52],
  ['checkout.v2', 'user-1', 40],
  ['dark-mode', 'b2c1f4e0-5a7d-4c1e-9f7a-0c1d2e3f4a5b', 27],
  ['dark-mode', '0', 22],
  ['a', 'b', 32],
  ['search_ranking', '123456789', 42],
  ['search_ranking', '', 41],
  ['beta', 'x'.repeat(37), 45],
  ['beta', 'user:with:colons', 27],
  // Non-ASCII: hashed as UTF-8 bytes (DESIGN.md), like Unleash's Go, Java and Rust engines.
  ['new_ui', 'Zoë', 87],
  ['new_ui', 'José', 81],
  ['new_ui', '田中太郎', 1],
  ['dark-mode', 'Ölfaß-Müller', 48],
  ['checkout.v2', '🚀-launch', 4],
  ['beta', 'Привет', 72],
  ['search_ranking', 'نجمة', 5],
  ['a', 'ß', 11],
  ['new_ui', 'e\u0301', 43],
];

t.test('bucket() matches the vectors, and so does the independent reference', async (t) => {
  t.ok(VECTORS.length >= 20);
  for (const [flagKey, contextKey, expected] of VECTORS) {
    t.equal(bucket(flagKey, contextKey), expected, `bucket(${flagKey}, ${JSON.stringify(contextKey)})`);
    t.equal(referenceBucket(flagKey, contextKey), expected, `reference(${flagKey}, ${JSON.stringify(contextKey)})`);
  }
});

/** Unleash's Node client: normalizedValue(id, groupId) = murmurhash3js.x86.hash32(`${groupId}:${id}`, 0) % 100 + 1. */
const unleashNormalizedValue = (id: string, groupId: string) => (murmurHash3.x86.hash32(`${groupId}:${id}`, 0) % 100) + 1;

t.test("ASCII keys land in the same bucket as Unleash's gradual rollout (flag key as group id)", async (t) => {
  let mismatches = 0;
  for (let i = 0; i < 5000; i += 1) {
    const flagKey = `flag_${i % 17}`;
    const userId = `user-${i * 7919}`;
    if (bucket(flagKey, userId) !== unleashNormalizedValue(userId, flagKey)) mismatches += 1;
  }
  t.equal(mismatches, 0, 'no ASCII key moves bucket when a team migrates from Unleash');
});

t.test('non-ASCII keys are hashed as UTF-8 bytes', async (t) => {
  for (const [flagKey, contextKey, expected] of VECTORS.filter(([, key]) => /[^\x00-\x7f]/.test(key))) {
    // murmurhash3js hashes each UTF-16 code unit's low byte; given the UTF-8 bytes as a
    // one-byte-per-character string it computes the UTF-8 hash: a third implementation agreeing.
    const utf8AsBinary = Buffer.from(`${flagKey}:${contextKey}`, 'utf8').toString('latin1');
    t.equal((murmurHash3.x86.hash32(utf8AsBinary, 0) % 100) + 1, expected, `murmurhash3js over UTF-8 bytes of ${contextKey}`);
  }
  // Fed the JavaScript string directly, murmurhash3js (Unleash's Node client) drops the high
  // bytes, so it would put some non-ASCII users elsewhere; FlagShip follows DESIGN.md's utf8.
  const differing = VECTORS.filter(([flagKey, contextKey, expected]) => unleashNormalizedValue(contextKey, flagKey) !== expected);
  t.ok(differing.length > 0, 'UTF-16 low-byte hashing differs from UTF-8 for some non-ASCII keys');
  t.ok(differing.every(([, contextKey]) => /[^\x00-\x7f]/.test(contextKey)), 'and only for non-ASCII keys');
});

t.test('over 100,000 keys a 25% rollout is on for 25% ± 1%, and buckets cover 1..100', async (t) => {
  const state = { key: 'new_ui', enabled: true, rollout: 25 };
  const definitions = definitionsOf([state]);
  const counts = new Array<number>(101).fill(0);
  let on = 0;
  for (let i = 0; i < 100_000; i += 1) {
    const key = `user-${i}`;
    counts[bucket(state.key, key)]! += 1;
    if (isEnabled(definitions, state.key, { key })) on += 1;
  }
  const share = on / 100_000;
  t.ok(share >= 0.24 && share <= 0.26, `on for ${(share * 100).toFixed(2)}%`);
  t.equal(counts[0], 0, 'no bucket 0');
  t.ok(counts.slice(1).every((count) => count > 800 && count < 1200), 'every bucket 1..100 holds about 1,000 keys');
});
