import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service } from 'kubernetes-models/v1';
import { CONFIG_VARIABLES } from '../../shared/config/index.js';

// deploy/helm/flagship, as Helm itself renders it: `helm lint` and `helm
// template` with the real Helm binary (scripts/install-helm.sh: from an npm
// package that ships it, as no Kubernetes cluster or other registry is
// reachable here), then every rendered object validated against the
// Kubernetes API's JSON schemas (the kubernetes-models package: types,
// required fields, enums, formats; it does not reject unknown fields) and
// held to what the deployment needs.

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHART = path.join(ROOT, 'deploy/helm/flagship');
const run = promisify(execFile);
const helm = (await run('bash', [path.join(ROOT, 'scripts/install-helm.sh')], { timeout: 240_000 })).stdout.trim();
const SECRET_NAMES = ['--set', 'secrets.database.name=flagship-database', '--set', 'secrets.redis.name=flagship-redis'];

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: any;
}

async function render(...args: string[]): Promise<Manifest[]> {
  const { stdout } = await run(helm, ['template', 'flagship', CHART, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return parseAllDocuments(stdout).map((document) => document.toJS()).filter((manifest): manifest is Manifest => manifest !== null);
}

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/Service': Service,
};

/** Each manifest's schema errors (empty: all valid); a kind the chart should not make is an error too. */
function schemaErrors(manifests: Manifest[]): string[] {
  return manifests.flatMap((manifest) => {
    const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
    if (!Model) return [`${manifest.apiVersion} ${manifest.kind}: not a kind this chart makes`];
    try {
      new Model(manifest).validate();
      return [];
    } catch (error) {
      return [`${manifest.kind} ${manifest.metadata.name}: ${String(error)}`];
    }
  });
}

const of = (manifests: Manifest[], kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const SERVICES = { api: 8080, notifier: 8081, worker: 8082 } as const;

t.test('helm lint passes with only the names of existing Secrets', async (t) => {
  const { stdout } = await run(helm, ['lint', CHART, ...SECRET_NAMES]);
  t.match(stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
});

t.test('the default values and two Secret names render valid Kubernetes objects', async (t) => {
  const manifests = await render(...SECRET_NAMES);
  t.same(schemaErrors(manifests), [], 'every object matches the Kubernetes schema');
  t.same(of(manifests, 'StatefulSet'), [], 'no bundled PostgreSQL by default');
  t.same(of(manifests, 'Deployment').map((deployment) => deployment.metadata.name).sort(), ['flagship-api', 'flagship-notifier', 'flagship-worker']);

  for (const [service, port] of Object.entries(SERVICES)) {
    const deployment = of(manifests, 'Deployment').find((item) => item.metadata.name === `flagship-${service}`)!;
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    t.same(container.command, ['node', '--enable-source-maps', `dist/services/${service}/main.js`], `${service}: its entry point in the one image`);
    t.equal(container.image, 'flagship:0.1.0', `${service}: the same image`);
    t.same(container.ports, [{ name: 'http', containerPort: port, protocol: 'TCP' }]);
    t.match(container.livenessProbe, { httpGet: { path: '/healthz', port: 'http' } }, `${service}: liveness on /healthz`);
    t.match(container.readinessProbe, { httpGet: { path: '/readyz', port: 'http' } }, `${service}: readiness on /readyz`);
    t.ok(container.resources.requests.cpu && container.resources.requests.memory && container.resources.limits.memory, `${service}: resources`);
    t.match(pod.securityContext, { runAsNonRoot: true, runAsUser: 1000 }, `${service}: not root`);
    t.match(container.securityContext, { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    t.same(container.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }], `${service}: /tmp is the only place it writes`);
    t.match(pod.volumes, [{ name: 'tmp', emptyDir: {} }]);
    const env = Object.fromEntries(container.env.map((variable: { name: string }) => [variable.name, variable]));
    t.match(env.DATABASE_URL, { valueFrom: { secretKeyRef: { name: 'flagship-database', key: 'DATABASE_URL' } } }, `${service}: DATABASE_URL from the Secret`);
    t.match(env.REDIS_URL, { valueFrom: { secretKeyRef: { name: 'flagship-redis', key: 'REDIS_URL' } } });
    t.same(Object.keys(env).filter((name) => !CONFIG_VARIABLES.includes(name)), [], `${service}: only variables FlagShip reads`);
    t.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0, `${service}: a rolling update never lowers the ready count`);

    const selector = deployment.spec.selector.matchLabels;
    const budget = of(manifests, 'PodDisruptionBudget').find((item) => item.metadata.name === `flagship-${service}`);
    t.same(budget?.spec.selector.matchLabels, selector, `${service}: a PodDisruptionBudget over its pods`);
    const serviceObject = of(manifests, 'Service').find((item) => item.metadata.name === `flagship-${service}`);
    t.same(serviceObject?.spec.selector, selector, `${service}: a Service over its pods`);
    t.match(serviceObject?.spec.ports, [{ port, targetPort: 'http' }]);
  }
  const scaled = of(manifests, 'HorizontalPodAutoscaler').map((hpa) => hpa.spec.scaleTargetRef.name).sort();
  t.same(scaled, ['flagship-api', 'flagship-notifier'], 'the API and the notifiers scale on CPU; the worker does not by default');
  for (const name of scaled) t.notOk(of(manifests, 'Deployment').find((item) => item.metadata.name === name)!.spec.replicas, `${name}: replicas left to its HPA`);
});

t.test('the migration Job runs before new pods serve, with the same image and Secrets', async (t) => {
  const [job] = of(await render(...SECRET_NAMES), 'Job');
  t.ok(job, 'a migration Job');
  t.equal(job!.metadata.annotations?.['helm.sh/hook'], 'pre-install,pre-upgrade');
  t.match(job!.metadata.annotations?.['helm.sh/hook-delete-policy'], /before-hook-creation/);
  const container = job!.spec.template.spec.containers[0];
  t.same(container.command, ['node', '--enable-source-maps', 'dist/shared/db/migrate-cli.js']);
  t.match(container.securityContext, { readOnlyRootFilesystem: true });
  t.match(container.env.find((variable: { name: string }) => variable.name === 'DATABASE_URL'), { valueFrom: { secretKeyRef: { name: 'flagship-database' } } });
  t.equal(job!.spec.template.spec.restartPolicy, 'Never');
});

t.test('behind a transaction-pooling PgBouncer: the notifier and the migration get the direct URL', async (t) => {
  const manifests = await render(...SECRET_NAMES, '--set', 'secrets.directDatabase.name=flagship-database-direct');
  t.same(schemaErrors(manifests), []);
  const databaseSecretOf = (containers: any[]) =>
    containers[0].env.find((variable: { name: string }) => variable.name === 'DATABASE_URL').valueFrom.secretKeyRef.name;
  const deployments = Object.fromEntries(of(manifests, 'Deployment').map((item) => [item.metadata.name, databaseSecretOf(item.spec.template.spec.containers)]));
  t.same(deployments, { 'flagship-api': 'flagship-database', 'flagship-notifier': 'flagship-database-direct', 'flagship-worker': 'flagship-database' });
  t.equal(databaseSecretOf(of(manifests, 'Job')[0]!.spec.template.spec.containers), 'flagship-database-direct');
});

t.test('without the Secret names, helm says which value is missing', async (t) => {
  const failure = await run(helm, ['template', 'flagship', CHART]).then(() => undefined, (error: { stderr: string }) => error.stderr);
  t.match(failure, /secrets\.database\.name/);
  const noRedis = await run(helm, ['template', 'flagship', CHART, '--set', 'secrets.database.name=db']).then(() => undefined, (error: { stderr: string }) => error.stderr);
  t.match(noRedis, /secrets\.redis\.name/);
});

t.test('the bundled PostgreSQL and Redis, the ingress and the admin token render valid objects when asked for', async (t) => {
  const manifests = await render(
    '--set', 'postgresql.enabled=true', '--set', 'postgresql.auth.existingSecret=flagship-postgres',
    '--set', 'redis.enabled=true', '--set', 'ingress.enabled=true',
    '--set', 'secrets.adminToken.name=flagship-admin',
  );
  t.same(schemaErrors(manifests), [], 'every object matches the Kubernetes schema');
  t.same(of(manifests, 'StatefulSet').map((item) => item.metadata.name), ['flagship-postgresql']);
  t.ok(of(manifests, 'Deployment').some((item) => item.metadata.name === 'flagship-redis'));
  const api = of(manifests, 'Deployment').find((item) => item.metadata.name === 'flagship-api')!.spec.template.spec.containers[0];
  const env = Object.fromEntries(api.env.map((variable: { name: string }) => [variable.name, variable]));
  t.equal(env.DATABASE_URL.value, 'postgres://postgres:$(POSTGRES_PASSWORD)@flagship-postgresql:5432/flagship');
  t.equal(env.REDIS_URL.value, 'redis://flagship-redis:6379');
  t.match(env.FLAGSHIP_ADMIN_TOKEN, { valueFrom: { secretKeyRef: { name: 'flagship-admin' } } });
  t.equal(of(manifests, 'Job')[0]!.metadata.annotations?.['helm.sh/hook'], 'pre-upgrade', 'no database before the install: the pods migrate at start');
  const paths = of(manifests, 'Ingress')[0]!.spec.rules[0].http.paths.map((entry: any) => [entry.path, entry.backend.service.name]);
  t.same(paths, [['/socket.io/', 'flagship-notifier'], ['/', 'flagship-api']]);
});
