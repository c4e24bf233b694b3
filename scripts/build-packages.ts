/**
 * Builds the packages others install (packages/evaluation, packages/sdk,
 * packages/openfeature, packages/cli) into each one's dist/: ESM in dist/esm, CommonJS in
 * dist/cjs (with a package.json saying so), and .d.ts beside each. Files are
 * transpiled one by one, not bundled, so a class exists once however many
 * entries an app imports. Run: `npm run build:packages` (all three), or with
 * package folders as arguments to build those only: each package's `prepack`
 * runs `build-packages.ts .`, so `npm pack` never packs a missing or old dist/.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** In dependency order: each package's declarations read the ones built before it. */
export const PACKAGES = ['packages/evaluation', 'packages/sdk', 'packages/openfeature', 'packages/cli'] as const;

/** Packages that only run in Node as ES modules (the CLI: a bin, no `require` users): ESM alone, for Node. */
const NODE_ESM_ONLY: readonly string[] = ['packages/cli'];

function sourcesOf(directory: string): string[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts'))
    .map((file) => path.join(directory, file));
}

async function buildPackage(relative: string): Promise<void> {
  const directory = path.join(root, relative);
  const dist = path.join(directory, 'dist');
  rmSync(dist, { recursive: true, force: true });
  const entryPoints = sourcesOf(directory);
  const nodeEsmOnly = NODE_ESM_ONLY.includes(relative);
  for (const format of nodeEsmOnly ? (['esm'] as const) : (['esm', 'cjs'] as const)) {
    await build({
      entryPoints,
      outdir: path.join(dist, format),
      format,
      platform: nodeEsmOnly ? 'node' : 'neutral',
      target: nodeEsmOnly ? 'node20' : 'es2020',
      bundle: false,
      sourcemap: false,
      logLevel: 'warning',
    });
  }
  if (!nodeEsmOnly) writeFileSync(path.join(dist, 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);

  // Declarations from tsc, without the repository's flagship-source condition: a package's
  // types import the packages before it as users get them (their built dist/ .d.ts).
  const tsconfig = path.join(directory, 'tsconfig.build.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022', 'DOM'],
        // Node's types for the Node-only entry (file store); no signature exposes them.
        types: ['node'],
        strict: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: true,
        verbatimModuleSyntax: true,
        declaration: true,
        emitDeclarationOnly: true,
        rootDir: '.',
        outDir: 'dist/esm',
      },
      files: entryPoints.map((file) => path.basename(file)),
    }),
  );
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { stdio: 'inherit' });
  } finally {
    rmSync(tsconfig);
  }
  if (nodeEsmOnly) return;
  for (const file of readdirSync(path.join(dist, 'esm')).filter((name) => name.endsWith('.d.ts'))) {
    cpSync(path.join(dist, 'esm', file), path.join(dist, 'cjs', file));
  }
}

/** The workspace packages `relative` depends on (their names mapped back to folders), in build order. */
function workspaceDependenciesOf(relative: string): string[] {
  const nameOf = (folder: string) => (JSON.parse(readFileSync(path.join(root, folder, 'package.json'), 'utf8')) as { name: string }).name;
  const { dependencies = {} } = JSON.parse(readFileSync(path.join(root, relative, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const direct = PACKAGES.filter((folder) => folder !== relative && nameOf(folder) in dependencies);
  return PACKAGES.filter((folder) => direct.some((dependency) => dependency === folder || workspaceDependenciesOf(dependency).includes(folder)));
}

/** The packages named on the command line (folders, relative to where it runs), or all of them. */
function requested(): string[] {
  const args = process.argv.slice(2);
  if (args.length === 0) return [...PACKAGES];
  return args.map((arg) => {
    const relative = path.relative(root, path.resolve(arg));
    if (!(PACKAGES as readonly string[]).includes(relative)) {
      throw new Error(`${arg} is not one of the packages (${PACKAGES.join(', ')})`);
    }
    return relative;
  });
}

const targets = requested();
// A package's declarations are checked against the built .d.ts of the packages it
// depends on: build those first when they have none yet (a fresh checkout).
const missing = PACKAGES.filter(
  (folder) => !targets.includes(folder)
    && targets.some((target) => workspaceDependenciesOf(target).includes(folder))
    && !existsSync(path.join(root, folder, 'dist')),
);
for (const relative of PACKAGES.filter((folder) => missing.includes(folder) || targets.includes(folder))) await buildPackage(relative);
