import { readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- bench-results:start (written by npm run bench) -->';
const END = '<!-- bench-results:end -->';

/**
 * Puts a complete run's summary between the README's markers, so the
 * figures the README shows are always those of bench/results.md.
 * Throws when the markers are missing: the run would otherwise publish
 * results.md and leave the README showing another run.
 */
export function writeReadmeResults(readmePath: string, summary: string): void {
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`${readmePath} has no ${START} … ${END} block for the bench results`);
  writeFileSync(readmePath, `${readme.slice(0, start + START.length)}\n${summary}\n${readme.slice(end)}`);
}
