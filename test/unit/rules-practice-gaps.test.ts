import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { applyFix, lintFixture, rangeOf } from './helpers';

// The remaining practice gaps: escalation in alert-response runbooks, secrets and disruption
// budgets in manifests, image scanning in pipelines, database backups and log retention.

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('runbook/escalation-missing', () => {
  const R = 'runbook/escalation-missing';
  const runbook = (type: string, ...body: string[]) => lines('---', `type: ${type}`, 'owner: sre', 'service: api', 'tags: [api]', '---', '# API errors', '', '## Triage', '1. Look at the dashboard.', ...body);

  it('reports an alert-type runbook without escalation, on its type, and the appended section passes', async () => {
    const text = runbook('alert');
    const res = await lintFixture({ 'runbooks/api.md': text }, { rule: R });
    assert.deepEqual(res.findings.map(rangeOf), [[1, 6, 1, 11]]);
    const fixed = applyFix(text, res.findings[0].fixes![0]);
    assert.match(fixed, /1\. Look at the dashboard\.\n\n## Escalation\n\n<!-- .* -->\n$/);
    assert.deepEqual((await lintFixture({ 'runbooks/api.md': fixed })).findings, []);
  });

  it('reports a runbook an alert links in runbook_url, naming the alert; re-checks when the link goes', async () => {
    const alerts = lines('groups:', '  - name: g', '    rules:', '      - alert: ApiErrors', '        expr: x > 1', '        annotations:', '          runbook_url: ../runbooks/api.md');
    const res = await lintFixture({ 'runbooks/api.md': runbook('guide'), 'alerts/api.yml': alerts }, { rule: R });
    assert.equal(res.findings.length, 1);
    assert.match(res.findings[0].message, /is linked from alert 'ApiErrors' but says nowhere whom to escalate to/);
    const rb = path.posix.join(res.engine.index.root, 'runbooks/api.md');
    const change = await res.engine.update(path.posix.join(res.engine.index.root, 'alerts/api.yml'), alerts.replace('runbook_url: ../runbooks/api.md', 'summary: x'));
    assert.ok(change.relint.includes(rb));
    assert.deepEqual(res.engine.lintFile(rb), []);
  });

  it('accepts an on-call heading or a link to an escalation policy; ignores other runbooks', async () => {
    const res = await lintFixture({
      'runbooks/a.md': runbook('alert', '', '## On-call contacts', '- payments secondary'),
      'runbooks/b.md': runbook('incident', '', 'Page the [secondary](https://acme.pagerduty.com/escalation_policies/P1).'),
      'runbooks/c.md': runbook('deploy', '', '## Rollback', '- helm rollback api'),
    }, { rule: R });
    assert.deepEqual(res.findings, []);
  });

  // Issue 15 (round 1): 96 findings on a repository whose runbooks keep no escalation section,
  // two of which happened to link a PagerDuty page: one decision, reported once.
  it('reports once when no runbook keeps an escalation section, even if a few link a paging tool in passing', async () => {
    const files: Record<string, string> = {};
    for (const n of ['a', 'b', 'c', 'd']) files[`runbooks/${n}.md`] = runbook('alert');
    files['runbooks/e.md'] = runbook('alert', '', 'The service is in [PagerDuty](https://acme.pagerduty.com/services/P1).');
    files['runbooks/f.md'] = runbook('alert', '', 'See the [on-call handbook](https://handbook.example.com/on-call).');
    const res = await lintFixture(files, { rule: R });
    assert.equal(res.findings.length, 1, res.findings.map((f) => f.message).join(' | '));
    assert.match(res.findings[0].message, /^None of the 4 alert-response runbooks in this repository says whom to escalate to/);
    // Once two runbooks keep an escalation section, each one without it is reported.
    files['runbooks/g.md'] = runbook('alert', '', '## Escalation', '- Page the payments secondary.');
    files['runbooks/h.md'] = runbook('alert', '', '## Escalation', '- Page the payments secondary.');
    assert.equal((await lintFixture(files, { rule: R })).findings.length, 4);
  });
});

describe('k8s/secret-literal', () => {
  const R = 'k8s/secret-literal';
  it('reports data and stringData literals, names the keys, and skips SOPS, templated, empty, test data and other kinds', async () => {
    const res = await lintFixture({
      'k8s/secret.yaml': lines('apiVersion: v1', 'kind: Secret', 'metadata: {name: db}', 'data:', '  password: cGFzc3dvcmQ=', '  user: YWRtaW4=', 'stringData:', '  token: abc'),
      'k8s/sops.yaml': lines('apiVersion: v1', 'kind: Secret', 'metadata: {name: db}', 'data:', '  password: ENC[AES256_GCM,data:xx,type:str]', 'sops:', '  version: 3.8.1'),
      'k8s/templated.yaml': lines('apiVersion: v1', 'kind: Secret', 'metadata: {name: db}', 'stringData:', '  password: ${DB_PASSWORD}', '  empty: ""'),
      'k8s/sealed.yaml': lines('apiVersion: bitnami.com/v1alpha1', 'kind: SealedSecret', 'metadata: {name: db}', 'spec:', '  encryptedData:', '    password: AgBy3i4OJSWK+PiTySYZZA=='),
      'cmd/testdata/secret.yaml': lines('apiVersion: v1', 'kind: Secret', 'metadata: {name: fake}', 'stringData: {token: not-a-real-token}'),
      'k8s/list.yaml': lines('apiVersion: v1', 'kind: List', 'items:', '  - apiVersion: v1', '    kind: Secret', '    metadata: {name: in-list}', '    stringData: {key: value}'),
    }, { rule: R });
    assert.deepEqual(res.findings.map((f) => `${path.posix.basename(f.path)} ${rangeOf(f).join(',')}`), ['list.yaml 6,4,6,14', 'secret.yaml 3,0,3,4', 'secret.yaml 6,0,6,10']);
    assert.match(res.findings[1].message, /Secret 'db' holds 2 literal values in `data` \(`password`, `user`\)/);
    // A configuration file in a Secret: reported (milder) only when it holds a credential field.
    const config = await lintFixture({
      'k8s/am.yaml': lines('apiVersion: v1', 'kind: Secret', 'metadata: {name: alertmanager-main}', 'stringData:', '  alertmanager.yaml: |', '    route: {receiver: x}', '    receivers:', '    - name: x', '      slack_configs:', '      - slack_api_url: https://hooks.slack.com/services/T1/B2/c3'),
      'k8s/am-routes.yaml': lines('apiVersion: v1', 'kind: Secret', 'metadata: {name: alertmanager-routes}', 'stringData:', '  alertmanager.yaml: |', '    route: {receiver: x}'),
    }, { rule: R });
    assert.deepEqual(config.findings.map((f) => `${path.posix.basename(f.path)} ${f.severity}`), ['am.yaml info']);
  });
});

describe('k8s/pdb-missing', () => {
  const R = 'k8s/pdb-missing';
  const deploy = (replicas: number, labels = 'app: web') => lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  namespace: shop', 'spec:', `  replicas: ${replicas}`, '  selector:', '    matchLabels:', `      ${labels}`, '  template:', '    metadata:', '      labels:', `        ${labels}`, '        tier: front', '    spec:', '      containers: [{name: web, image: "web:1.0"}]');

  it('reports more than one replica without a PDB, and the appended PDB silences it', async () => {
    const text = deploy(3);
    const res = await lintFixture({ 'k8s/web.yaml': text }, { rule: R });
    assert.deepEqual(res.findings.map(rangeOf), [[6, 12, 6, 13]]);
    const fixed = applyFix(text, res.findings[0].fixes![0]);
    assert.match(fixed, /\n---\napiVersion: policy\/v1\nkind: PodDisruptionBudget\nmetadata:\n {2}name: web\n {2}namespace: shop\nspec:\n {2}maxUnavailable: 1\n {2}selector:\n {4}matchLabels:\n {6}app: web\n$/);
    assert.deepEqual((await lintFixture({ 'k8s/web.yaml': fixed }, { rule: R })).findings, []);
  });

  it('finds a PDB in another file by matchLabels or matchExpressions, not one in another namespace or selecting other pods', async () => {
    const pdb = (ns: string, selector: string) => lines('apiVersion: policy/v1', 'kind: PodDisruptionBudget', `metadata: {name: p, namespace: ${ns}}`, 'spec:', '  minAvailable: 1', `  selector: ${selector}`);
    const cases: [string, boolean][] = [
      [pdb('shop', '{matchLabels: {app: web}}'), true],
      [pdb('shop', '{matchExpressions: [{key: tier, operator: In, values: [front]}]}'), true],
      [pdb('other', '{matchLabels: {app: web}}'), false],
      [pdb('shop', '{matchLabels: {app: api}}'), false],
    ];
    for (const [p, covered] of cases) {
      const res = await lintFixture({ 'k8s/web.yaml': deploy(2), 'k8s/pdb.yaml': p }, { rule: R });
      assert.equal(res.findings.length, covered ? 0 : 1, p);
    }
  });

  it('is silent for one replica or none (an autoscaler decides)', async () => {
    const res = await lintFixture({ 'a.yaml': deploy(1), 'b.yaml': deploy(1).replace('  replicas: 1\n', '') }, { rule: R });
    assert.deepEqual(res.findings, []);
  });
});

describe('deploy/scan-missing', () => {
  const R = 'deploy/scan-missing';
  const wf = (...steps: string[]) => lines('on: push', 'jobs:', '  image:', '    runs-on: ubuntu-latest', '    steps:', ...steps);

  it('reports a job that pushes with docker push or build-push-action push: true, on the job key', async () => {
    const res = await lintFixture({
      '.github/workflows/a.yml': wf('      - run: docker build -t x . && docker push x'),
      '.github/workflows/b.yml': wf('      - uses: docker/build-push-action@v6', '        with:', '          push: true', '          tags: x'),
      '.gitlab-ci.yml': lines('build:', '  image: gcr.io/kaniko-project/executor:debug', '  script:', '    - /kaniko/executor --context . --destination $CI_REGISTRY_IMAGE'),
    }, { rule: R });
    assert.deepEqual(res.findings.map((f) => `${path.posix.basename(f.path)} ${rangeOf(f).join(',')}`).sort(), ['.gitlab-ci.yml 0,0,0,5', 'a.yml 2,2,2,7', 'b.yml 2,2,2,7']);
    assert.match(res.findings.find((f) => f.path.endsWith('b.yml'))!.message, /pushes a container image \(docker\/build-push-action\)/);
  });

  it('counts GoReleaser after a registry login as a push, and an SBOM generator is not a scan', async () => {
    const res = await lintFixture({
      '.github/workflows/release.yml': wf('      - uses: docker/login-action@v3', '      - uses: anchore/sbom-action/download-syft@v0.17.0', '      - uses: goreleaser/goreleaser-action@v6', '        with: {args: release --clean}'),
      '.github/workflows/binaries.yml': wf('      - uses: goreleaser/goreleaser-action@v6'),
    }, { rule: R });
    assert.deepEqual(res.findings.map((f) => path.posix.basename(f.path)), ['release.yml']);
    assert.match(res.findings[0].message, /GoReleaser after a registry login/);
  });

  it('is silent with a scanner anywhere in the file or another workflow, without a push; a comment is no scan', async () => {
    const res = await lintFixture({
      '.github/workflows/a.yml': wf('      - run: docker push x', '      - uses: aquasecurity/trivy-action@0.28.0'),
      '.github/workflows/b.yml': wf('      - uses: docker/build-push-action@v6', '        with: {push: false}'),
      '.gitlab-ci.yml': lines('include:', '  - template: Jobs/Container-Scanning.gitlab-ci.yml', 'build:', '  script: [docker push $IMAGE]'),
    }, { rule: R });
    assert.deepEqual(res.findings, []);
    const comment = await lintFixture({ '.github/workflows/c.yml': wf('      # TODO: trivy', '      - run: docker push x') }, { rule: R });
    assert.equal(comment.findings.length, 1);
    // A scheduled scan of the published image in another workflow counts, and re-checks on change.
    const other = await lintFixture({ '.github/workflows/c.yml': wf('      - run: docker push x'), '.github/workflows/scan.yml': wf('      - run: trivy image x') }, { rule: R });
    assert.deepEqual(other.findings, []);
    const change = await other.engine.remove(path.posix.join(other.engine.index.root, '.github/workflows/scan.yml'));
    const c = path.posix.join(other.engine.index.root, '.github/workflows/c.yml');
    assert.ok(change.relint.includes(c));
    assert.equal(other.engine.lintFile(c).length, 1);
  });
});

describe('deploy/scan-missing across workflows', () => {
  const R = 'deploy/scan-missing';
  const push = lines(
    'name: Release',
    'on: push',
    'env:',
    '  IMAGE: ghcr.io/acme/checkout',
    'jobs:',
    '  image:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: docker build -t ${{ env.IMAGE }}:${{ github.sha }} .',
    '      - run: docker push ${{ env.IMAGE }}:${{ github.sha }}',
  );
  const scan = (on: string, target: string) => lines('name: Scan', ...on.split('\n'), 'jobs:', '  scan:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: aquasecurity/trivy-action@0.28.0', '        with:', `          image-ref: ${target}`);
  const findings = async (other: string) => (await lintFixture({ '.github/workflows/release.yml': push, '.github/workflows/scan.yml': other }, { rule: R })).findings.length;

  it('counts a scan of the same image, a scheduled scan, and a scan that runs after this workflow', async () => {
    assert.equal(await findings(scan('on: pull_request', 'ghcr.io/acme/checkout:latest')), 0);
    assert.equal(await findings(scan('on: pull_request\nenv:\n  REF: ghcr.io/acme/checkout', '${{ env.REF }}:main')), 0);
    assert.equal(await findings(scan('on:\n  schedule:\n    - cron: "0 3 * * *"', 'ghcr.io/acme/other:latest')), 0);
    assert.equal(await findings(scan('on:\n  workflow_run:\n    workflows: [Release]\n    types: [completed]', 'ghcr.io/acme/other:latest')), 0);
  });

  it('does not count a scan of another image, a scan after another workflow, or a repository scan on pull requests', async () => {
    assert.equal(await findings(scan('on: pull_request', 'ghcr.io/acme/checkout-worker:latest')), 1);
    assert.equal(await findings(scan('on:\n  workflow_run:\n    workflows: [Docs]', 'ghcr.io/acme/other:latest')), 1);
    assert.equal(await findings(lines('on: pull_request', 'jobs:', '  fs:', '    runs-on: ubuntu-latest', '    steps:', '      - run: trivy fs --exit-code 1 .')), 1);
  });

  it('counts a scan in a GitLab file the pipeline includes, or a scheduled GitLab scan job', async () => {
    const main = lines('include:', '  - local: security/.gitlab-ci.yml', 'build:', '  script:', '    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .', '    - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA');
    const included = lines('container_scan:', '  script:', '    - trivy image --exit-code 1 "$SCAN_TARGET"');
    const res = await lintFixture({ '.gitlab-ci.yml': main, 'security/.gitlab-ci.yml': included }, { rule: R });
    assert.deepEqual(res.findings, []);
    const alone = await lintFixture({ '.gitlab-ci.yml': main.replace('  - local: security/.gitlab-ci.yml', '  - local: ci/other.yml'), 'security/.gitlab-ci.yml': included }, { rule: R });
    assert.equal(alone.findings.length, 1);
    const nightly = await lintFixture({ '.gitlab-ci.yml': main.replace('  - local: security/.gitlab-ci.yml', '  - local: ci/other.yml'), 'security/.gitlab-ci.yml': `${included}\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "schedule"\n` }, { rule: R });
    assert.deepEqual(nightly.findings, []);
  });
});

describe('terraform/backup-missing', () => {
  const R = 'terraform/backup-missing';
  it('reports unset, zero and short retention, follows variables, and fixes to the minimum', async () => {
    const text = lines(
      'resource "aws_db_instance" "a" {',
      '  engine = "postgres"',
      '}',
      'resource "aws_db_instance" "b" {',
      '  backup_retention_period = 0',
      '}',
      'resource "aws_rds_cluster" "c" {',
      '  backup_retention_period = var.days',
      '}',
      'resource "aws_db_instance" "replica" {',
      '  replicate_source_db = aws_db_instance.b.identifier',
      '}',
      'resource "aws_db_instance" "ok" {',
      '  backup_retention_period = 14',
      '}',
      'variable "days" {',
      '  default = 3',
      '}',
      'provider "aws" {}',
    );
    const res = await lintFixture({ 'main.tf': text }, { rule: R });
    assert.deepEqual(res.findings.map((f) => f.range.start.line), [0, 4, 7]);
    assert.match(res.findings[0].message, /does not set `backup_retention_period`, so AWS keeps automated backups for 1 day/);
    assert.match(res.findings[1].message, /turns automated backups off/);
    assert.match(res.findings[2].message, /keeps automated backups for 3 days/);
    assert.equal(applyFix(text, res.findings[0].fixes![0]).split('\n').slice(0, 4).join('\n'), 'resource "aws_db_instance" "a" {\n  engine = "postgres"\n  backup_retention_period = 7\n}');
    assert.equal(res.findings[2].fixes, undefined);
    const strict = await lintFixture({ 'main.tf': text }, { rule: R, config: { terraform: { minBackupRetentionDays: 20 } } });
    assert.equal(strict.findings.length, 4);
  });

  it('reports a literal retention below the minimum passed to a module', async () => {
    const text = lines('module "db" {', '  source                  = "terraform-aws-modules/rds/aws"', '  version                 = "6.10.0"', '  backup_retention_period = 1', '}', 'module "ok" {', '  source                  = "./db"', '  backup_retention_period = 30', '}');
    const res = await lintFixture({ 'main.tf': text }, { rule: R });
    assert.deepEqual(res.findings.map(rangeOf), [[3, 2, 3, 29]]);
    assert.match(res.findings[0].message, /module\.db passes `backup_retention_period = 1`/);
  });

  it('does not ask a Terraform state lock table (hash_key = "LockID") for recovery or prevent_destroy', async () => {
    const text = lines('resource "aws_dynamodb_table" "lock" {', '  name     = "tf-locks"', '  hash_key = "LockID"', '}', 'resource "aws_dynamodb_table" "requests" {', '  name     = "requests"', '  hash_key = "id"', '}', 'provider "aws" {}');
    const backup = await lintFixture({ 'main.tf': text }, { rule: R });
    assert.deepEqual(backup.findings.map((f) => f.range.start.line), [4]);
    const destroy = await lintFixture({ 'main.tf': text }, { rule: 'terraform/prevent-destroy-missing' });
    assert.deepEqual(destroy.findings.map((f) => f.range.start.line), [4]);
  });

  it('asks DynamoDB tables for point-in-time recovery and adds the block', async () => {
    const text = lines('resource "aws_dynamodb_table" "t" {', '  name     = "t"', '  hash_key = "id"', '}');
    const res = await lintFixture({ 'main.tf': text }, { rule: R });
    const fixed = applyFix(text, res.findings[0].fixes![0]);
    assert.equal(fixed, lines('resource "aws_dynamodb_table" "t" {', '  name     = "t"', '  hash_key = "id"', '', '  point_in_time_recovery {', '    enabled = true', '  }', '}'));
    assert.deepEqual((await lintFixture({ 'main.tf': fixed }, { rule: R })).findings, []);
  });
});

describe('terraform/log-retention-missing', () => {
  const R = 'terraform/log-retention-missing';
  it('reports a log group without retention or with 0, and accepts a number or an expression', async () => {
    const text = lines(
      'resource "aws_cloudwatch_log_group" "a" {',
      '  name = "/a"',
      '}',
      'resource "aws_cloudwatch_log_group" "b" {',
      '  retention_in_days = 0',
      '}',
      'resource "aws_cloudwatch_log_group" "c" {',
      '  retention_in_days = var.retention',
      '}',
    );
    const res = await lintFixture({ 'logs.tf': text }, { rule: R });
    assert.deepEqual(res.findings.map(rangeOf), [[0, 9, 0, 39], [4, 2, 4, 23]]);
    const fixed = applyFix(applyFix(text, res.findings[1].fixes![0]), res.findings[0].fixes![0]);
    assert.deepEqual((await lintFixture({ 'logs.tf': fixed }, { rule: R })).findings, []);
  });
});
