import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { createHttpMetrics } from '../../services/api/http/metrics.js';
import { createAnswerCacheMetrics, createSnapshotCacheMetrics, watchEventStreams } from '../../services/api/metrics.js';
import { createNotifierMetrics } from '../../services/notifier/metrics.js';
import { createWorkerMetrics } from '../../services/worker/metrics.js';
import { CONFIG_VARIABLES } from '../../shared/config/index.js';
import { createMetricsRegistry, dependencyErrorCounter } from '../../shared/metrics/registry.js';

// Keeps docs/ true as the code moves: every page indexed, every link and
// anchor resolving, every configuration variable and every metric described.

const REPO_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DOCS = path.join(REPO_ROOT, 'docs');
const pages = (await readdir(DOCS)).filter((name) => name.endsWith('.md')).sort();
const read = (file: string) => readFile(file, 'utf8');

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    anchors.add(match[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return anchors;
}

t.test('docs/README.md links every page of docs/ (a new page: add its row to the table there)', async (t) => {
  const index = await read(path.join(DOCS, 'README.md'));
  for (const page of pages.filter((page) => page !== 'README.md')) {
    t.match(index, `](${page})`, `docs/README.md links ${page}: add a row for it to the table in docs/README.md`);
  }
});

t.test('every relative link of README.md and docs/ resolves, anchors included', async (t) => {
  const files = [path.join(REPO_ROOT, 'README.md'), ...pages.map((page) => path.join(DOCS, page))];
  for (const file of files) {
    const markdown = await read(file);
    const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
    for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [relative, anchor] = target!.split('#');
      const linked = relative ? path.resolve(path.dirname(file), relative) : file;
      const label = `${path.relative(REPO_ROOT, file)} → ${target}`;
      t.ok(linked.startsWith(REPO_ROOT + path.sep), `${label} stays inside the repository`);
      const content = await read(linked).catch(() => undefined);
      if (linked.endsWith('/') || relative === 'docs/' || content === undefined) {
        const directory = await readdir(linked).catch(() => undefined);
        t.ok(directory, `${label} exists`);
        continue;
      }
      if (anchor) t.ok(anchorsOf(content).has(anchor), `${label}: the heading exists`);
    }
  }
});

t.test('docs/configuration.md describes every environment variable FlagShip reads (a new one: add its row there)', async (t) => {
  const configuration = await read(path.join(DOCS, 'configuration.md'));
  t.ok(CONFIG_VARIABLES.length >= 10);
  for (const variable of CONFIG_VARIABLES) t.match(configuration, `\`${variable}\``, `${variable} is described in docs/configuration.md`);
});

t.test('docs/operations.md describes every FlagShip metric (a new one: add its row to the metrics table there)', async (t) => {
  const registry = createMetricsRegistry();
  createHttpMetrics(registry);
  createSnapshotCacheMetrics(registry);
  createAnswerCacheMetrics(registry).watchSize(() => 0);
  watchEventStreams(registry, () => []);
  createNotifierMetrics(registry);
  createWorkerMetrics(registry);
  dependencyErrorCounter(registry);
  const names = registry.getMetricsAsArray().map((metric) => metric.name).filter((name) => name.startsWith('flagship_'));
  t.ok(names.length >= 15);
  const operations = await read(path.join(DOCS, 'operations.md'));
  for (const name of names) t.match(operations, `\`${name}\``, `${name} is described in docs/operations.md`);
});
