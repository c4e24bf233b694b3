import type { Flag, Segment, User } from '../api/types.js';

/** How many of each kind the palette lists (the rest: type more). */
export const MATCHES_PER_GROUP = 8;

/** The words typed, lower-cased; an item matches when every word is in one of its fields. */
function wordsOf(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * Items whose fields hold every typed word, best first: a first field (the key,
 * the name) starting with the query, then containing it, then the rest; at most
 * `limit`, and how many matched in all.
 */
function rank<T>(items: readonly T[], query: string, fields: (item: T) => Array<string | null | undefined>, limit: number): { items: T[]; total: number } {
  const words = wordsOf(query);
  const whole = words.join(' ');
  const scored: Array<{ item: T; score: number; index: number }> = [];
  items.forEach((item, index) => {
    const texts = fields(item).map((text) => (text ?? '').toLowerCase());
    if (!words.every((word) => texts.some((text) => text.includes(word)))) return;
    const first = texts[0] ?? '';
    const score = whole === '' ? 0 : first === whole ? 0 : first.startsWith(whole) ? 1 : first.includes(whole) ? 2 : 3;
    scored.push({ item, score, index });
  });
  scored.sort((a, b) => a.score - b.score || a.index - b.index);
  return { items: scored.slice(0, limit).map((entry) => entry.item), total: scored.length };
}

/** Flags by key, description, tags and owner (archived ones after the live ones). */
export function matchFlags(flags: readonly Flag[], query: string, limit = MATCHES_PER_GROUP) {
  const ordered = [...flags.filter((flag) => flag.archivedAt === null), ...flags.filter((flag) => flag.archivedAt !== null)];
  return rank(ordered, query, (flag) => [flag.key, flag.description, ...flag.tags, flag.owner], limit);
}

export function matchSegments(segments: readonly Segment[], query: string, limit = MATCHES_PER_GROUP) {
  return rank(segments.filter((segment) => !segment.deleted), query, (segment) => [segment.name, segment.description], limit);
}

export function matchPeople(people: readonly User[], query: string, limit = MATCHES_PER_GROUP) {
  return rank(people, query, (person) => [person.name, person.email], limit);
}
