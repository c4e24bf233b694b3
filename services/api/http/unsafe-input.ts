/** Deepest nesting of objects and arrays a request may send; no FlagShip input comes near it. */
export const MAX_INPUT_DEPTH = 32;

/** Where a request's input is unsafe to hand to zod, and why. */
export interface UnsafeInput {
  path: string[];
  message: string;
}

interface Pending { value: unknown; depth: number; parent: Pending | undefined; key: string }

/** The path to `node`, built only when something is reported (at module level: no closure made per call on the hot path). */
function pathOf(node: Pending | undefined): string[] {
  const path: string[] = [];
  for (let at = node; at?.parent; at = at.parent) path.push(at.key);
  return path.reverse();
}

/*
 * A UTF-16 surrogate standing alone (`"\ud800"`): with the `u` flag a pair
 * reads as one code point, so only a lone half matches. jsonb refuses one (a
 * 500) and text columns turn it into U+FFFD (a silent change).
 */
const LONE_SURROGATE = /\p{Surrogate}/u;
const LONE_SURROGATE_MESSAGE = 'must not contain a lone UTF-16 surrogate (\\ud800-\\udfff without its pair): it is not text';

/**
 * Input zod would pass on, drop silently, or choke on: U+0000, which
 * PostgreSQL text cannot store (a 500 later); a lone UTF-16 surrogate, which
 * jsonb refuses and text columns silently replace; a `__proto__` key, which zod's
 * records and objects skip (so `environments: { "__proto__": ... }` was a 201
 * ignoring it); a number JSON cannot hold (1e400 parses to Infinity); and
 * nesting deeper than MAX_INPUT_DEPTH.
 *
 * Iterative, with each path built only when it is reported: a recursive walk
 * copying its path at every level overflowed the stack at 4,000 levels (an
 * 8 KB body, a 500) and took quadratic time below that.
 */
export function findUnsafeInput(root: unknown): UnsafeInput | undefined {
  const stack: Pending[] = [{ value: root, depth: 0, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path: pathOf(node), message: 'must not contain the NUL character (\\u0000)' };
      if (LONE_SURROGATE.test(value)) return { path: pathOf(node), message: LONE_SURROGATE_MESSAGE };
      continue;
    }
    if (typeof value === 'number') {
      // JSON.parse makes 1e400 Infinity, which JSON.stringify writes back as null: stored or
      // compared (the answer cache keys by a context's JSON), it would silently become another value.
      if (!Number.isFinite(value)) return { path: pathOf(node), message: 'is a number too large to represent' };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (node.depth >= MAX_INPUT_DEPTH) {
      return { path: pathOf(node), message: `nests objects and arrays deeper than the limit of ${MAX_INPUT_DEPTH} levels` };
    }
    const entries = Object.entries(value);
    // Pushed in reverse so the first offending field in document order is the one reported.
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const [key, child] = entries[index]!;
      const childNode: Pending = { value: child, depth: node.depth + 1, parent: node, key };
      if (key.includes('\u0000')) return { path: pathOf(childNode), message: 'a name must not contain the NUL character (\\u0000)' };
      if (LONE_SURROGATE.test(key)) return { path: pathOf(childNode), message: `a name ${LONE_SURROGATE_MESSAGE}` };
      if (key === '__proto__') return { path: pathOf(childNode), message: 'no field may be named __proto__' };
      stack.push(childNode);
    }
  }
  return undefined;
}
