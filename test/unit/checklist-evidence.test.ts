import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { builtinChecklists, Checklist, checklistSchema, evaluateChecklist, ItemResult, parseChecklistText } from '../../src/engine/checklists';
import { renderChecklistItems } from '../../src/engine/checklists/readme';
import { Engine } from '../../src/engine/engine';
import { getRuleMeta } from '../../src/engine/rules';
import { currentRuleId, RETIRED_RULES } from '../../src/engine/rules/retired';
import { isSubjectId } from '../../src/engine/rules/subjects';
import { FILE_KINDS } from '../../src/engine/types';
import { writeWorkspace } from './helpers';

// Issue 19: checklist evidence that cannot pass by accident. Each state (pass, fail, n/a, not
// evaluated) on small workspaces; built-in and team checklists name rules that exist; evidence
// scoped by path; the items the issue adds; postmortems in another language.

const repo = path.resolve(__dirname, '../../..');

/** k8s/single-replica is in profile `all` (round 3): the tests that read it name it. */
const REPLICAS = { rules: { 'k8s/single-replica': 'warning' } };

async function engineFor(files: Record<string, string>, config?: object): Promise<Engine> {
  return Engine.create(await writeWorkspace(files, config), { now: new Date('2026-11-25T00:00:00Z') });
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

function builtin(id: string): Checklist {
  return builtinChecklists().find((c) => c.id === id)!;
}

function items(checklist: Checklist, engine: Engine): Map<string, ItemResult> {
  return new Map(evaluateChecklist(checklist, engine).items.map((i) => [i.id, i]));
}

function checklist(itemList: Checklist['sections'][number]['items']): Checklist {
  return checklistSchema.parse({ id: 'test', title: 'Test', description: 'A test checklist.', sections: [{ id: 'main', title: 'Main', items: itemList }] });
}

const LINT_ONLY = 'on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm run lint\n';

const DEPLOY_UNGATED = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: docker build -t registry.example.com/api:\${{ github.sha }} .
      - run: docker push registry.example.com/api:\${{ github.sha }}
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: kubectl --context production apply -f k8s/
`;

const DEPLOY_GATED = `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
  build:
    needs: test
    runs-on: ubuntu-latest
    steps:
      - run: docker build -t registry.example.com/api:\${{ github.sha }} .
      - run: trivy image --exit-code 1 registry.example.com/api:\${{ github.sha }}
      - run: docker push registry.example.com/api:\${{ github.sha }}
  deploy:
    needs: build
    environment: production
    runs-on: ubuntu-latest
    steps:
      - run: helm upgrade --install --atomic api chart/
`;

/** A literal password after an unterminated string: the parser loses it, so the rule cannot see it. */
const BROKEN_TF = 'resource "aws_db_instance" "db" {\n  engine = "postgres\n  password = "hunter2hunter2"\n}\n';

const GCP_OWNER = `resource "google_service_account" "ci" {
  account_id = "ci-deployer"
}

resource "google_project_iam_member" "ci_owner" {
  project = "acme-prod"
  role    = "roles/owner"
  member  = "serviceAccount:\${google_service_account.ci.email}"
}
`;

const GCP_SSH_OPEN = `resource "google_compute_firewall" "ssh" {
  name    = "allow-ssh"
  network = "default"
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
  source_ranges = ["0.0.0.0/0"]
}
`;

const deployment = (name: string, replicas: number): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: app
          image: "acme/${name}:1.4.2"
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /healthz, port: 8080}}
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
`;

const SLO = `version: prometheus/v1
service: api
labels: {owner: sre}
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
    alerting:
      name: ApiAvailability
      page_alert: {labels: {severity: critical}}
      ticket_alert: {labels: {severity: warning}}
`;

describe('checklist evidence: pass, fail, n/a and not evaluated (issue 19)', function () {
  this.timeout(60000);

  it('a lint-only workflow leaves deploy-jobs-gated, images-scanned and rollback-automated n/a with the reason, not pass', async () => {
    const r = items(builtin('release-gate'), await engineFor({ '.github/workflows/lint.yml': LINT_ONLY }, { profile: 'all' }));
    assert.equal(r.get('deploy-jobs-gated')!.state, 'na');
    assert.equal(r.get('deploy-jobs-gated')!.reason, 'no production deploy job in this workspace');
    assert.equal(r.get('images-scanned')!.state, 'na');
    assert.equal(r.get('images-scanned')!.reason, 'no job that pushes a container image in this workspace');
    assert.equal(r.get('rollback-automated')!.state, 'na');
    assert.equal(r.get('rollback-automated')!.reason, 'no production deploy job in this workspace');
    assert.equal(r.get('rollback-automated')!.blocking, false, 'n/a is settled');
  });

  it('a production deploy job passes when gated, scanned and with a rollback path, and fails when not, counting the jobs examined', async () => {
    // (profile `all`: deploy/gate-missing and deploy/rollback-missing are off by default.)
    const bad = items(builtin('release-gate'), await engineFor({ '.github/workflows/deploy.yml': DEPLOY_UNGATED }, { profile: 'all' }));
    assert.deepEqual(['deploy-jobs-gated', 'images-scanned', 'rollback-automated'].map((id) => bad.get(id)!.state), ['fail', 'fail', 'fail']);
    assert.deepEqual(bad.get('deploy-jobs-gated')!.evidence.map((e) => [e.file, e.line]), [['.github/workflows/deploy.yml', 8]]);
    const good = items(builtin('release-gate'), await engineFor({ '.github/workflows/deploy.yml': DEPLOY_GATED }, { profile: 'all' }));
    assert.deepEqual(['deploy-jobs-gated', 'images-scanned', 'rollback-automated'].map((id) => good.get(id)!.state), ['pass', 'pass', 'pass']);
    assert.deepEqual([good.get('deploy-jobs-gated')!.parts[0].checked, good.get('deploy-jobs-gated')!.parts[0].examined], [1, 'production deploy job']);
    assert.deepEqual([good.get('images-scanned')!.parts[0].checked, good.get('images-scanned')!.parts[0].examined], [1, 'job that pushes a container image']);
  });

  it('a .tf file that does not parse, hiding a literal password, makes no-hardcoded-secrets not evaluated, naming the file and line; it blocks', async () => {
    const engine = await engineFor({ 'infra/main.tf': BROKEN_TF });
    // Precondition: the parser lost the password, so the rule alone would report nothing.
    assert.deepEqual(engine.allFindings().filter((f) => f.ruleId === 'terraform/hardcoded-secret'), []);
    const r = evaluateChecklist(builtin('security'), engine);
    const item = r.items.find((i) => i.id === 'no-hardcoded-secrets')!;
    assert.equal(item.state, 'not-evaluated');
    assert.match(item.reason!, /^infra\/main\.tf:3 did not parse, so terraform\/hardcoded-secret could not check it$/);
    assert.deepEqual(item.evidence.map((e) => [e.file, e.line]), [['infra/main.tf', 3]]);
    assert.equal(item.blocking, true);
    assert.ok(r.blocking.includes('no-hardcoded-secrets'));
    assert.ok(r.notes.some((n) => n.startsWith('infra/main.tf:3 did not parse')));
    // A waiver with a note settles it, and keeps the reason.
    const waived = evaluateChecklist(builtin('security'), engine, { items: { 'no-hardcoded-secrets': { state: 'waived', note: 'the file is being rewritten in OPS-9' } } }).items.find((i) => i.id === 'no-hardcoded-secrets')!;
    assert.deepEqual([waived.state, waived.blocking, !!waived.reason], ['waived', false, true]);
  });

  it('the CLI shows not evaluated and n/a with their reasons (text and JSON) and blocks on not evaluated', async () => {
    // (profile `all`: deploy/gate-missing is off by default, and its item would say so instead.)
    const root = await writeWorkspace({ 'infra/main.tf': BROKEN_TF, '.github/workflows/lint.yml': LINT_ONLY }, { profile: 'all' });
    const text = await cli(['checklist', 'run', 'security', root]);
    assert.equal(text.code, 1);
    assert.match(text.out, /^ {2}NOT EVALUATED no-hardcoded-secrets: .*\n {16}infra\/main\.tf:3 did not parse, so terraform\/hardcoded-secret could not check it$/m);
    const json = await cli(['checklist', 'run', 'release-gate', root, '--format', 'json']);
    const out = JSON.parse(json.out) as { items: { id: string; state: string; reason: string | null }[] };
    const gated = out.items.find((i) => i.id === 'deploy-jobs-gated')!;
    assert.deepEqual([gated.state, gated.reason], ['na', 'no production deploy job in this workspace']);
    assert.equal(out.items.find((i) => i.id === 'tests-green')!.reason, null);
    // The gate alone: a team checklist whose only item is evidence. Not evaluated blocks (exit 1), n/a is settled (exit 0).
    const team = (rule: string): string => `id: only\ntitle: Only\ndescription: One evidence item.\nsections:\n  - id: main\n    title: Main\n    items:\n      - {id: one, text: One, why: The one thing that matters., evidence: {rules: [${rule}]}}\n`;
    const secrets = await writeWorkspace({ 'infra/main.tf': BROKEN_TF, '.opsreview/checklists/only.yml': team('terraform/hardcoded-secret') });
    assert.equal((await cli(['checklist', 'run', 'only', secrets])).code, 1);
    const gate = await writeWorkspace({ '.github/workflows/lint.yml': LINT_ONLY, '.opsreview/checklists/only.yml': team('deploy/gate-missing') }, { profile: 'all' });
    const na = await cli(['checklist', 'run', 'only', gate]);
    assert.equal(na.code, 0, na.out);
    assert.match(na.out, /^ {2}n\/a {11}one: One\n {16}no production deploy job in this workspace$/m);
    const md = await cli(['checklist', 'run', 'security', root, '--format', 'markdown']);
    assert.match(md.out, /^- \[ \] ❔ not evaluated — No password, token or key/m);
    assert.match(md.out, /^ {2}- infra\/main\.tf:3 did not parse, so terraform\/hardcoded-secret could not check it\.$/m);
  });

  it('IAM and ingress evidence counts the resources of any cloud, each rule what it reads: GCP grants and firewalls are examined, not n/a', async () => {
    // `profile: all`: terraform/iam-primitive-role is outside the default profile (there its part is n/a, saying so).
    const r = items(builtin('security'), await engineFor({ 'main.tf': GCP_OWNER + GCP_SSH_OPEN }, { profile: 'all' }));
    const [policies, grants] = r.get('least-privilege-iam')!.parts;
    assert.deepEqual([policies.label, policies.state, policies.reason], ['terraform/iam-wildcard', 'na', 'no AWS IAM policy in this workspace']);
    assert.deepEqual([grants.label, grants.checked, grants.examined], ['terraform/iam-primitive-role', 1, 'Google Cloud or Azure role grant']);
    const ingress = r.get('no-open-ingress')!.parts[0];
    assert.deepEqual([ingress.checked, ingress.examined], [1, 'security group or firewall rule']);
    // Without any IAM resource of any cloud it is n/a, saying so.
    const none = items(builtin('security'), await engineFor({ 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' }, { profile: 'all' }));
    assert.deepEqual([none.get('least-privilege-iam')!.state, none.get('least-privilege-iam')!.reason], ['na', 'no AWS IAM policy in this workspace; no Google Cloud or Azure role grant in this workspace']);
    // A narrow GCP role on a service account passes: the grant was examined and holds.
    const narrow = items(builtin('security'), await engineFor({ 'main.tf': GCP_OWNER.replace('roles/owner', 'roles/storage.objectViewer') }, { profile: 'all' }));
    assert.equal(narrow.get('least-privilege-iam')!.state, 'pass');
  });

  it('GCP roles/owner on a service account fails least-privilege-iam; SSH open to the world fails no-open-ingress', async () => {
    const r = items(builtin('security'), await engineFor({ 'main.tf': GCP_OWNER + GCP_SSH_OPEN }, { profile: 'all' }));
    assert.equal(r.get('least-privilege-iam')!.state, 'fail');
    assert.deepEqual(r.get('least-privilege-iam')!.evidence.map((e) => [e.ruleId, e.file]), [['terraform/iam-primitive-role', 'main.tf']]);
    assert.equal(r.get('no-open-ingress')!.state, 'fail');
    assert.deepEqual(r.get('no-open-ingress')!.evidence.map((e) => [e.ruleId, e.file]), [['terraform/open-ingress', 'main.tf']]);
  });

  it('rule evidence takes a path filter: a monorepo gates one service', async () => {
    const engine = await engineFor({ 'services/api/.github/workflows/x.yml': LINT_ONLY, 'services/api/k8s/api.yaml': deployment('api', 3), 'services/worker/k8s/worker.yaml': deployment('worker', 1) }, REPLICAS);
    const scoped = (p: string): Checklist =>
      checklist([{ id: 'replicated', text: 'Replicated', why: 'Redundancy needs at least two replicas.', evidence: { rules: ['k8s/single-replica'], path: p } }]);
    const api = evaluateChecklist(scoped('services/api/**'), engine).items[0];
    assert.deepEqual([api.state, api.parts[0].checked], ['pass', 1]);
    const worker = evaluateChecklist(scoped('services/worker/**'), engine).items[0];
    assert.equal(worker.state, 'fail');
    assert.deepEqual(worker.evidence.map((e) => e.file), ['services/worker/k8s/worker.yaml']);
    const none = evaluateChecklist(scoped('services/billing/**'), engine).items[0];
    assert.deepEqual([none.state, none.reason], ['na', 'no Deployment or StatefulSet in this workspace under services/billing/**']);
  });

  it('evidence takes a service filter: what the service model attributes to the service; an unknown service is not evaluated', async () => {
    const engine = await engineFor({ 'deploy/api.yaml': deployment('api', 3), 'deploy/worker.yaml': deployment('worker', 1) }, REPLICAS);
    const forService = (service: string): Checklist =>
      checklist([
        { id: 'replicated', text: 'Replicated', why: 'Redundancy needs at least two replicas.', evidence: { rules: ['k8s/single-replica'], service } },
        { id: 'slo', text: 'SLO', why: 'Reliability targets come first.', evidence: { queries: [{ exists: 'slo-spec', when: 'service-workload', service }] } },
      ]);
    const api = evaluateChecklist(forService('api'), engine).items;
    assert.deepEqual([api[0].state, api[0].parts[0].checked], ['pass', 1]);
    assert.match(api[1].evidence[0].message, /the workspace has 1 × service workload.*: deploy\/api\.yaml:1 Deployment 'api'\.$/);
    const worker = evaluateChecklist(forService('worker'), engine).items[0];
    assert.deepEqual([worker.state, worker.evidence.map((e) => e.file)], ['fail', ['deploy/worker.yaml']]);
    const unknown = evaluateChecklist(forService('billing'), engine).items;
    assert.deepEqual(unknown.map((i) => i.state), ['not-evaluated', 'not-evaluated']);
    assert.equal(unknown[0].reason, "no service 'billing' in this workspace (services: api, worker), so it was not evaluated");
  });

  it('a single-replica production Deployment fails readiness; an autoscaler with a minimum of 2 or a non-production file does not', async () => {
    const hpa = (min: number): string => `---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n  minReplicas: ${min}\n  maxReplicas: 10\n`;
    const single = await engineFor({ 'k8s/api.yaml': deployment('api', 1) }, REPLICAS);
    const f = single.allFindings().filter((x) => x.ruleId === 'k8s/single-replica');
    assert.deepEqual(f.map((x) => x.range.start.line), [4]);
    assert.match(f[0].message, /^Deployment 'api' runs one replica: one node drain, crash or rollout takes it down\./);
    assert.equal(items(builtin('production-readiness'), single).get('replicated')!.state, 'fail');
    const lowHpa = (await engineFor({ 'k8s/api.yaml': deployment('api', 1) + hpa(1) }, REPLICAS)).allFindings().filter((x) => x.ruleId === 'k8s/single-replica');
    assert.match(lowHpa[0].message, /HorizontalPodAutoscaler lets it scale down to 1/);
    assert.deepEqual((await engineFor({ 'k8s/api.yaml': deployment('api', 1) + hpa(2) }, REPLICAS)).allFindings().filter((x) => x.ruleId === 'k8s/single-replica'), []);
    assert.deepEqual((await engineFor({ 'examples/api.yaml': deployment('api', 1) }, REPLICAS)).allFindings().filter((x) => x.ruleId === 'k8s/single-replica'), []);
    const two = await engineFor({ 'k8s/api.yaml': deployment('api', 2) }, REPLICAS);
    assert.equal(items(builtin('production-readiness'), two).get('replicated')!.state, 'pass');
    // The fix sets two replicas.
    assert.deepEqual(f[0].fixes![0].edits.map((e) => e.newText), ['2']);
  });

  it('k8s/single-replica leaves single-instance data stores and workloads no Service sends traffic to alone', async () => {
    const ids = async (files: Record<string, string>) => (await engineFor(files, REPLICAS)).allFindings().filter((x) => x.ruleId === 'k8s/single-replica').map((x) => x.path.split('/').pop());
    const db = deployment('orders-db', 1).replace(/image: \S+/, 'image: docker.io/library/postgres:16.4');
    assert.deepEqual(await ids({ 'k8s/db.yaml': db }), [], 'a second postgres pod is no replica: replication is');
    const service = (app: string) => `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${app}}\nspec:\n  selector: {app: ${app}}\n  ports: [{port: 80}]\n`;
    // With the workspace's Services known: the served Deployment is reported, the load generator is not.
    assert.deepEqual(await ids({ 'k8s/api.yaml': deployment('api', 1) + service('api'), 'k8s/loadgen.yaml': deployment('loadgen', 1) }), ['api.yaml']);
  });

  it('a workspace that runs services but has no SLO spec or no alert rules fails, naming the services; without services it is n/a', async () => {
    const noSlo = items(builtin('production-readiness'), await engineFor({ 'k8s/api.yaml': deployment('api', 2) }));
    assert.equal(noSlo.get('slo-for-workloads')!.state, 'fail');
    assert.match(noSlo.get('slo-for-workloads')!.evidence[0].message, /^None found: an SLO spec exists for the services this workspace runs; the workspace has 1 × service workload.*: k8s\/api\.yaml:1 Deployment 'api'\.$/);
    assert.equal(noSlo.get('alerts-for-workloads')!.state, 'fail');
    const withSlo = items(builtin('production-readiness'), await engineFor({ 'k8s/api.yaml': deployment('api', 2), 'slos/api.yaml': SLO }));
    assert.equal(withSlo.get('slo-for-workloads')!.state, 'pass');
    const ecs = items(builtin('production-readiness'), await engineFor({ 'main.tf': 'resource "aws_ecs_service" "api" {\n  name = "api"\n}\n' }));
    assert.equal(ecs.get('slo-for-workloads')!.state, 'fail', 'a cloud service in Terraform is a service too');
    const none = items(builtin('production-readiness'), await engineFor({ 'runbooks/db.md': '---\nowner: sre\n---\n# DB\n' }));
    assert.deepEqual([none.get('slo-for-workloads')!.state, none.get('slo-for-workloads')!.reason], ['na', 'no service workload (Deployment, StatefulSet, DaemonSet, or a cloud service in Terraform) in this workspace']);
  });

  it('FinOps: a budget resource of any cloud, or an alert on spend, proves the budget item; without one it fails; without Terraform it is n/a', async () => {
    const prItems = async (files: Record<string, string>) => items(builtin('production-readiness'), await engineFor(files)).get('budget-or-spend-alert')!;
    assert.equal((await prItems({ 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' })).state, 'fail');
    assert.equal((await prItems({ 'main.tf': 'resource "google_billing_budget" "b" {\n  billing_account = "x"\n}\n' })).state, 'pass');
    assert.equal((await prItems({ 'main.tf': 'resource "azurerm_consumption_budget_subscription" "b" {\n  name = "x"\n}\n' })).state, 'pass');
    assert.equal((await prItems({ 'main.tf': 'resource "aws_cloudwatch_metric_alarm" "bill" {\n  metric_name = "EstimatedCharges"\n  namespace = "AWS/Billing"\n}\n' })).state, 'pass');
    const alert = 'groups:\n  - name: cost\n    rules:\n      - alert: CloudSpendAboveForecast\n        expr: sum(cloud_cost_daily) > 1000\n        labels: {severity: warning}\n';
    assert.equal((await prItems({ 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n', 'alerts/cost.rules.yml': alert })).state, 'pass');
    assert.equal((await prItems({ 'runbooks/db.md': '---\nowner: sre\n---\n# DB\n' })).state, 'na');
  });

  it('security: a runbook for a security incident is evidence; a runbook about something else is not', async () => {
    const sec = async (files: Record<string, string>) => items(builtin('security'), await engineFor(files)).get('security-incident-runbook')!;
    assert.equal((await sec({ 'runbooks/db.md': '---\nowner: sre\n---\n# Database failover\n\n## Steps\n- Promote the replica.\n' })).state, 'fail');
    assert.equal((await sec({ 'runbooks/breach.md': '---\nowner: security\n---\n# Security incident response\n\n## Contain\n- Revoke the keys.\n' })).state, 'pass');
    assert.equal((await sec({ 'runbooks/keys.md': '---\nowner: security\n---\n# AWS keys\n\n## Leaked credentials\n- Deactivate the key.\n' })).state, 'pass');
    assert.equal(builtin('security').sections.flatMap((s) => s.items).find((i) => i.id === 'security-incident-drilled')!.manual, true);
  });
});

describe('checklist evidence: rule ids exist (issue 19)', function () {
  this.timeout(30000);

  it('every rule id a built-in checklist names exists (a retired id counts as its successor), and every query kind is a file kind or a subject', () => {
    const missing: string[] = [];
    for (const c of builtinChecklists()) {
      for (const item of c.sections.flatMap((s) => s.items)) {
        for (const id of item.evidence?.rules ?? []) {
          if (!getRuleMeta(currentRuleId(id))) missing.push(`${c.id}/${item.id}: ${id}`);
          assert.equal(RETIRED_RULES[id], undefined, `${c.id}/${item.id} names retired ${id}: name ${currentRuleId(id)}`);
        }
        for (const q of item.evidence?.queries ?? []) {
          const names = ('exists' in q ? [q.exists, q.when ?? []] : [q.every]).flat();
          for (const n of names) assert.ok((FILE_KINDS as readonly string[]).includes(n) || isSubjectId(n), `${c.id}/${item.id}: ${n} is a file kind or a subject`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  it('the team checklist the README shows names rules that exist and parses without a diagnostic', () => {
    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    const m = /```yaml\n(# \.opsreview\/checklists\/[\s\S]*?)```/.exec(readme);
    assert.ok(m, 'the README shows a team checklist');
    const parsed = parseChecklistText(m[1], 'README example');
    assert.deepEqual(parsed.errors.map((e) => e.message), []);
    assert.ok(parsed.checklist!.sections.flatMap((s) => s.items).some((i) => i.evidence?.rules?.length), 'it has rule evidence');
  });

  it('production readiness `runbooks-owned` is evaluated through the successor of the retired runbook/owner-missing', async () => {
    // `profile: all`: runbook/frontmatter-missing is outside the default profile (there the part is n/a, saying so).
    const engine = await engineFor({ 'runbooks/db.md': '---\nservice: db\ntags: [db]\n---\n# DB failover\n' }, { profile: 'all' });
    const item = items(builtin('production-readiness'), engine).get('runbooks-owned')!;
    assert.equal(item.state, 'fail');
    assert.ok(item.evidence.some((e) => e.ruleId === 'runbook/frontmatter-missing' && e.file === 'runbooks/db.md'));
    // A team checklist still naming the retired id is evaluated through its successor.
    const old = checklist([{ id: 'owned', text: 'Owned', why: 'An unowned runbook is not maintained.', evidence: { rules: ['runbook/owner-missing'] } }]);
    const r = evaluateChecklist(old, engine).items[0];
    assert.deepEqual([r.state, r.parts[0].label], ['fail', 'runbook/frontmatter-missing']);
  });

  it('a team checklist naming an unknown rule gets a diagnostic with its file and line; a retired id gets a note naming the successor', async () => {
    const team = [
      'id: db-change', // 0
      'title: Database change',
      'description: Before a migration.',
      'sections:',
      '  - id: main',
      '    title: Main',
      '    items:',
      '      - id: backups',
      '        text: Backups',
      '        why: A migration is when a restore is needed.',
      '        evidence:',
      '          rules:',
      '            - terraform/backup-missing',
      '            - terraform/backups-mising', // 13
      '            - runbook/owner-missing', // 14
      '      - id: slo',
      '        text: SLO',
      '        why: Reliability targets come first.',
      '        evidence:',
      '          queries:',
      '            - exists: slo-specs', // 20
      '              when: [service-workload]',
    ].join('\n');
    const engine = await engineFor({ '.opsreview/checklists/db.yml': team });
    const diags = engine.allFindings().filter((f) => f.path.endsWith('.opsreview/checklists/db.yml'));
    assert.deepEqual(
      diags.map((d) => [d.range.start.line, d.severity, d.message]),
      [
        [13, 'warning', "checklist sections.0.items.0.evidence.rules.1: unknown rule 'terraform/backups-mising' (see `opsreview rules`): item 'backups' is not evaluated and blocks the gate until the id is fixed."],
        [14, 'info', `checklist sections.0.items.0.evidence.rules.2: rule runbook/owner-missing was retired in 0.2.0; it now means runbook/frontmatter-missing (${RETIRED_RULES['runbook/owner-missing'].note}). Write runbook/frontmatter-missing.`],
        [20, 'warning', "checklist sections.0.items.1.evidence.queries.0.exists: unknown file kind or subject 'slo-specs': item 'slo' is not evaluated and blocks the gate until it is fixed."],
      ],
    );
    // The checklist is still offered; the item is not evaluated and blocks.
    const cl = (await cli(['checklist', 'run', 'db-change', engine.root, '--format', 'json'])).out;
    const item = (JSON.parse(cl) as { items: { id: string; state: string; reason: string }[] }).items[0];
    assert.equal(item.state, 'not-evaluated');
    assert.match(item.reason, /rule terraform\/backups-mising is not known/);
  });
});

describe('checklist evidence: postmortems in any language (issue 19)', function () {
  this.timeout(30000);

  const GERMAN = {
    postmortems: {
      requiredSections: ['Zusammenfassung', 'Auswirkung', 'Zeitablauf', 'Ursache', 'Maßnahmen'],
      actionItemHeadings: ['Maßnahmen'],
      blamePhrases: [{ phrase: 'menschliche[sn]? (Versagen|Fehler)', instead: 'beschreibt, was das System zugelassen hat' }, 'fahrlässig(keit)?'],
      blameNegations: ['nicht', 'kein', 'keine', 'niemand'],
    },
  };
  const pm = (cause: string): string =>
    `---\ntype: postmortem\n---\n# Ausfall der Zahlungs-API\n\n## Zusammenfassung\nDie API war 20 Minuten nicht erreichbar.\n\n## Auswirkung\n3 % der Zahlungen schlugen fehl.\n\n## Zeitablauf\n- 14:02 Deployment\n\n## Ursache\n${cause}\n\n## Maßnahmen\n- [ ] Review-Schritt für Migrationen (owner: @ana, due: 2026-12-01)\n`;

  it('the postmortem checklist follows the configured sections: German headings pass, the English defaults do not apply', async () => {
    const german = items(builtin('postmortem'), await engineFor({ 'postmortems/2026-11-01.md': pm('Eine Migration sperrte die Tabelle.') }, GERMAN));
    assert.equal(german.get('sections-present')!.state, 'pass');
    // The same file against the English defaults lacks every section.
    const english = items(builtin('postmortem'), await engineFor({ 'postmortems/2026-11-01.md': pm('Eine Migration sperrte die Tabelle.') }));
    assert.equal(english.get('sections-present')!.state, 'fail');
  });

  it('blame phrases are a configurable list: German phrases are found, a negated one is not, and the English defaults still work', async () => {
    const blamed = await engineFor({ 'postmortems/a.md': pm('Menschliches Versagen beim Deployment; das war fahrlässig.') }, GERMAN);
    const found = blamed.allFindings().filter((f) => f.ruleId === 'postmortem/blame-language');
    assert.deepEqual(found.map((f) => f.message.split('"')[1]), ['Menschliches Versagen', 'fahrlässig']);
    assert.match(found[0].message, /beschreibt, was das System zugelassen hat/);
    assert.equal(items(builtin('postmortem'), blamed).get('blameless')!.state, 'fail');
    const negated = await engineFor({ 'postmortems/a.md': pm('Es war kein menschliches Versagen, sondern ein fehlender Review-Schritt.') }, GERMAN);
    assert.deepEqual(negated.allFindings().filter((f) => f.ruleId === 'postmortem/blame-language'), []);
    assert.equal(items(builtin('postmortem'), negated).get('blameless')!.state, 'pass');
    const english = await engineFor({ 'postmortems/a.md': '# Outage\n\n## Root cause\nHuman error: the engineer should have checked. It was not human error alone.\n' });
    assert.deepEqual(english.allFindings().filter((f) => f.ruleId === 'postmortem/blame-language').map((f) => f.message.split('"')[1]), ['Human error', 'should have checked']);
  });

  it('an invalid blame phrase is a config error naming the entry, not a crash', async () => {
    const engine = await engineFor({ 'postmortems/a.md': '# x\n' }, { postmortems: { blamePhrases: ['(unclosed'] } });
    assert.ok(engine.configErrors.some((e) => /postmortems\.blamePhrases\.0/.test(e.message) && /not a valid regular expression/.test(e.message)), engine.configErrors.map((e) => e.message).join('\n'));
  });
});

describe('checklist evidence: README (issue 19)', () => {
  it('the README lists each built-in item with what proves it, generated from the checklists (run `node scripts/gen-readme.mjs`)', () => {
    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    const m = /<!-- checklists:start -->\n([\s\S]*?)<!-- checklists:end -->/.exec(readme);
    assert.ok(m, 'README.md has the checklists markers');
    assert.equal(m[1], renderChecklistItems());
    for (const c of builtinChecklists()) for (const i of c.sections.flatMap((s) => s.items)) assert.ok(m[1].includes(`| \`${i.id}\` |`), `${c.id}/${i.id} is listed`);
    assert.match(m[1], /\| `deploy-jobs-gated` \| .* \| \[`deploy\/gate-missing`\]\(docs\/rules\/deploy\/gate-missing\.md\) \(each production deploy job\) \|/);
  });
});
