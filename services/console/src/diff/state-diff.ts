/** One changed leaf of a state: where, and its value before and after (undefined: absent). */
export interface DiffLine {
  path: string;
  before?: string;
  after?: string;
}

/** Bookkeeping every change moves; the event's header already says them. */
const NOISE = new Set(['version', 'updatedAt', 'updatedBy', 'id']);

function flatten(value: unknown, prefix: string, into: Map<string, string>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
    if (entries.length === 0) into.set(prefix, Array.isArray(value) ? '[]' : '{}');
    for (const [key, child] of entries) flatten(child, prefix ? `${prefix}.${key}` : key, into);
    return;
  }
  into.set(prefix, JSON.stringify(value));
}

/** The leaves that differ between two states, in a stable order: a readable before/after diff. */
export function diffStates(before: unknown, after: unknown): DiffLine[] {
  const left = new Map<string, string>();
  const right = new Map<string, string>();
  if (before !== null && before !== undefined) flatten(before, '', left);
  if (after !== null && after !== undefined) flatten(after, '', right);
  const paths = [...new Set([...left.keys(), ...right.keys()])].filter((path) => !NOISE.has(path)).sort();
  return paths
    .filter((path) => left.get(path) !== right.get(path))
    .map((path) => ({ path, before: left.get(path), after: right.get(path) }));
}
