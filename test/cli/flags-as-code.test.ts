import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { installPackedCli } from './support/packed-cli.js';

/*
 * The packed CLI (npm pack, installed into a fresh folder) against a started
 * API: login, flags, export → edit → plan → apply → plan, all-or-nothing
 * apply, bad input, code-refs.
 */

const SERVER_PACKAGES = ['express', 'pg', 'pg-listen', 'bullmq', 'ioredis', 'socket.io', 'zod', 'helmet', 'pino', '@flagship/evaluation'];

// Packing, installing and many process starts: generous on a loaded machine (about 40 s idle).
t.setTimeout(300_000);
const env = await createTestEnvironment(t, 'cli');
const api = await startTestApi(t, env);
const admin = env.adminSecret;
const cli = await installPackedCli(t);
const connected = { FLAGSHIP_URL: api.url, FLAGSHIP_TOKEN: admin };
type Options = { input?: string; env?: Record<string, string>; cwd?: string };
/**
 * The installed package's run() in this process: the packed code the bin runs,
 * without a process start per command (seconds each on a loaded machine).
 * The bin itself runs where it matters: the round trip's apply.
 */
const flagship = (args: string[], options: Options = {}) => cli.runInProcess(args, { ...options, env: { ...connected, ...options.env } });
/** The installed bin, in a process of its own. */
const flagshipBin = (args: string[], options: Options = {}) => cli.run(args, { ...options, env: { ...connected, ...options.env } });

async function must(method: string, route: string, body?: unknown, status = 200) {
  const response = await api.request(method, route, { token: admin, body });
  if (response.status !== status) throw new Error(`${method} ${route}: ${response.status} ${response.text}`);
  return response.body;
}
const stateOf = async (flag: string, environment = 'prod') => must('GET', `/v1/flags/${flag}/environments/${environment}`);
const versionOf = async (environment: string) =>
  ((await must('GET', '/v1/environments')).environments as Array<{ key: string; version: number }>).find((entry) => entry.key === environment)!.version;

