import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { byCodeUnit } from './model.js';

/** A flag key found in code: where, and through which call. */
export interface CodeReference {
  file: string;
  line: number;
  column: number;
  key: string;
  call: string;
}

/** Source files by extension: JavaScript and TypeScript, and the languages with OpenFeature and Unleash SDKs. */
const SOURCE_EXTENSIONS = new Set([
  '.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts', '.vue', '.svelte',
  '.py', '.go', '.java', '.kt', '.kts', '.scala', '.rb', '.cs', '.php', '.swift', '.rs', '.dart', '.ex', '.exs',
]);
/** Never scanned, .gitignore or not. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/*
 * The calls that take a flag key as their first argument (a string literal):
 * - @flagship/sdk: isEnabled, getVariant, getBooleanValue, getStringValue, getNumberValue;
 * - OpenFeature (every SDK): get{Boolean,String,Number,Integer,Float,Double,Object}{Value,Details}[Async],
 *   Python get_boolean_value…, Go BooleanValue(ctx, "key", …) (a leading context argument is skipped);
 * - Unleash: isEnabled / is_enabled / is_enabled? / IsEnabled, getVariant / get_variant / GetVariant,
 *   and React's useFlag, useVariant, useFlagStatus.
 * A key built at run time (a variable, a template with ${…}) cannot be found, and is not guessed at.
 */
const CALLS = [
  'isEnabled', 'is_enabled\\?', 'is_enabled', 'IsEnabled',
  'getVariant', 'get_variant', 'GetVariant',
  'useFlag', 'useVariant', 'useFlagStatus', 'useBooleanFlagValue', 'useStringFlagValue', 'useNumberFlagValue', 'useObjectFlagValue',
  '(?:get|Get)?(?:Boolean|String|Number|Integer|Int|Float|Double|Object|Struct)(?:Value|Details)(?:Async)?',
  'get_(?:boolean|string|integer|float|number|object)_(?:value|details)',
];
const KEY_CHARACTERS = "[^'\"`\\s/\\\\$]{1,100}";
const REFERENCE = new RegExp(
  `(?<![\\w$])(${CALLS.join('|')})\\s*\\(\\s*(?:[A-Za-z_][\\w.]*(?:\\(\\))?\\s*,\\s*)?(['"\`])(${KEY_CHARACTERS})\\2`,
  'g',
);

/** Every flag key referenced in source files under `root`, skipping what .gitignore files (at any depth) ignore. */
export async function findCodeReferences(root: string): Promise<{ references: CodeReference[]; filesScanned: number }> {
  const references: CodeReference[] = [];
  let filesScanned = 0;
  const visit = async (directory: string, rules: Array<{ base: string; ignorer: Ignore }>) => {
    const own = await readFile(path.join(directory, '.gitignore'), 'utf8').catch(() => undefined);
    const scope = own === undefined ? rules : [...rules, { base: directory, ignorer: ignore().add(own) }];
    const entries = (await readdir(directory, { withFileTypes: true })).sort((a, b) => byCodeUnit(a.name, b.name));
    for (const entry of entries) {
      if (ALWAYS_SKIPPED.has(entry.name)) continue;
      const full = path.join(directory, entry.name);
      const isDirectory = entry.isDirectory();
      if (isIgnored(scope, full, isDirectory)) continue;
      if (isDirectory) await visit(full, scope);
      else if (entry.isFile() && SOURCE_EXTENSIONS.has(path.extname(entry.name))) {
        if ((await stat(full)).size > MAX_FILE_BYTES) continue;
        filesScanned += 1;
        references.push(...referencesIn(path.relative(root, full).split(path.sep).join('/'), await readFile(full, 'utf8')));
      }
    }
  };
  await visit(path.resolve(root), []);
  return { references, filesScanned };
}

/** Git's rule: the deepest .gitignore that says something about the path decides (a `!pattern` re-includes). */
function isIgnored(scope: Array<{ base: string; ignorer: Ignore }>, full: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const { base, ignorer } of scope) {
    const relative = path.relative(base, full).split(path.sep).join('/');
    const verdict = ignorer.test(isDirectory ? `${relative}/` : relative);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

/** The references in one file's text, with 1-based line and column. */
export function referencesIn(file: string, text: string): CodeReference[] {
  const found: CodeReference[] = [];
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  for (const match of text.matchAll(REFERENCE)) {
    const keyOffset = match.index + match[0].length - match[3]!.length - 1;
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= keyOffset) low = middle;
      else high = middle - 1;
    }
    found.push({ file, line: low + 1, column: keyOffset - lineStarts[low]! + 1, key: match[3]!, call: match[1]! });
  }
  return found;
}

export interface CodeRefsReport {
  references: Array<CodeReference & { exists: boolean; archived?: boolean }>;
  /** Keys in code that name no live flag, with where. */
  missing: Array<{ key: string; archived: boolean; locations: Array<{ file: string; line: number; column: number }> }>;
  /** Live flags no code references. */
  unreferenced: string[];
  filesScanned: number;
}

/** Sorts the references against the server's flags. */
export function codeRefsReport(
  found: { references: CodeReference[]; filesScanned: number },
  liveFlags: string[],
  archivedFlags: string[],
): CodeRefsReport {
  const live = new Set(liveFlags);
  const archived = new Set(archivedFlags);
  const references = found.references.map((reference) => ({
    ...reference,
    exists: live.has(reference.key),
    ...(archived.has(reference.key) && !live.has(reference.key) ? { archived: true } : {}),
  }));
  const missingByKey = new Map<string, CodeRefsReport['missing'][number]>();
  for (const reference of references) {
    if (reference.exists) continue;
    const entry = missingByKey.get(reference.key) ?? { key: reference.key, archived: archived.has(reference.key), locations: [] };
    entry.locations.push({ file: reference.file, line: reference.line, column: reference.column });
    missingByKey.set(reference.key, entry);
  }
  const used = new Set(references.map((reference) => reference.key));
  return {
    references,
    missing: [...missingByKey.values()].sort((a, b) => byCodeUnit(a.key, b.key)),
    unreferenced: liveFlags.filter((key) => !used.has(key)).sort(byCodeUnit),
    filesScanned: found.filesScanned,
  };
}

/** The report for people: what does not exist, per file and line; what nothing uses. */
export function formatCodeRefs(report: CodeRefsReport, all: boolean): string {
  const lines: string[] = [];
  if (all) {
    lines.push(`References (${report.references.length}):`);
    for (const reference of report.references) lines.push(`  ${reference.file}:${reference.line}:${reference.column}  ${reference.key}${reference.exists ? '' : '  (no such flag)'}`);
  }
  lines.push(`Flag keys used in code that do not exist (${report.missing.length}):`);
  for (const missing of report.missing) {
    for (const location of missing.locations) {
      lines.push(`  ${location.file}:${location.line}:${location.column}  ${missing.key}${missing.archived ? '  (archived)' : ''}`);
    }
  }
  lines.push(`Flags no code references (${report.unreferenced.length}):`);
  for (const key of report.unreferenced) lines.push(`  ${key}`);
  const files = new Set(report.references.map((reference) => reference.file)).size;
  lines.push(`${report.references.length} references in ${files} of ${report.filesScanned} files scanned.`);
  return `${lines.join('\n')}\n`;
}
