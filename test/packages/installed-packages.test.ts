import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import t from 'tap';
import { launchBrowser } from '../console/support/browser.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken } from '../helpers/tokens.js';
import { dependencyTreeOf, installPackedPackages, sizeOf } from './support/installed-app.js';

const run = promisify(execFile);
/** The browser entry's budget, minified and gzipped (DESIGN: small enough for any page). */
const BROWSER_BUDGET_BYTES = 25 * 1024;
const SERVER_PACKAGES = ['express', 'pg', 'pg-listen', 'bullmq', 'ioredis', 'socket.io', 'zod', 'helmet', 'pino'];
const OPENFEATURE_VERSIONS = ['@openfeature/server-sdk@1.23.0', '@openfeature/web-sdk@1.10.0', '@openfeature/core@1.12.0'];

const env = await createTestEnvironment(t, 'packages');
const api = await startTestApi(t, env, { snapshots: 'cache', config: { corsOrigins: '*' } });
const notifier = await startTestNotifier(t, env);
const { request } = api;
const admin = env.adminSecret;
const sdk = await createSdkToken(request, admin, 'prod');
const frontendResponse = await request('POST', '/v1/tokens', { token: admin, body: { name: 'page', kind: 'frontend', environment: 'prod' } });
const frontend: string = frontendResponse.body.secret;

const created = await request('POST', '/v1/flags', {
  token: admin,
  body: { key: 'checkout', environments: { prod: { enabled: false, rollout: 100 } } },
});
if (created.status !== 201) throw new Error(`could not create the flag: ${created.status} ${created.text}`);

const app = await installPackedPackages(t, OPENFEATURE_VERSIONS);

async function setCheckout(enabled: boolean): Promise<number> {
  const response = await request('PATCH', '/v1/flags/checkout/environments/prod', { token: admin, body: { enabled } });
  if (response.status !== 200) throw new Error(`PATCH failed: ${response.status} ${response.text}`);
  return response.body.version;
}

/** Runs a script of the app with node; each line it prints is JSON, read in order. */
function runScript(file: string) {
  const child = spawn(process.execPath, [file], {
    cwd: app.directory,
    env: { PATH: process.env.PATH, NOTIFIER_URL: notifier.url, SDK_TOKEN: sdk.secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  t.teardown(() => {
    child.kill();
  });
  return {
    async next(): Promise<Record<string, unknown>> {
      const timer = setTimeout(() => child.kill(), 30_000);
      const line = await lines.next();
      clearTimeout(timer);
      if (line.done) throw new Error(`${file} ended early: ${stderr}`);
      return JSON.parse(line.value) as Record<string, unknown>;
    },
    exited: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))),
  };
}

t.test('npm pack of each workspace, from a checkout without dist/, packs a built dist/ (prepack)', async (t) => {
  t.equal(app.tarballs.length, 3);
  for (const tarball of app.tarballs) {
    const files = (await run('tar', ['-tzf', tarball])).stdout.split('\n');
    const name = path.basename(tarball);
    t.ok(files.some((file) => /^package\/dist\/esm\/\w+\.js$/.test(file)), `${name} holds dist/esm JavaScript`);
    t.ok(files.some((file) => /^package\/dist\/cjs\/\w+\.js$/.test(file)), `${name} holds dist/cjs JavaScript`);
    t.ok(files.some((file) => /^package\/dist\/esm\/\w+\.d\.ts$/.test(file)), `${name} holds type declarations`);
  }
});

