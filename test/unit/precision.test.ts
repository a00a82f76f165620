import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { loadFixture } from './fixtureFiles';
import { applyFix, findingsFor, lintFixture, rangeOf, writeWorkspace } from './helpers';

// Issue 7: findings a reviewer acts on, on real repositories. Each pattern found there has a
// look-alike fixture under test/fixtures/precision/ and a test here that pins the behaviour.

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

const rel = (res: { engine: { index: { root: string } } }, p: string): string => path.posix.relative(res.engine.index.root, p);

describe('issue 7: nothing hidden (discovery)', function () {
  this.timeout(30000);
  // A catalogue that publishes its alert rules under dist/, with a scratch folder it ignores.
  const published = (): Record<string, string> => ({ ...loadFixture('precision/published-rules'), '.gitignore': 'build/\n' });

  it('checks dist/ (no longer a built-in skip) and lists the .gitignore-d folder with its reason', async () => {
    const res = await lintFixture(published());
    assert.deepEqual(
      res.findings.map((f) => `${rel(res, f.path)} ${f.ruleId}`),
      ['dist/rules/node-exporter.yml alert/owner-missing'],
    );
    assert.deepEqual(
      res.engine.index.skipped.map((s) => [s.relPath, s.kind, s.code]),
      [['build', 'folder', 'gitignore']],
    );
  });

  it('lets an include glob that names a path under a skipped folder bring it back', async () => {
    const res = await lintFixture(published(), { config: { include: ['dist/**', 'build/rules/**'] } });
    // No alert of either file names an owner: one repository-level finding (the convention pass)
    // on the first file, naming both.
    assert.deepEqual(res.findings.map((f) => `${rel(res, f.path)} ${f.ruleId}`).sort(), ['build/rules/generated.yml alert/owner-missing']);
    assert.match(res.findings[0].message, /in 2 files \(build\/rules\/generated\.yml, dist\/rules\/node-exporter\.yml\)/);
    // A globstar glob that spells the folder's name reaches everything below it.
    const spelled = await lintFixture(published(), { config: { include: ['**/build/**', 'dist/**'] } });
    assert.match(spelled.findings[0].message, /in 2 files/);
    // A catch-all include does not reach into ignored or built-in-skipped folders.
    const all = await lintFixture({ ...published(), 'node_modules/pkg/alerts.yml': published()['build/rules/generated.yml'] }, { config: { include: ['**/*.yml'] } });
    assert.deepEqual(all.findings.map((f) => rel(all, f.path)), ['dist/rules/node-exporter.yml']);
    assert.deepEqual(
      all.engine.index.skipped.map((s) => [s.relPath, s.code]).sort(),
      [
        ['build', 'gitignore'],
        ['node_modules', 'built-in'],
      ],
    );
    const named = await lintFixture({ 'node_modules/pkg/alerts.yml': published()['build/rules/generated.yml'] }, { config: { include: ['node_modules/pkg/*.yml'] } });
    assert.deepEqual(named.findings.map((f) => rel(named, f.path)), ['node_modules/pkg/alerts.yml']);
  });

  it('says what it skipped in every CLI format: a count (text), a list (--verbose), SARIF notifications, a stderr note (json)', async () => {
    const root = await writeWorkspace({ ...published(), 'big/alerts.yml': 'groups: []\n' + '#'.repeat(3000) + '\n' }, { maxFileSizeKb: 1 });
    const text = await run(['check', root]);
    const last = text.out.trim().split('\n').pop();
    assert.equal(last, 'Skipped 1 folder, 1 file (1 .gitignore, 1 too large); --verbose lists them.');
    const verbose = await run(['check', root, '--verbose']);
    assert.match(verbose.out, /^skipped folder build: listed in \.gitignore/m);
    assert.match(verbose.out, /^skipped file big\/alerts\.yml: larger than maxFileSizeKb \(3 KB > 1 KB\)/m);
    const json = await run(['check', root, '--format', 'json']);
    assert.ok(Array.isArray(JSON.parse(json.out)), 'JSON stays one array of findings');
    assert.match(json.err, /skipped 1 folder, 1 file \(1 \.gitignore, 1 too large\); --verbose lists them/);
    const sarif = await run(['check', root, '--format', 'sarif']);
    const notes = JSON.parse(sarif.out).runs[0].invocations[0].toolExecutionNotifications as { descriptor: { id: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    assert.deepEqual(notes.map((n) => [n.descriptor.id, n.locations[0].physicalLocation.artifactLocation.uri]).sort(), [
      ['skipped/gitignore', 'build'],
      ['skipped/too-large', 'big/alerts.yml'],
    ]);
  });
});

describe('issue 7: examples, tests and demos are not production', function () {
  this.timeout(30000);
  const PRODUCTION_ONLY = ['k8s/probes-missing', 'k8s/resources-missing', 'k8s/image-latest', 'k8s/pdb-missing', 'terraform/prevent-destroy-missing', 'terraform/tags-missing'];

  it('runs production-only rules on production files only (nonProduction globs and a demo/testing header)', async () => {
    const res = await lintFixture(loadFixture('precision/examples-and-demos'));
    const byFile = (p: string): string[] => [...new Set(findingsFor(res, p).map((f) => f.ruleId))].sort();
    assert.deepEqual(byFile('k8s/web.yaml'), ['k8s/image-latest', 'k8s/pdb-missing', 'k8s/probes-missing', 'k8s/resources-missing']);
    for (const p of ['examples/basic/web.yaml', 'scripts/observability-stack.yaml', 'examples/basic/main.tf', 'tests/smoke/main.tf']) {
      assert.deepEqual(findingsFor(res, p).filter((f) => PRODUCTION_ONLY.includes(f.ruleId)), [], p);
    }
  });

  it('leaves alert routing metadata (owner, runbook, severity) of example alert rules alone, not their logic', async () => {
    const rules = "groups:\n  - name: slo\n    rules:\n      - alert: HighErrorRate\n        expr: 'rate(errors_total[1m]) > 1'\n";
    const res = await lintFixture({ 'examples/_gen/slo.yml': rules, 'alerts/slo.yml': rules });
    const ids = (p: string): string[] => findingsFor(res, p).map((f) => f.ruleId).sort();
    // (No alert has a summary: that is reported once, for the repository, on the first file.)
    assert.deepEqual(ids('examples/_gen/slo.yml'), ['alert/for-missing']);
    assert.deepEqual(ids('alerts/slo.yml'), ['alert/for-missing', 'alert/owner-missing', 'alert/runbook-missing', 'alert/severity-missing', 'alert/summary-missing']);
  });

  it('checks everything as production with `nonProduction: []`, and a production-only suppression there is not "unused"', async () => {
    const res = await lintFixture(loadFixture('precision/examples-and-demos'), { config: { nonProduction: [] } });
    assert.ok(findingsFor(res, 'examples/basic/web.yaml', 'k8s/image-latest').length === 1);
    // No resource carries the tags: one repository-level finding that names the test stack's file.
    assert.ok(res.findings.some((f) => f.ruleId === 'terraform/tags-missing' && (f.path.endsWith('tests/smoke/main.tf') || f.message.includes('tests/smoke/main.tf'))));
    assert.ok(findingsFor(res, 'examples/basic/main.tf', 'terraform/prevent-destroy-missing').length === 1);
    // The header still marks the demo stack; a header that merely mentions an example does not.
    assert.deepEqual(findingsFor(res, 'scripts/observability-stack.yaml', 'k8s/image-latest'), []);
    const web = loadFixture('precision/examples-and-demos')['k8s/web.yaml'];
    const mention = await lintFixture({ 'k8s/web.yaml': '# This example only works with Kubernetes 1.29 or later.\n' + web }, { rule: 'k8s/image-latest' });
    assert.equal(mention.findings.length, 1);

    const files = loadFixture('precision/examples-and-demos');
    const suppressed = await lintFixture({ 'examples/basic/web.yaml': '# opsreview-disable k8s/image-latest\n' + files['examples/basic/web.yaml'] });
    assert.deepEqual(findingsFor(suppressed, 'examples/basic/web.yaml').map((f) => f.ruleId), []);
  });
});

describe('issue 7: Terraform reusable modules', function () {
  this.timeout(30000);
  // A module repository's root (called by examples/ and by a live root module) in the style of
  // the terraform-aws-modules repositories: resources pass `var.tags` through.
  const fixture = (): Record<string, string> => loadFixture('precision/reusable-module');

  it('puts incomplete tags on the caller\'s module block, not on the module resources that pass var.tags through', async () => {
    const res = await lintFixture(fixture(), { rule: 'terraform/tags-missing' });
    const module = findingsFor(res, 'main.tf');
    // Only the resource that drops the module's tags variable; eks_cluster (merge(var.tags, …)),
    // iam_role (a local built on var.tags), db_instance and the bucket (var.tags) are the same shape.
    assert.deepEqual(module.map((f) => f.message), [
      "aws_cloudwatch_log_group.this sets no `tags` and ignores the module's `var.tags`, so the tags callers pass never reach it and it lacks `owner`, `environment`, `service`; set `tags = var.tags`.",
    ]);
    const files = fixture();
    const fixedModule = applyFix(files['main.tf'], module[0].fixes![0]);
    assert.match(fixedModule, /retention_in_days = 90\n {2}tags {14}= var\.tags\n\}|retention_in_days = 90\n {2}tags = var\.tags\n\}/);

    const [caller, ...rest] = findingsFor(res, 'live/prod/main.tf');
    assert.deepEqual(rest, [], 'module "cluster_dr" passes every key the provider does not supply');
    assert.deepEqual(rangeOf(caller), [14, 2, 14, 6]);
    assert.equal(
      caller.message,
      "module.cluster passes `tags` without required tag `service`; the module applies `var.tags` to its resources (aws_eks_cluster.this and 3 more): add it here or to the provider's `default_tags` so their cost and ownership can be traced.",
    );
    const fixedCaller = applyFix(files['live/prod/main.tf'], caller.fixes![0]);
    const again = await lintFixture({ ...files, 'live/prod/main.tf': fixedCaller, 'main.tf': fixedModule }, { rule: 'terraform/tags-missing' });
    assert.deepEqual(again.findings.map((f) => rel(again, f.path)), [], 'both fixes together leave nothing to report');
    // The example's call is reported too once examples count as production.
    const all = await lintFixture(fixture(), { rule: 'terraform/tags-missing', config: { nonProduction: [] } });
    assert.match(findingsFor(all, 'examples/complete/main.tf')[0].message, /^module\.cluster passes `tags` without required tags `owner`, `environment`, `service`/);
  });

  it('does not ask a module call that creates nothing for tags', async () => {
    const call = (extra: string): string => `provider "aws" {\n  region = "eu-west-1"\n}\n\nmodule "off" {\n  source = "../.."\n  name   = "off"\n${extra}}\n`;
    const off = await lintFixture({ ...fixture(), 'live/dev/main.tf': call('  create = false\n') }, { rule: 'terraform/tags-missing' });
    assert.deepEqual(findingsFor(off, 'live/dev/main.tf'), []);
    const on = await lintFixture({ ...fixture(), 'live/dev/main.tf': call('') }, { rule: 'terraform/tags-missing' });
    assert.match(findingsFor(on, 'live/dev/main.tf')[0].message, /^module\.off does not pass `tags`, so the module lacks required tags `owner`, `environment`, `service`/);
  });

  it('reports prevent-destroy-missing on root modules only (lifecycle cannot take a variable)', async () => {
    // A bucket is reported only when `force_destroy = true` lets a plan empty it.
    const files: Record<string, string> = { ...fixture() };
    for (const [p, text] of Object.entries(files)) if (p.endsWith('.tf')) files[p] = text.replace(/^(resource "aws_s3_bucket" "\w+" \{\n)/gm, '$1  force_destroy = true\n');
    const res = await lintFixture(files, { rule: 'terraform/prevent-destroy-missing', config: { nonProduction: [] } });
    assert.deepEqual(res.findings.map((f) => `${rel(res, f.path)}:${f.range.start.line}`), ['live/prod/main.tf:29']);
  });
});

describe('issue 7: Kubernetes manifests built and served the way the repository says', function () {
  this.timeout(30000);

  it('does not call skaffold build artifacts untagged, and asks readiness probes only of containers that serve traffic', async () => {
    const res = await lintFixture(loadFixture('precision/skaffold-app'));
    const got = res.findings.filter((f) => f.ruleId.startsWith('k8s/')).map((f) => `${rel(res, f.path)}:${f.range.start.line} ${f.ruleId} ${f.message.slice(0, 40)}`);
    assert.deepEqual(got.sort(), [
      // envoyproxy/envoy is a real image without a tag; `frontend` is what skaffold builds. The
      // load generator serves nothing (no ports, no Service selects it), nor does the node agent
      // on the host network: no probe asked of them.
      "k8s/frontend.yaml:14 k8s/probes-missing Container 'server' of Deployment 'fronte",
      "k8s/frontend.yaml:21 k8s/probes-missing Container 'proxy' of Deployment 'fronten",
      "k8s/frontend.yaml:22 k8s/image-latest Container 'proxy' of Deployment 'fronten",
    ]);
    // On its own (no Services in the workspace to go by), the host-network agent is still exempt,
    // and so is the DaemonSet off the host network (a node agent without ports serves no traffic);
    // the same pod as a Deployment that declares no port and that no Service selects serves no
    // traffic either (a load generator, a queue consumer, a CI runner: round 3).
    const agent = loadFixture('precision/skaffold-app')['k8s/node-agent.yaml'];
    const alone = await lintFixture({ 'agent.yaml': agent }, { rule: 'k8s/probes-missing' });
    assert.deepEqual(alone.findings, []);
    const offHost = await lintFixture({ 'agent.yaml': agent.replace('      hostNetwork: true\n', '') }, { rule: 'k8s/probes-missing' });
    assert.deepEqual(offHost.findings, []);
    const pod = await lintFixture({ 'agent.yaml': agent.replace('      hostNetwork: true\n', '').replace('kind: DaemonSet', 'kind: Deployment') }, { rule: 'k8s/probes-missing' });
    assert.equal(pod.findings.length, 0);
    // Without the skaffold.yaml, `image: frontend` is an untagged image again.
    const files = loadFixture('precision/skaffold-app');
    delete files['skaffold.yaml'];
    const bare = await lintFixture(files, { rule: 'k8s/image-latest' });
    assert.equal(bare.findings.length, 3);
  });
});

describe('issue 7: alert rules whose expression already holds over a window', function () {
  this.timeout(30000);

  it('does not ask for `for:` when the expression holds over a window of a minute or more, or is a multiwindow burn-rate alert', async () => {
    const rule = (name: string, expr: string): string[] => [`      - alert: ${name}`, `        expr: '${expr}'`, '        labels: { severity: warning, team: sre }', '        annotations: { summary: s, runbook_url: https://runbooks.example.org/x }'];
    const text = ['groups:', '  - name: catalogue', '    rules:',
      ...rule('NotificationsBacklog', 'min_over_time(prometheus_notifications_queue_length[10m]) > 0'),
      ...rule('DiskTemperatureHigh', 'max_over_time(smartctl_device_temperature[10m]) > 60'),
      ...rule('ExporterDown', 'apache_up == 0'),
      ...rule('ErrorsBurst', 'rate(http_errors_total[2m]) > 0.05'),
      ...rule('ShortWindow', 'min_over_time(queue_length[30s]) > 0'),
      ...rule('BudgetBurn', 'slo:sli_error:ratio_rate5m{slo="a"} > (14.4 * 0.001) and slo:sli_error:ratio_rate1h{slo="a"} > (14.4 * 0.001)'),
      ...rule('BothGauges', 'up == 0 and rate(errors_total[5m]) > 1'),
    ].join('\n') + '\n';
    const res = await lintFixture({ 'rules/catalogue.yml': text }, { rule: 'alert/for-missing' });
    assert.deepEqual(res.findings.map((f) => /Alert '(\w+)'/.exec(f.message)![1]), ['ExporterDown', 'ErrorsBurst', 'ShortWindow', 'BothGauges']);
  });
});

describe('issue 7: the retired id runbook/owner-missing on the command line', function () {
  this.timeout(30000);

  it('runs runbook/frontmatter-missing for --rule runbook/owner-missing', async () => {
    const root = await writeWorkspace({ 'runbooks/r.md': '---\ntitle: R\nweight: 1\n---\n# R\n' });
    const r = await run(['check', root, '--rule', 'runbook/owner-missing', '--format', 'json']);
    assert.deepEqual(JSON.parse(r.out).map((f: { ruleId: string }) => f.ruleId), ['runbook/frontmatter-missing']);
  });
});

describe('issue 7: Ansible plays under tests/ and examples/ are not production changes', function () {
  this.timeout(30000);

  it('skips the production-only Ansible rules there (rollback-missing, serial-missing, name-missing), not the other Ansible rules', async () => {
    const play = ['- hosts: webservers', '  become: true', '  tasks:', '    - ansible.builtin.apt:', '        name: nginx', '        state: present', '    - ansible.builtin.service:', '        name: nginx', '        state: restarted', ''].join('\n');
    const res = await lintFixture({ 'site.yml': play, 'tests/test.yml': play }, { config: { rules: { 'ansible/rollback-missing': 'warning', 'ansible/serial-missing': 'info' } } });
    const ids = (p: string): string[] => [...new Set(findingsFor(res, p).map((f) => f.ruleId))].sort();
    assert.ok(ids('site.yml').includes('ansible/rollback-missing') && ids('site.yml').includes('ansible/serial-missing'), ids('site.yml').join());
    assert.ok(ids('site.yml').includes('ansible/name-missing'), ids('site.yml').join());
    assert.deepEqual(ids('tests/test.yml'), ids('site.yml').filter((id) => id !== 'ansible/rollback-missing' && id !== 'ansible/serial-missing' && id !== 'ansible/name-missing'));
  });
});

describe('issue 7: backups and log retention of examples', function () {
  this.timeout(30000);

  it('leaves terraform/backup-missing and terraform/log-retention-missing to production files', async () => {
    const tf = ['resource "aws_db_instance" "db" {', '  identifier              = "db"', '  instance_class          = "db.t3.micro"', '  backup_retention_period = 0', '  deletion_protection     = true', '}', '', 'resource "aws_cloudwatch_log_group" "app" {', '  name = "/app"', '}', ''].join('\n');
    const res = await lintFixture({ 'live/main.tf': tf, 'examples/complete/main.tf': tf }, { config: { rules: { 'terraform/tags-missing': 'off' } } });
    const ids = (p: string): string[] => [...new Set(findingsFor(res, p).map((f) => f.ruleId))].filter((id) => /backup|log-retention/.test(id)).sort();
    assert.deepEqual(ids('live/main.tf'), ['terraform/backup-missing', 'terraform/log-retention-missing']);
    assert.deepEqual(ids('examples/complete/main.tf'), []);
  });
});
