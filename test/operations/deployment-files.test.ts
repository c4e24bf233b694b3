import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../shared/config/index.js';

// No Docker engine runs the suite: these hold docker-compose.yml, .env.example
// and the Dockerfile to what a deployment needs, read as Docker reads them.

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFile(path.join(ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  user?: string;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  depends_on?: Record<string, { condition: string }>;
  build?: { context: string; target?: string };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[]; start_period?: string; interval?: string };
  pull_policy?: string;
}
const compose = parse(await read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const composeText = await read('docker-compose.yml');
const envExample = await read('.env.example');
const dockerfile = await read('Dockerfile');
const FLAGSHIP_SERVICES = ['api', 'notifier', 'worker'];
/** Variables of the compose file itself, not FlagShip's. */
const COMPOSE_VARIABLES = ['POSTGRES_PASSWORD', 'FLAGSHIP_API_HOST_PORT', 'FLAGSHIP_NOTIFIER_HOST_PORT'];

t.test('every FlagShip service is given every setting FlagShip reads', async (t) => {
  for (const name of FLAGSHIP_SERVICES) {
    const environment = compose.services[name]?.environment ?? {};
    t.same(CONFIG_VARIABLES.filter((variable) => !(variable in environment)), [], `${name}: none missing`);
  }
});

t.test('what the compose file reads from .env is in .env.example, and only FlagShip variables or its own', async (t) => {
  const interpolated = [...new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1]!))];
  t.same(interpolated.filter((variable) => !CONFIG_VARIABLES.includes(variable) && !COMPOSE_VARIABLES.includes(variable)), []);
  const example = new Set([...envExample.matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]!));
  t.same(interpolated.filter((variable) => !example.has(variable)), [], 'each one in .env.example');
});

t.test('no database password in the compose file: it comes from .env, required', async (t) => {
  const postgres = compose.services.postgres!;
  t.match(postgres.environment?.POSTGRES_PASSWORD, /^\$\{POSTGRES_PASSWORD:\?/);
  for (const name of FLAGSHIP_SERVICES) {
    t.match(compose.services[name]!.environment?.DATABASE_URL, /^postgres:\/\/[^:]+:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\//);
  }
  t.match(envExample, /^POSTGRES_PASSWORD=$/m, 'the example leaves it for you to choose');
});

t.test('one image, built once, for the three services, from the Dockerfile stage that exists', async (t) => {
  const images = FLAGSHIP_SERVICES.map((name) => compose.services[name]!.image);
  t.equal(new Set(images).size, 1, 'the same image');
  const builders = FLAGSHIP_SERVICES.filter((name) => compose.services[name]!.build);
  t.same(builders, ['api'], 'built by one service');
  for (const name of FLAGSHIP_SERVICES.filter((service) => service !== 'api')) {
    t.equal(compose.services[name]!.pull_policy, 'never', `${name} uses the image built here`);
  }
  const stages = [...dockerfile.matchAll(/^FROM \S+(?: AS (\S+))?$/gm)].map((match) => match[1]);
  t.ok(stages.includes(compose.services.api!.build!.target), 'the build target is a stage');
});

t.test('each service runs its built entry point', async (t) => {
  for (const name of FLAGSHIP_SERVICES) {
    const command = compose.services[name]!.command ?? [];
    t.equal(command[0], 'node');
    t.equal(command.at(-1), `dist/services/${name}/main.js`, `${name}: the JavaScript scripts/build.ts makes of services/${name}/main.ts`);
    await t.resolves(readFile(path.join(ROOT, `services/${name}/main.ts`)), 'whose source exists');
  }
});

t.test('healthchecks: a start period, and no Node process per probe', async (t) => {
  for (const [name, service] of Object.entries(compose.services)) {
    const check = service.healthcheck;
    t.ok(check, `${name} has a healthcheck`);
    t.ok(check?.start_period, `${name}: a start period`);
    t.notOk(check?.test.some((word) => /\bnode\b/.test(word)), `${name}: the probe starts no Node process`);
  }
  t.match(compose.services.api!.healthcheck!.test, ['CMD', '/app/healthcheck.sh', compose.services.api!.environment!.PORT, '/readyz']);
  t.match(compose.services.notifier!.healthcheck!.test, ['CMD', '/app/healthcheck.sh', compose.services.notifier!.environment!.NOTIFIER_PORT, '/readyz']);
  t.match(compose.services.worker!.healthcheck!.test, ['CMD', '/app/healthcheck.sh', compose.services.worker!.environment!.WORKER_PORT, '/readyz']);
});

t.test('the Dockerfile: stages named before use, and no sources in the runtime image', async (t) => {
  const lines = dockerfile.split('\n');
  const defined: string[] = [];
  let stage = '';
  const runtimeCopies: string[] = [];
  for (const line of lines) {
    const from = /^FROM (\S+)(?: AS (\S+))?$/.exec(line);
    if (from) {
      if (!from[1]!.includes(':') && !from[1]!.startsWith('$')) t.ok(defined.includes(from[1]!), `FROM ${from[1]}: a stage defined above`);
      stage = from[2] ?? '';
      if (from[2]) defined.push(from[2]);
      continue;
    }
    const copyFrom = /--from=(\S+)/.exec(line);
    if (copyFrom) t.ok(defined.includes(copyFrom[1]!), `--from=${copyFrom[1]}: a stage defined above`);
    if (stage === 'runtime' && line.startsWith('COPY')) runtimeCopies.push(line);
  }
  t.equal(stage, 'runtime', 'the last stage is the runtime');
  t.same(
    runtimeCopies.filter((line) => /\b(services|shared|scripts)\b(?!\/healthcheck\.sh)/.test(line.replace(/dist\/services/g, ''))),
    [],
    'the runtime stage copies no sources (console sources included): only dist/, node_modules and the healthcheck',
  );
  t.ok(runtimeCopies.some((line) => line.includes('healthcheck.sh ./healthcheck.sh')), 'the healthcheck is in the image at /app');
  t.match(dockerfile, /npm ci --omit=dev/, 'production dependencies only in the runtime');
});

t.test('the services run as the Helm chart runs them: not root, read-only, after their dependencies are healthy', async (t) => {
  t.match(dockerfile, /^USER node$/m, 'the image runs as node, not root');
  for (const name of FLAGSHIP_SERVICES) {
    const service = compose.services[name]!;
    t.equal(service.user, 'node', `${name}: not root`);
    t.equal(service.read_only, true, `${name}: read-only root filesystem`);
    t.same(service.tmpfs, ['/tmp'], `${name}: /tmp the only place to write`);
    t.same(service.cap_drop, ['ALL']);
    t.same(service.depends_on, { postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } }, `${name}: starts once PostgreSQL and Redis are healthy`);
  }
});

t.test('the compose file and the Helm chart start the same entry points on the same ports', async (t) => {
  const chartValues = parse(await read('deploy/helm/flagship/values.yaml')) as Record<string, { port?: number }>;
  const deployments = await read('deploy/helm/flagship/templates/deployments.yaml');
  t.match(deployments, /dist\/services\/\{\{ \$component \}\}\/main\.js/, 'the chart runs dist/services/<service>/main.js');
  const ports = { api: 'PORT', notifier: 'NOTIFIER_PORT', worker: 'WORKER_PORT' } as const;
  for (const name of FLAGSHIP_SERVICES) {
    t.equal(String(chartValues[name]?.port), compose.services[name]!.environment![ports[name as keyof typeof ports]], `${name}: the same port`);
  }
});