t.test('the installed SDK holds none of the server and ships compiled JavaScript with types', async (t) => {
  const tree = await dependencyTreeOf(app, '@flagship/sdk');
  for (const name of SERVER_PACKAGES) t.notOk(tree.has(name), `${name} is not in @flagship/sdk's dependency tree`);
  t.ok(tree.has('socket.io-client') && tree.has('@flagship/evaluation'), 'it holds what it needs');
  const sdkDirectory = path.join(app.directory, 'node_modules/@flagship/sdk');
  const files = await app.npm('pack', '--dry-run', '--json', sdkDirectory);
  const packed = (JSON.parse(files) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path);
  t.ok(packed.includes('dist/esm/index.js') && packed.includes('dist/cjs/index.js') && packed.includes('dist/esm/index.d.ts'));
  t.notOk(packed.some((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')), 'no TypeScript sources');
  let installed = 0;
  for (const name of ['@flagship/sdk', '@flagship/evaluation', ...tree]) {
    installed += await sizeOf(path.join(app.directory, 'node_modules', name)).catch(() => 0);
  }
  t.comment(`@flagship/sdk: ${tree.size} dependencies in its tree, ${(installed / 1024).toFixed(0)} KiB installed with them`);
});

for (const [kind, file, source] of [
  [
    'ESM',
    'app.mjs',
    `import { FlagShipClient } from '@flagship/sdk';
const client = new FlagShipClient({ url: process.env.NOTIFIER_URL, token: process.env.SDK_TOKEN });
await client.ready();
const say = (event) => console.log(JSON.stringify({ event, enabled: client.isEnabled('checkout', { targetingKey: 'u1' }), version: client.version }));
say('ready');
client.on('change', () => { say('change'); void client.close(); });`,
  ],
  [
    'CommonJS',
    'app.cjs',
    `const { FlagShipClient } = require('@flagship/sdk');
const { fileSnapshotStore } = require('@flagship/sdk/node');
const client = new FlagShipClient({ url: process.env.NOTIFIER_URL, token: process.env.SDK_TOKEN, store: fileSnapshotStore('last-known.json') });
client.ready().then(() => {
  const say = (event) => console.log(JSON.stringify({ event, enabled: client.isEnabled('checkout', { targetingKey: 'u1' }), version: client.version }));
  say('ready');
  client.on('change', () => { say('change'); void client.close(); });
});`,
  ],
] as const) {
  t.test(`a plain Node ${kind} script connects, evaluates and sees a change`, async (t) => {
    await notifier.relayed('prod', await setCheckout(false));
    const script = runScript(await app.write(file, source));
    const ready = await script.next();
    t.same({ event: ready.event, enabled: ready.enabled }, { event: 'ready', enabled: false });
    await setCheckout(true);
    const change = await script.next();
    t.same({ event: change.event, enabled: change.enabled }, { event: 'change', enabled: true });
    t.ok((change.version as number) > (ready.version as number));
    t.equal(await script.exited, 0, 'it closes cleanly');
  });
}

t.test('the OpenFeature server provider, with the real @openfeature/server-sdk, emits a change event', async (t) => {
  await notifier.relayed('prod', await setCheckout(false));
  const script = runScript(
    await app.write(
      'provider.mjs',
      `import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { FlagShipProvider } from '@flagship/openfeature-provider/server';
await OpenFeature.setProviderAndWait(new FlagShipProvider({ url: process.env.NOTIFIER_URL, token: process.env.SDK_TOKEN }));
const client = OpenFeature.getClient();
const say = async (event, details) => console.log(JSON.stringify({ event, details, value: (await client.getBooleanDetails('checkout', true, { targetingKey: 'u1' })) }));
await say('ready');
OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, async (details) => { await say('changed', details); await OpenFeature.close(); });`,
    ),
  );
  const ready = await script.next();
  const before = ready.value as { value: boolean; reason: string; flagMetadata: Record<string, unknown> };
  t.equal(before.value, false);
  t.equal(before.reason, 'DISABLED');
  t.equal(before.flagMetadata.environment, 'prod');
  await setCheckout(true);
  const changed = await script.next();
  t.match(changed.details, { flagsChanged: ['checkout'] }, 'PROVIDER_CONFIGURATION_CHANGED names the changed flag');
  t.equal((changed.value as { value: boolean }).value, true);
  t.equal(await script.exited, 0);
});

t.test('the browser entry, bundled by esbuild, runs in Chromium with a frontend token within its size budget', async (t) => {
  const sizeBundle = await build({
    stdin: { contents: `export * from '@flagship/sdk';`, resolveDir: app.directory },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const gzipped = gzipSync(sizeBundle.outputFiles[0]!.contents).length;
  t.comment(`@flagship/sdk browser entry: ${sizeBundle.outputFiles[0]!.contents.length} bytes minified, ${gzipped} bytes min+gzip`);
  t.ok(gzipped <= BROWSER_BUDGET_BYTES, `${gzipped} bytes min+gzip is within the ${BROWSER_BUDGET_BYTES}-byte budget`);
  t.notMatch(new TextDecoder().decode(sizeBundle.outputFiles[0]!.contents), /socket\.io|engine\.io/, 'no Socket.IO in the page');

  const page = await build({
    stdin: {
      contents: `import { FlagShipBrowserClient, localStorageStore } from '@flagship/sdk';
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { FlagShipWebProvider } from '@flagship/openfeature-provider/web';
const { url, token } = window.flagship;
const client = new FlagShipBrowserClient({ url, token, context: { targetingKey: 'u1' }, store: localStorageStore() });
window.changes = [];
client.on('change', (change) => window.changes.push({ ...change, enabled: client.isEnabled('checkout') }));
window.ready = client.ready().then(() => client.isEnabled('checkout'));
window.providerChanges = [];
window.providerReady = (async () => {
  await OpenFeature.setContext({ targetingKey: 'u1' });
  await OpenFeature.setProviderAndWait(new FlagShipWebProvider({ url, token }));
  OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, (details) =>
    window.providerChanges.push({ flagsChanged: details.flagsChanged, value: OpenFeature.getClient().getBooleanValue('checkout', false) }));
  return OpenFeature.getClient().getBooleanDetails('checkout', true);
})();`,
      resolveDir: app.directory,
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const script = page.outputFiles[0]!.text;
  // The page comes from an origin of its own: every call to FlagShip is cross-origin (CORS).
  const server = createServer((req, res) => {
    if (req.url === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'content-type': 'text/html' }).end(
      `<!doctype html><script>window.flagship = ${JSON.stringify({ url: api.url, token: frontend })};</script><script type="module" src="/app.js"></script>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;

  await setCheckout(false);
  const browser = await launchBrowser(t);
  const tab = await (await browser.newContext()).newPage();
  const problems: string[] = [];
  tab.on('pageerror', (error) => problems.push(error.message));
  await tab.goto(origin);
  t.equal(await tab.evaluate(() => (window as unknown as { ready: Promise<boolean> }).ready), false, 'the answer for the page user');
  const details = await tab.evaluate(() => (window as unknown as { providerReady: Promise<{ value: boolean; reason: string }> }).providerReady);
  t.match(details, { value: false, reason: 'DISABLED' }, 'the web provider answers through OpenFeature');

  await setCheckout(true);
  await tab.waitForFunction(() => (window as unknown as { changes: Array<{ reason: string; enabled: boolean }> }).changes.some((change) => change.reason === 'pushed' && change.enabled));
  const providerChange = await tab.waitForFunction(
    () => (window as unknown as { providerChanges: unknown[] }).providerChanges[0],
  );
  t.match(await providerChange.jsonValue(), { flagsChanged: ['checkout'], value: true }, 'the web provider emits the pushed change');
  const stored = await tab.evaluate(() => localStorage.getItem('flagship:answers'));
  t.match(JSON.parse(stored ?? '{}'), { answers: [{ key: 'checkout', enabled: true }] }, 'the last answers are kept in localStorage');
  t.same(problems, [], 'no page errors');
});
