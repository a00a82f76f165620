import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parse as parseYamlText, parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main';
import { Engine } from '../../src/engine/engine';
import { deployedThings, folderService, imageName, inferServices, servicesForRules } from '../../src/engine/services/infer';
import { isServiceName, ownerKey, serviceKey } from '../../src/engine/services/names';
import { formatServicesBackstage, formatServicesMarkdown, modelJson } from '../../src/engine/services/report';
import { applyFix, findingsFor, lintFixture, writeWorkspace } from './helpers';

// The service model (issue 17): services and owners inferred from every kind of file, joined
// by service, with a scorecard; the rule service/owner-mismatch; the CLI `services` command.

const repo = path.join(__dirname, '../../..');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

describe('service names and owners', () => {
  it('compares owners after normalising team prefixes, orgs and case', () => {
    for (const o of ['team-payments', 'payments', '@acme/payments', 'Payments Team', 'payments_team', 'PAYMENTS', 'payments@acme.example']) assert.equal(ownerKey(o), 'payments', o);
    assert.notEqual(ownerKey('payments-platform'), ownerKey('payments'));
  });

  it('keys service names and refuses templates and generic folder words', () => {
    assert.equal(serviceKey('Checkout API'), 'checkout-api');
    assert.equal(serviceKey('checkout_api'), 'checkout-api');
    for (const bad of ['{{ $labels.job }}', '${var.service}', 'docs', 'templates', 'x', '', 'production']) assert.equal(isServiceName(bad), false, bad);
    assert.equal(isServiceName('payments'), true);
  });

  it('reads the service folder under a runbooks or docs root', () => {
    assert.equal(folderService('docs/payments/README.md'), 'payments');
    assert.equal(folderService('runbooks/checkout/db/failover.md'), 'checkout');
    assert.equal(folderService('docs/README.md'), undefined);
    assert.equal(folderService('docs/templates/alert.md'), undefined);
    assert.equal(folderService('notes/payments/x.md'), undefined);
  });

  it('reads what a deploy job deploys from its commands', () => {
    const things = deployedThings('kubectl apply -f k8s/checkout.yaml\nhelm upgrade --install checkout charts/checkout\ndocker push ghcr.io/acme/checkout-api:1.2\nkubectl -n prod set image deployment/payments-worker app=x');
    assert.deepEqual(things.sort(), ['checkout', 'ghcr.io/acme/checkout-api:1.2', 'k8s/checkout.yaml', 'payments-worker'].sort());
    assert.equal(imageName('registry.example/acme/checkout-api:1.2@sha256:abc'), 'checkout-api');
  });
});

