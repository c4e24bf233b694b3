/**
 * MurmurHash3 x86_32, written for the tests from Austin Appleby's reference
 * (smhasher, MurmurHash3.cpp: MurmurHash3_x86_32), independently of the npm
 * package FlagShip uses, so the bucketing vectors are checked against a second
 * implementation. Input is bytes; the caller decides the encoding.
 */
export function murmur3x86_32(bytes: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
  let h1 = seed >>> 0;
  const blocks = bytes.length - (bytes.length % 4);

  for (let i = 0; i < blocks; i += 4) {
    let k1 = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k1 = Math.imul(k1, c1);
    k1 = rotl(k1, 15);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
    h1 = rotl(h1, 13);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
  }

  let k1 = 0;
  const tail = bytes.length & 3;
  if (tail === 3) k1 ^= bytes[blocks + 2]! << 16;
  if (tail >= 2) k1 ^= bytes[blocks + 1]! << 8;
  if (tail >= 1) {
    k1 ^= bytes[blocks]!;
    k1 = Math.imul(k1, c1);
    k1 = rotl(k1, 15);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
  }

  // fmix32
  h1 ^= bytes.length;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 >>> 0;
}

/** DESIGN.md's bucket, computed with the reference hash over UTF-8 bytes. */
export function referenceBucket(flagKey: string, contextKey: string): number {
  return (murmur3x86_32(Buffer.from(`${flagKey}:${contextKey}`, 'utf8'), 0) % 100) + 1;
}
