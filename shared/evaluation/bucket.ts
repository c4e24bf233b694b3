import murmurhash from 'murmurhash';

const utf8 = new TextEncoder();

/**
 * The user's bucket for a flag, 1–100: `(murmurhash3_x86_32(utf8(flagKey + ":" + contextKey), 0) % 100) + 1`.
 * Unleash's gradual rollout normalises the same way (flag key as group id), so users keep
 * their bucket when they migrate. The key is hashed as UTF-8 bytes, like Unleash's Go, Java
 * and Rust engines; Unleash's Node client (murmurhash3js) truncates each UTF-16 code unit to
 * a byte instead, so it agrees with this only for ASCII keys.
 */
export function bucket(flagKey: string, contextKey: string): number {
  return (murmurhash.v3(utf8.encode(`${flagKey}:${contextKey}`), 0) % 100) + 1;
}