describe('service model on the sample workspace', () => {
  let engine: Engine;
  before(async () => {
    engine = await Engine.create(path.join(repo, 'runbooks'), { now: new Date('2026-11-25T00:00:00Z') });
  });

  it('joins every kind of file under the checkout service', () => {
    const model = inferServices(engine.index, engine.config, { findings: engine.allFindings() });
    const checkout = model.services.find((s) => s.name === 'checkout');
    assert.ok(checkout, 'checkout is a service');
    for (const k of ['runbook', 'alert', 'slo', 'workload', 'terraform', 'deploy', 'ansible'] as const) assert.ok(checkout.sources.includes(k), `inferred from ${k}`);
    assert.ok(checkout.aliases.includes('checkout-api'), 'the workload name is an alias');
    assert.ok(checkout.runbooks.some((r) => r.relPath === 'deploy-and-rollback.md' && r.hasRollback));
    const alert = checkout.alerts.find((a) => a.name === 'CheckoutHighErrorRate');
    assert.ok(alert?.pages, 'the critical alert routes to a paging receiver');
    assert.ok(alert.receivers.includes('payments-pagerduty'));
    assert.equal(alert.runbookRelPath, 'alert-response-high-error-rate.md');
    assert.deepEqual(checkout.workloads.map((w) => w.name), ['checkout-api']);
    assert.ok(checkout.infrastructure.some((i) => i.address === 'aws_db_instance.checkout'));
    assert.ok(checkout.deployJobs.some((d) => d.id === 'deploy' && d.production && d.gate), 'the production deploy job is gated');
    assert.equal(checkout.scorecard.productionDeploysGated.met, 1);
    assert.ok(checkout.findings.error + checkout.findings.warning > 0, 'findings of its files are counted');
  });

  it('finds the one owner disagreement: Terraform tags against the other kinds', () => {
    const model = inferServices(engine.index, engine.config);
    const checkout = model.services.find((s) => s.name === 'checkout')!;
    assert.equal(checkout.owner, 'payments-platform');
    assert.equal(checkout.scorecard.ownerAgreed, false);
    const m = model.mismatches.filter((x) => x.service === 'checkout');
    assert.equal(m.length, 1);
    assert.equal(m[0].claim.source, 'terraform');
    assert.equal(m[0].claim.owner, 'team-payments');
    assert.equal(m[0].claim.relPath, 'terraform/main.tf');
    assert.ok(m[0].agreeing.includes('runbook') && m[0].agreeing.includes('alert'));
    // A DBA runbook among the team's runbooks is not a disagreement of kinds.
    assert.ok(!model.mismatches.some((x) => x.claim.owner === 'dba-oncall'));
  });

  it('exports one JSON object per service with relative paths, markdown with a scorecard row per service, and Backstage entities', () => {
    const model = inferServices(engine.index, engine.config);
    const json = modelJson(model);
    assert.deepEqual(json.map((j) => j.service), model.services.map((s) => s.name));
    const checkout = json.find((j) => j.service === 'checkout')!;
    assert.ok(checkout.runbooks.every((r) => !path.isAbsolute(r.file)));
    assert.equal(checkout.ownerMismatches.length, 1);
    const md = formatServicesMarkdown(model);
    const rows = md.split('\n').filter((l) => /^\| \[/.test(l));
    assert.equal(rows.length, model.services.length);
    assert.match(md, /^## checkout$/m);
    const docs = parseAllDocuments(formatServicesBackstage(model)).map((d) => d.toJS());
    assert.equal(docs.length, model.services.length);
    const entity = docs.find((d) => d.metadata.name === 'checkout');
    assert.equal(entity.kind, 'Component');
    assert.equal(entity.spec.owner, 'payments-platform');
    assert.ok(entity.metadata.links.some((l: { url: string }) => l.url === 'deploy-and-rollback.md'));
  });
});

describe('service model on a runbook repository with no catalog', () => {
  // Look-alike of a runbook site kept as docs/<service>/…, linked from alert rules whose
  // `component` label names the service; no frontmatter anywhere.
  const files: Record<string, string> = {
    'docs/payments/README.md': '# Payments runbooks\n\n## Troubleshooting\nCheck the queue.\n\n## Rollback\nRoll back the release.\n',
    'docs/payments/queue-backlog.md': '# Queue backlog\n\n## Symptoms\nThe queue grows.\n',
    'docs/search/index-lag.md': '# Index lag\n\n## Resolution\nReindex.\n',
    'docs/templates/alert.md': '# Template\n',
    'rules/payments.yml':
      'groups:\n  - name: payments\n    rules:\n      - alert: PaymentsQueueBacklog\n        expr: queue_depth > 100\n        for: 10m\n        labels:\n          severity: critical\n          component: payments\n        annotations:\n          runbook_url: ../docs/payments/queue-backlog.md\n      - alert: SearchIndexLag\n        expr: index_lag_seconds > 600\n        for: 10m\n        labels:\n          severity: warning\n          component: search\n        annotations:\n          summary: lag\n',
  };

  it('gets its services from the alert label key the repository uses and from folders', async () => {
    const root = await writeWorkspace(files);
    const engine = await Engine.create(root);
    const model = inferServices(engine.index, engine.config);
    assert.deepEqual(model.services.map((s) => s.name), ['payments', 'search']);
    const payments = model.services[0];
    assert.deepEqual(payments.alerts.map((a) => a.name), ['PaymentsQueueBacklog']);
    assert.ok(payments.runbooks.some((r) => r.relPath === 'docs/payments/queue-backlog.md' && r.via === 'folder'));
    assert.deepEqual(payments.scorecard.alertsWithRunbook, { met: 1, of: 1 });
    assert.deepEqual(model.services[1].scorecard.alertsWithRunbook, { met: 0, of: 1 });
  });

  it('merges and ignores names as .opsreview.yml says', async () => {
    const root = await writeWorkspace(files, { services: { merge: { commerce: ['payments', 'search'] } } });
    const engine = await Engine.create(root);
    assert.deepEqual(inferServices(engine.index, engine.config).services.map((s) => s.name), ['commerce']);
    const root2 = await writeWorkspace(files, { services: { ignore: ['search'] } });
    const engine2 = await Engine.create(root2);
    assert.deepEqual(inferServices(engine2.index, engine2.config).services.map((s) => s.name), ['payments']);
  });
});

describe('service/owner-mismatch', () => {
  const runbook = (owner: string) => `---\ntitle: Deploy checkout\nservice: checkout\nowner: ${owner}\ntags: [checkout]\n---\n# Deploy checkout\n\n## Rollback\nhelm rollback checkout\n`;
  const tf = (owner: string) => `provider "aws" {\n  default_tags {\n    tags = {\n      owner   = "${owner}"\n      service = "checkout"\n    }\n  }\n}\n\nresource "aws_sqs_queue" "orders" {\n  name = "orders"\n}\n`;
  const alerts = (owner: string) => `groups:\n  - name: checkout\n    rules:\n      - alert: CheckoutDown\n        expr: up{job="checkout"} == 0\n        for: 5m\n        labels:\n          severity: critical\n          service: checkout\n          owner: ${owner}\n`;

  it('reports the outlier kind once, naming both owners, with a fix that aligns it', async () => {
    const r = await lintFixture({ 'runbooks/deploy.md': runbook('payments-platform'), 'alerts/checkout.yml': alerts('payments-platform'), 'infra/main.tf': tf('billing') }, { rule: 'service/owner-mismatch' });
    const found = r.findings.filter((f) => f.ruleId === 'service/owner-mismatch');
    assert.equal(found.length, 1);
    assert.equal(found[0].path.endsWith('infra/main.tf'), true);
    assert.match(found[0].message, /'billing'.*'payments-platform'/);
    assert.match(found[0].message, /runbooks/);
    const text = tf('billing');
    assert.equal(applyFix(text, found[0].fixes![0]), tf('payments-platform'));
  });

  it('is silent when the owners agree after normalising', async () => {
    const r = await lintFixture({ 'runbooks/deploy.md': runbook('team-payments'), 'alerts/checkout.yml': alerts('payments'), 'infra/main.tf': tf('@acme/payments') }, { rule: 'service/owner-mismatch' });
    assert.deepEqual(findingsFor(r, 'infra/main.tf', 'service/owner-mismatch'), []);
    assert.equal(r.findings.filter((f) => f.ruleId === 'service/owner-mismatch').length, 0);
  });

  it('compares with the owner .opsreview.yml names, whatever most files say', async () => {
    const r = await lintFixture(
      { 'runbooks/deploy.md': runbook('payments-platform'), 'alerts/checkout.yml': alerts('payments-platform'), 'infra/main.tf': tf('billing') },
      { rule: 'service/owner-mismatch', config: { services: { owners: { checkout: 'billing' } } } },
    );
    const paths = r.findings.filter((f) => f.ruleId === 'service/owner-mismatch').map((f) => path.basename(f.path)).sort();
    assert.deepEqual(paths, ['checkout.yml', 'deploy.md']);
  });
});

describe('service model for rules: rebuilt only when a claim changes', () => {
  it('reuses the model for an edit in a runbook body and rebuilds it when an owner changes', async () => {
    const runbook = '---\ntitle: Deploy checkout\nservice: checkout\nowner: payments-platform\ntags: [checkout]\n---\n# Deploy checkout\n\n## Steps\nDeploy.\n';
    const tf = 'provider "aws" {\n  default_tags {\n    tags = {\n      owner   = "payments-platform"\n      service = "checkout"\n    }\n  }\n}\n\nresource "aws_sqs_queue" "orders" {\n  name = "orders"\n}\n';
    const root = await writeWorkspace({ 'runbooks/deploy.md': runbook, 'infra/main.tf': tf });
    const engine = await Engine.create(root);
    const first = servicesForRules(engine.index, engine.config);
    assert.equal(first.mismatches.length, 0);
    await engine.update(path.join(root, 'runbooks/deploy.md'), runbook + '\nWatch the dashboard for ten minutes.\n');
    assert.equal(servicesForRules(engine.index, engine.config), first, 'a body edit reuses the model');
    await engine.update(path.join(root, 'infra/main.tf'), tf.replace('"payments-platform"', '"billing"'));
    const after = servicesForRules(engine.index, engine.config);
    assert.notEqual(after, first, 'an owner edit rebuilds it');
    assert.equal(after.mismatches.length, 1);
    // Lines inserted above a claim move it: rebuilt, so the finding's range stays right.
    await engine.update(path.join(root, 'infra/main.tf'), '# moved\n' + tf.replace('"payments-platform"', '"billing"'));
    const moved = servicesForRules(engine.index, engine.config);
    assert.equal(moved.mismatches[0].claim.range.start.line, 4);
  });
});

describe('opsreview services', () => {
  it('prints JSON, one object per service, and refuses an unknown format', async () => {
    const r = await run(['services', path.join(repo, 'runbooks'), '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.ok(Array.isArray(json) && json.some((s: { service: string }) => s.service === 'checkout'));
    const bad = await run(['services', path.join(repo, 'runbooks'), '--format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /usage/);
  });

  it('prints Backstage entities that parse as YAML', async () => {
    const r = await run(['services', path.join(repo, 'runbooks'), '--format', 'backstage', '--repo-url', 'https://github.com/acme/ops/blob/main/runbooks']);
    assert.equal(r.code, 0, r.err);
    const first = parseYamlText(r.out.split(/^---$/m)[1]);
    assert.equal(first.apiVersion, 'backstage.io/v1alpha1');
    assert.match(r.out, /url: "https:\/\/github\.com\/acme\/ops\/blob\/main\/runbooks\/deploy-and-rollback\.md"/);
  });
});