const segment = await must('POST', '/v1/segments', { name: 'staff', description: 'acme people', constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'] }] }, 201);
await must('POST', '/v1/flags', { key: 'checkout', description: 'new checkout', environments: { prod: { enabled: false, rollout: 100 } } }, 201);
await must('POST', '/v1/flags', { key: 'banner', type: 'experiment', environments: { prod: { enabled: true, rollout: 50 } } }, 201);
await must('POST', '/v1/flags', { key: 'search' }, 201);
await must('PUT', '/v1/flags/search/environments/prod', {
  enabled: true,
  strategies: [{ name: 'flexibleRollout', parameters: { rollout: '100', stickiness: 'default', groupId: 'search' }, segments: [segment.id], constraints: [{ contextName: 'country', operator: 'IN', values: ['NL', 'BE'] }] }],
  variants: [{ name: 'fast', weight: 500 }, { name: 'slow', weight: 500 }],
});

type FlagFileShape = { environments: string[]; flags: Record<string, { environments: Record<string, { enabled: boolean; strategies: Array<Record<string, unknown>> }> }> };

async function exportProd(): Promise<{ text: string; file: FlagFileShape }> {
  const exported = await flagship(['export', '--env', 'prod']);
  if (exported.code !== 0) throw new Error(`export failed: ${exported.stderr}`);
  return { text: exported.stdout, file: parse(exported.stdout) as FlagFileShape };
}

t.test('the packed CLI installs alone: a bin, built JavaScript, none of the server', async (t) => {
  // The tarball's own listing and the install's lockfile: what `npm pack --dry-run` and `npm ls` say, without an npm start each.
  const packed = (await promisify(execFile)('tar', ['-tzf', cli.tarball])).stdout.split('\n').filter(Boolean).map((file) => file.replace(/^package\//, ''));
  t.ok(packed.includes('dist/esm/main.js') && packed.includes('README.md'), 'the bin and the README are packed');
  t.notOk(packed.some((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')), 'no TypeScript sources');
  const lock = JSON.parse(await readFile(path.join(cli.installDirectory, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  // The install holds @flagship/cli alone: every package in it is in its dependency tree.
  const tree = new Set(Object.keys(lock.packages).filter(Boolean).map((location) => location.replace(/^.*node_modules\//, '')));
  t.ok(tree.has('@flagship/cli'), 'it is installed from its tarball');
  for (const name of SERVER_PACKAGES) t.notOk(tree.has(name), `${name} is not in its dependency tree`);
  t.ok(tree.has('commander') && tree.has('yaml'), 'it holds what it needs');
  t.equal(path.basename(cli.bin), 'flagship');
});

t.test('--help for every command', async (t) => {
  // In this process, the packed code the bin runs (the round trip's apply runs the bin itself).
  const commands = [[], ['login'], ['flags'], ['flags', 'ls'], ['flags', 'get'], ['flags', 'enable'], ['flags', 'disable'], ['flags', 'set'], ['export'], ['plan'], ['apply'], ['wait'], ['code-refs']];
  await Promise.all(
    commands.map(async (command: string[]) => {
      const help = await cli.runInProcess([...command, '--help']);
      t.equal(help.code, 0, `${command.join(' ') || 'flagship'} --help exits 0`);
      t.match(help.stdout, new RegExp(`Usage: flagship${command.length ? ` ${command.join(' ')}` : ''} `), `${command.join(' ') || 'flagship'} --help shows its usage`);
    }),
  );
  const version = await cli.runInProcess(['--version']);
  t.equal(version.stdout.trim(), JSON.parse(await readFile(path.join(cli.installDirectory, 'node_modules/@flagship/cli/package.json'), 'utf8')).version);
});

t.test('login stores the URL and token readable by the owner only; FLAGSHIP_URL and FLAGSHIP_TOKEN override them', async (t) => {
  const refused = await cli.runInProcess(['login', '--url', api.url, '--token-stdin'], { input: 'not-a-token\n' });
  t.equal(refused.code, 1, 'an unknown token is refused');
  t.match(refused.stderr, /error: .*HTTP 401/);
  await t.rejects(stat(path.join(cli.configHome, 'flagship/config.json')), { code: 'ENOENT' }, 'and nothing is stored');

  const noUrl = await cli.runInProcess(['login', '--token-stdin'], { input: admin });
  t.equal(noUrl.code, 1);
  t.match(noUrl.stderr, /give --url <url>/);

  const login = await cli.runInProcess(['login', '--url', `${api.url}/`, '--token-stdin'], { input: `${admin}\n` });
  t.equal(login.code, 0, login.stderr);
  const file = path.join(cli.configHome, 'flagship/config.json');
  t.equal((await stat(file)).mode & 0o777, 0o600, 'config.json is 0600');
  t.equal((await stat(path.dirname(file))).mode & 0o777, 0o700, 'its folder is 0700');
  t.same(JSON.parse(await readFile(file, 'utf8')), { url: api.url, token: admin });

  const listed = await cli.runInProcess(['flags', 'ls', '--env', 'prod']);
  t.equal(listed.code, 0, 'the stored login is used');
  t.match(listed.stdout, /^checkout\s+release\s+off$/m);

  const overridden = await cli.runInProcess(['flags', 'ls'], { env: { FLAGSHIP_TOKEN: 'wrong-token' } });
  t.equal(overridden.code, 1, 'FLAGSHIP_TOKEN overrides the stored token');
  t.match(overridden.stderr, /HTTP 401/);
  const elsewhere = await cli.runInProcess(['flags', 'ls'], { env: { FLAGSHIP_URL: 'http://127.0.0.1:1' } });
  t.equal(elsewhere.code, 1, 'FLAGSHIP_URL overrides the stored URL');
  t.match(elsewhere.stderr, /could not reach FlagShip at http:\/\/127\.0\.0\.1:1/);
});

t.test('flags ls, get, enable, disable, set', async (t) => {
  const enabled = await flagship(['flags', 'enable', 'banner', '--env', 'dev']);
  t.equal(enabled.code, 0, enabled.stderr);
  t.match(enabled.stdout, /^banner in dev: on \(version \d+\)/);
  t.equal((await stateOf('banner', 'dev')).enabled, true);
  const set = await flagship(['flags', 'set', 'banner', '--env', 'dev', '--rollout', '40']);
  t.match(set.stdout, /banner in dev: on 40%/);
  const version = (await stateOf('banner', 'dev')).version;
  const stale = await flagship(['flags', 'disable', 'banner', '--env', 'dev', '--if-version', String(version - 1)]);
  t.equal(stale.code, 1, 'a stale --if-version is refused');
  t.match(stale.stderr, /HTTP 412/);
  t.equal((await stateOf('banner', 'dev')).enabled, true, 'and nothing changed');
  const disabled = await flagship(['flags', 'disable', 'banner', '--env', 'dev', '--if-version', String(version)]);
  t.equal(disabled.code, 0);
  t.equal((await stateOf('banner', 'dev')).enabled, false);

  const config = await cli.write('staging-banner.yaml', stringify({ enabled: true, strategies: [{ name: 'userWithId', parameters: { userIds: 'u1,u2' } }] }));
  const replaced = await flagship(['flags', 'set', 'banner', '--env', 'staging', '-f', config]);
  t.equal(replaced.code, 0, replaced.stderr);
  t.match((await stateOf('banner', 'staging')).strategies, [{ name: 'userWithId', parameters: { userIds: 'u1,u2' } }]);

  const got = await flagship(['flags', 'get', 'banner', '--env', 'staging']);
  t.match(parse(got.stdout), { type: 'experiment', environments: { staging: { enabled: true, strategies: [{ name: 'userWithId' }] } } });
  const listed = await flagship(['flags', 'ls', '--json', '--env', 'dev,prod']);
  const banner = (JSON.parse(listed.stdout).flags as Array<{ key: string; environments: Record<string, unknown> }>).find((flag) => flag.key === 'banner')!;
  t.same(Object.keys(banner.environments), ['dev', 'prod']);
});

t.test('export → edit → plan (exit 2) → apply → plan (exit 0)', async (t) => {
  const first = await exportProd();
  t.equal((await exportProd()).text, first.text, 'exporting twice gives the same bytes');
  t.match(first.text, /^# FlagShip flags from http/, 'a header says where it came from');
  t.match(first.file, {
    environments: ['prod'],
    segments: [{ id: segment.id, name: 'staff' }],
    flags: {
      search: { environments: { prod: { enabled: true, strategies: [{ name: 'flexibleRollout', segments: [segment.id], constraints: [{ contextName: 'country' }] }], variants: [{ name: 'fast' }, { name: 'slow' }] } } },
    },
  });
  t.same(Object.keys(first.file.flags), ['banner', 'checkout', 'search'], 'flags in key order');

  const edited = structuredClone(first.file);
  edited.flags.checkout!.environments.prod!.enabled = true;
  (edited.flags.banner!.environments.prod!.strategies[0]!.parameters as Record<string, string>).rollout = '75';
  edited.flags['new-flow'] = { environments: { prod: { enabled: true, strategies: [{ name: 'default' }] } } } as never;
  const file = await cli.write('flags.yaml', stringify(edited));
  const before = await versionOf('prod');

  const plan = await flagship(['plan', '-f', file]);
  t.equal(plan.code, 2, `plan exits 2 when there are changes: ${plan.stderr}`);
  t.match(plan.stdout, /\+ create flag new-flow/);
  t.match(plan.stdout, /~ checkout in prod \(at version \d+\)\n[^]*-enabled: false\n[^]*\+enabled: true/);
  t.match(plan.stdout, /-\s+rollout: "50"\n\s+\+\s+rollout: "75"/);
  t.match(plan.stdout, /4 changes to prod/);
  t.notMatch(plan.stdout, /search in prod/, 'an unchanged flag is not in the plan');
  const planned = await flagship(['plan', '-f', file, '--json']);
  t.equal(planned.code, 2);
  const json = JSON.parse(planned.stdout);
  t.same(json.states.map((change: { flag: string }) => change.flag), ['banner', 'checkout', 'new-flow']);
  t.same(json.create, [{ flag: 'new-flow' }]);
  t.equal(await versionOf('prod'), before, 'plan writes nothing');

  const apply = await flagshipBin(['apply', '-f', file]);
  t.equal(apply.code, 0, `apply without a terminal does not ask: ${apply.stderr}`);
  const applied = /prod: 3 flag states written as one change, version (\d+)/.exec(apply.stderr);
  t.ok(applied, `apply says the version: ${apply.stderr}`);
  const version = Number(applied?.[1]);
  // One version for creating new-flow (off everywhere, as POST /v1/flags does), then ONE for the three states together.
  t.equal(version, before + 2, 'the states took ONE version of prod');
  t.equal(await versionOf('prod'), version);
  t.match(apply.stderr, new RegExp(`flagship wait --env prod --version ${version}\\b`));
  t.match(await stateOf('checkout'), { enabled: true, version });
  t.match(await stateOf('banner'), { rollout: 75, version });
  t.match(await stateOf('new-flow'), { enabled: true, strategies: [{ name: 'default' }], version });
  t.equal((await stateOf('new-flow', 'dev')).enabled, false, 'a new flag is off where the file does not configure it');

  const again = await flagship(['plan', '-f', file]);
  t.equal(again.code, 0, `plan exits 0 once applied: ${again.stdout}${again.stderr}`);
  t.match(again.stdout, /No changes/);
  const reapplied = await flagship(['apply', '-f', file, '--json']);
  t.same(JSON.parse(reapplied.stdout), { created: [], edited: [], environments: [], changeRequests: [] }, 'applying again changes nothing');

  const settled = await exportProd();
  await must('PATCH', '/v1/flags/checkout/environments/dev', { enabled: true });
  t.equal((await exportProd()).text, settled.text, 'a change in another environment leaves the prod export byte for byte as it was');
  t.notMatch(settled.text, /version|updatedAt|updatedBy/, 'no versions or timestamps in the file');
});

t.test('a concurrent change makes apply fail with no partial write', async (t) => {
  const { file } = await exportProd();
  file.flags.checkout!.environments.prod!.enabled = false;
  (file.flags.banner!.environments.prod!.strategies[0]!.parameters as Record<string, string>).rollout = '20';
  const flagFile = await cli.write('conflict.yaml', stringify(file));
  const planned = await flagship(['plan', '-f', flagFile, '--json']);
  t.equal(planned.code, 2);
  const savedPlan = await cli.write('plan.json', planned.stdout);

  // Someone moves checkout between the plan and the apply; banner comes before it in the same write.
  await must('PATCH', '/v1/flags/checkout/environments/prod', { rollout: 30 });
  const before = await versionOf('prod');
  const apply = await flagship(['apply', '--plan', savedPlan]);
  t.equal(apply.code, 1, 'apply fails');
  t.match(apply.stderr, /error: writing prod: flag 'checkout' in 'prod' is at version \d+, not \d+\. Nothing was written to prod: someone changed it since the plan was made/);
  t.notMatch(apply.stderr, /change request/, 'an unprotected environment: no change request');
  t.equal(await versionOf('prod'), before, 'no version was taken');
  t.equal((await stateOf('banner')).rollout, 75, 'banner, written before checkout in the same request, is rolled back');
  t.match(await stateOf('checkout'), { enabled: true, rollout: 30 }, "the other person's change stands");

  // Planned afresh from the same file, it applies.
  const apply2 = await flagship(['apply', '-f', flagFile, '--yes']);
  t.equal(apply2.code, 0, apply2.stderr);
  t.equal((await stateOf('checkout')).enabled, false);
  t.equal((await stateOf('banner')).rollout, 20);
});

t.test('a change the server refuses midway (inside the write) writes nothing of the file, and names the field of the file', async (t) => {
  const { file } = await exportProd();
  file.flags.checkout!.environments.prod!.enabled = true;
  // A segment that does not exist: found only inside the write's transaction, after checkout's change.
  file.flags.search!.environments.prod!.strategies[0]!.segments = [999_999];
  const flagFile = await cli.write('refused.yaml', stringify(file));
  const before = await versionOf('prod');
  const apply = await flagship(['apply', '-f', flagFile]);
  t.equal(apply.code, 1);
  t.match(apply.stderr, /HTTP 400\)\n\s+flags\.search\.environments\.prod\.strategies\.0\.segments\.0: no segment has id 999999/, 'the error names the field as the file does');
  t.notMatch(apply.stderr, /changes\.\d/, 'not as the request did');
  t.match(apply.stderr, /Nothing was written to prod/);
  t.equal(await versionOf('prod'), before);
  t.equal((await stateOf('checkout')).enabled, false, 'checkout, before search in the same write, is untouched');
});

t.test('bad input: exit 1 and a message saying what is wrong', async (t) => {
  const cases: Array<[string, string[], string | undefined, RegExp]> = [
    ['a missing file', ['plan', '-f', 'missing.yaml'], undefined, /error: could not read missing\.yaml: no such file/],
    ['broken YAML', ['plan', '-f', 'broken.yaml'], 'flags: [unclosed\n', /error: broken\.yaml:\d+:\d+: not valid YAML/],
    ['a wrong type', ['plan', '-f', 'typed.yaml'], 'flags:\n  checkout:\n    environments:\n      prod:\n        enabled: "yes"\n', /error: typed\.yaml: flags\.checkout\.environments\.prod\.enabled: must be true or false/],
    ['a misspelt field', ['plan', '-f', 'typo.yaml'], 'flags:\n  checkout:\n    environments:\n      prod:\n        enabeld: true\n', /error: typo\.yaml: flags\.checkout\.environments\.prod\.enabeld: unknown field/],
    ['an unknown environment', ['plan', '-f', 'qa.yaml'], 'flags:\n  checkout:\n    environments:\n      qa:\n        enabled: true\n', /error: no environment 'qa' \(there are: dev, prod, staging\)|error: no environment 'qa'/],
    ['a saved plan that is not one', ['apply', '--plan', 'not-a-plan.json'], '{"hello": 1}', /error: not-a-plan\.json: not a plan/],
    ['apply with no file', ['apply'], undefined, /error: give either -f <flag file> or --plan <saved plan>/],
    ['a rollout over 100', ['flags', 'set', 'checkout', '--env', 'prod', '--rollout', '150'], undefined, /--rollout <percent>' argument '150' is invalid\. must be a whole number from 0 to 100/],
    ['a version that is no number', ['wait', '--env', 'prod', '--version', 'latest'], undefined, /argument 'latest' is invalid\. must be a whole number/],
    ['a bad timeout', ['wait', '--env', 'prod', '--timeout', 'soon'], undefined, /must be a duration such as 500ms, 30s or 2m/],
    ['an unknown environment for wait', ['wait', '--env', 'nowhere', '--timeout', '5s'], undefined, /error: environment 'nowhere' does not exist \(HTTP 404/],
    ['a flag that does not exist', ['flags', 'enable', 'nothing-here', '--env', 'prod'], undefined, /error: flag 'nothing-here' does not exist \(HTTP 404/],
    ['an unknown command', ['deploy'], undefined, /unknown command 'deploy'/],
    ['a code-refs folder that does not exist', ['code-refs', 'no-such-folder'], undefined, /error: could not scan no-such-folder: no such folder/],
  ];
  for (const [what, args, content, expected] of cases) {
    if (content !== undefined) await cli.write(args[2]!, content);
    const result = await flagship(args);
    t.equal(result.code, 1, `${what}: exit 1`);
    t.match(result.stderr, expected, `${what}: ${result.stderr.trim().split('\n')[0]}`);
    t.notMatch(result.stderr, /\n\s+at /, `${what}: no stack trace`);
  }
  const noLogin = await cli.runInProcess(['flags', 'ls'], { env: { XDG_CONFIG_HOME: path.join(cli.directory, 'nowhere') } });
  t.equal(noLogin.code, 1);
  t.match(noLogin.stderr, /error: no FlagShip URL: run `flagship login --url <url>` or set FLAGSHIP_URL and FLAGSHIP_TOKEN/);
});

t.test('code-refs: keys in code that do not exist, flags no code uses, per file and line, .gitignore respected', async (t) => {
  const files: Record<string, string> = {
    '.gitignore': 'build/\n*.generated.ts\n!keep.generated.ts\n',
    'src/app.ts': [
      "import { FlagShipClient } from '@flagship/sdk';",
      "if (client.isEnabled('checkout', { targetingKey: 'u1' })) render();",
      'const ok = await ofClient.getBooleanValue("banner", false);',
      'const typo = client.isEnabled(`chekout`);',
      'const dynamic = client.isEnabled(key);',
      'const templated = client.isEnabled(`flag-${name}`);',
    ].join('\n'),
    'src/web/.gitignore': 'secret.ts\n',
    'src/web/secret.ts': "isEnabled('ignored-by-nested-gitignore');",
    'src/web/page.tsx': "export const Page = () => { const v = useVariant('ghost-flag'); return useFlag('new-flow') ? <A /> : <B />; };",
    'src/types.generated.ts': "isEnabled('ignored-generated');",
    'src/keep.generated.ts': "isEnabled('kept-generated');",
    'build/out.js': "isEnabled('ignored-build');",
    'node_modules/lib/index.js': "isEnabled('ignored-node-modules');",
    'service.py': 'if unleash.is_enabled("checkout"):\n    colour = of_client.get_string_value("py-missing", "blue")\n',
    'main.go': 'on, _ := client.BooleanValue(context.Background(), "go-missing", false, evalCtx)\n',
    'App.java': 'boolean on = unleash.isEnabled("checkout");\n',
    'Program.cs': 'var on = await client.GetBooleanValueAsync("cs-missing", false);\n',
    'README.md': "isEnabled('not-code')",
  };
  for (const [name, text] of Object.entries(files)) await cli.write(`repo/${name}`, text);
  const result = await flagship(['code-refs', 'repo']);
  t.equal(result.code, 0, `code-refs exits 0: ${result.stderr}`);
  t.match(result.stdout, /^ {2}src\/app\.ts:4:32 {2}chekout$/m, 'a missing key with its file, line and column');
  const json = await flagship(['code-refs', 'repo', '--json']);
  t.equal(json.code, 0);
  const report = JSON.parse(json.stdout) as { missing: Array<{ key: string; locations: Array<{ file: string; line: number }> }>; unreferenced: string[]; references: Array<{ key: string; file: string }> };
  t.same(report.missing.map((missing) => missing.key), ['chekout', 'cs-missing', 'ghost-flag', 'go-missing', 'kept-generated', 'py-missing']);
  t.same(report.missing.find((missing) => missing.key === 'py-missing')!.locations, [{ file: 'service.py', line: 2, column: 42 }]);
  t.same(report.unreferenced, ['search'], 'the live flag no code uses');
  const scannedFiles = new Set(report.references.map((reference) => reference.file));
  for (const ignored of ['src/web/secret.ts', 'src/types.generated.ts', 'build/out.js', 'node_modules/lib/index.js', 'README.md']) {
    t.notOk(scannedFiles.has(ignored), `${ignored} is not scanned`);
  }
  t.same(report.references.filter((reference) => reference.key === 'checkout').map((reference) => reference.file), ['App.java', 'service.py', 'src/app.ts']);
});
