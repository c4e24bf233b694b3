import murmurhash from 'murmurhash';

/**
 * The UTF-8 bytes of the key being hashed, reused by every call and grown when
 * a key needs more. TextEncoder.encode allocated a new array per call, which
 * took most of isEnabled's time (bench/results.md, local evaluation).
 */
let scratch = new Uint8Array(256);

const COLON = 0x3a;

/**
 * Writes `text` as UTF-8 into `scratch` from `start` and returns where it
 * ended. The same bytes as TextEncoder: a lone surrogate becomes U+FFFD.
 */
function writeUtf8(text: string, start: number): number {
  const bytes = scratch;
  let end = start;
  for (let index = 0; index < text.length; index += 1) {
    let code = text.charCodeAt(index);
    if (code < 0x80) {
      bytes[end++] = code;
      continue;
    }
    if (code < 0x800) {
      bytes[end++] = 0xc0 | (code >> 6);
      bytes[end++] = 0x80 | (code & 0x3f);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(index + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        index += 1;
        bytes[end++] = 0xf0 | (code >> 18);
        bytes[end++] = 0x80 | ((code >> 12) & 0x3f);
        bytes[end++] = 0x80 | ((code >> 6) & 0x3f);
        bytes[end++] = 0x80 | (code & 0x3f);
        continue;
      }
      code = 0xfffd;
    }
    bytes[end++] = 0xe0 | (code >> 12);
    bytes[end++] = 0x80 | ((code >> 6) & 0x3f);
    bytes[end++] = 0x80 | (code & 0x3f);
  }
  return end;
}

/** The seed Unleash hashes variant choices with (rollout buckets use 0). */
export const VARIANT_SEED = 86028157;

/**
 * Unleash's normalizedHash: `(murmurhash3_x86_32(utf8(groupId + ":" + id), seed) % normalizer) + 1`,
 * a number from 1 to `normalizer`. Rollouts use seed 0 over 100, variants VARIANT_SEED over
 * their total weight (1000). The key is hashed as UTF-8 bytes, like Unleash's Go, Java and
 * Rust engines; Unleash's Node client (murmurhash3js) truncates each UTF-16 code unit to a
 * byte instead, so it agrees with this only for ASCII keys.
 */
export function normalizedHash(groupId: string, id: string, normalizer: number, seed = 0): number {
  // A UTF-16 code unit takes at most 3 UTF-8 bytes (a surrogate pair, 4 for 2 units).
  const most = (groupId.length + 1 + id.length) * 3;
  if (scratch.length < most) scratch = new Uint8Array(most);
  let end = writeUtf8(groupId, 0);
  scratch[end++] = COLON;
  end = writeUtf8(id, end);
  return (murmurhash.v3(scratch.subarray(0, end), seed) % normalizer) + 1;
}

/**
 * The user's bucket for a flag, 1–100: `(murmurhash3_x86_32(utf8(flagKey + ":" + contextKey), 0) % 100) + 1`.
 * Unleash's gradual rollout normalises the same way (flag key as group id), so users keep
 * their bucket when they migrate.
 */
export function bucket(flagKey: string, contextKey: string): number {
  return normalizedHash(flagKey, contextKey, 100, 0);
}
