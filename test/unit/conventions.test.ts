import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { classifyWithReason } from '../../src/engine/classify';
import { explicitKeysOf } from '../../src/engine/config/load';
import { defaultConfig } from '../../src/engine/config/schema';
import { mergeIntoConfig, renderConfig } from '../../src/engine/conventions/configText';
import { describeConventions, detectAlertConventions } from '../../src/engine/conventions/detect';
import { detectRequiredFrontmatter } from '../../src/engine/conventions/frontmatter';
import { hasSectionOrStep, runbookSections } from '../../src/engine/conventions/markdownShape';
import { detectRunbookAnnotations, detectRunbookBaseUrl } from '../../src/engine/conventions/runbookLinks';
import { detectSeverities } from '../../src/engine/conventions/severity';
import { Engine } from '../../src/engine/engine';
import { loadFixture } from './fixtureFiles';
import { findingsFor, lintFixture, writeWorkspace } from './helpers';

// Zero-config on first contact (issue 12): each detector on look-alike repositories laid out in
// its convention, the mixed repository where nothing is guessed, the config file that wins.

const sev = (values: string[]) => values.map((value, i) => ({ value, file: `alerts/${i}.yml` }));

describe('conventions: severity vocabulary', () => {
  it('adopts S1–S4 when every alert uses it, in the repository\'s case, paging on S1', () => {
    const d = detectSeverities(sev(['S1', 'S2', 'S3', 'S2', 'S4']))!;
    assert.equal(d.value.vocabulary, 'S1–S4');
    assert.deepEqual(d.value.allowed, ['S1', 'S2', 'S3', 'S4']);
    assert.deepEqual(d.value.paging, ['S1']);
    assert.equal(d.support, 5);
  });

  it('recognises page/ticket, P1–P5, high/medium/low and sev1 spellings', () => {
    assert.deepEqual(detectSeverities(sev(['page', 'ticket', 'ticket']))!.value.allowed, ['page', 'ticket']);
    assert.deepEqual(detectSeverities(sev(['p1', 'p3', 'p2']))!.value.allowed, ['p1', 'p2', 'p3', 'p4', 'p5']);
    assert.deepEqual(detectSeverities(sev(['high', 'low', 'medium', 'critical']))!.value.allowed, ['critical', 'high', 'medium', 'low']);
    assert.deepEqual(detectSeverities(sev(['sev1', 'sev2', 'sev2']))!.value.paging, ['sev1']);
  });

  it('detects the default vocabulary as the default list', () => {
    assert.deepEqual(detectSeverities(sev(['critical', 'warning', 'warning']))!.value.allowed, defaultConfig().alerts.allowedSeverities);
  });

  it('guesses nothing from a mixed repository or too few alerts', () => {
    assert.equal(detectSeverities(sev(['critical', 'page', 'S2', 'P1', 'high'])), undefined);
    assert.equal(detectSeverities(sev(['S1', 'S2'])), undefined);
    // One stray value in ten still leaves a convention; the stray one is then reported.
    assert.ok(detectSeverities(sev(['s1', 's2', 's2', 's3', 's3', 's3', 's4', 's4', 's1', 'critical'])));
    assert.equal(detectSeverities(sev(['s1', 's2', 's3', 'critical', 'warning'])), undefined);
  });

  it('takes the paging severities from routing when the caller has them', () => {
    const d = detectSeverities(sev(['S1', 'S2', 'S3']), ['S1', 'S2'])!;
    assert.deepEqual(d.value.paging, ['S1', 'S2']);
    assert.equal(d.value.pagingSource, 'routing');
  });
});

describe('conventions: runbook annotation and base URL', () => {
  const ann = (list: Record<string, string>[]) => list.map((annotations, i) => ({ annotations, file: `a${i}.yml` }));

  it('finds the key most alerts link with; sentences under `documentation` do not count', () => {
    const d = detectRunbookAnnotations(ann([{ runbook: 'https://x/a.md' }, { runbook: 'https://x/b.md' }, { runbook: '../c.md' }, { documentation: 'See the wiki for details' }]))!;
    assert.deepEqual(d.value, ['runbook']);
    assert.equal(detectRunbookAnnotations(ann([{ runbook: 'https://x/a.md' }, { runbook_url: 'https://x/b.md' }])), undefined, 'too few to be a convention');
  });

  it('keeps a second key used by a fair share of the alerts', () => {
    const d = detectRunbookAnnotations(ann([{ runbook_url: '/a.md' }, { runbook_url: '/b.md' }, { runbook_url: '/c.md' }, { playbook: '/d.md' }, { playbook: '/e.md' }, { playbook: '/f.md' }, { runbook_url: '/g.md' }]))!;
    assert.deepEqual(d.value, ['runbook_url', 'playbook']);
    // A `documentation` link on alerts that already have `runbook_url` adds no second key.
    const both = detectRunbookAnnotations(ann([1, 2, 3, 4].map((i) => ({ runbook_url: `/r${i}.md`, documentation: `https://wiki/x${i}` }))))!;
    assert.deepEqual(both.value, ['runbook_url']);
  });

  it('maps a GitHub blob URL onto the repository when the file exists', () => {
    // Like the index: files and the folders above them exist.
    const exists = (rel: string) => ['docs', 'docs/api', 'docs/db', 'docs/api/down.md', 'docs/db/failover.md'].includes(rel);
    const d = detectRunbookBaseUrl(
      [
        { url: 'https://github.com/org/ops/blob/main/docs/api/down.md#triage', file: 'a.yml' },
        { url: 'https://github.com/org/ops/blob/main/docs/db/failover.md', file: 'b.yml' },
        { url: 'https://runbooks.example.com/other', file: 'c.yml' },
      ],
      exists,
    )!;
    assert.equal(d.value, 'https://github.com/org/ops/blob/main/');
    assert.equal(d.support, 2);
    assert.equal(detectRunbookBaseUrl([{ url: 'https://example.com/x.md', file: 'a.yml' }], () => false), undefined);
    // A URL ending in a slash is a web page of a folder, not a file of the repository.
    assert.equal(detectRunbookBaseUrl([{ url: 'https://wiki.example.com/ops/docs/api/', file: 'a.yml' }], exists), undefined);
  });
});

describe('conventions: what a runbook looks like', () => {
  it('counts runbook section titles among short headings only', () => {
    assert.deepEqual(runbookSections('# X\n## Meaning\n## Impact\n## Diagnosis\n## Mitigation\n'), ['Meaning', 'Impact', 'Diagnosis', 'Mitigation']);
    assert.deepEqual(runbookSections('# X\n## 1. Possible mitigations:\n## Symptom\n'), ['Symptoms', 'Mitigation']);
    assert.deepEqual(runbookSections('# X\n```\n## Meaning\n## Impact\n```\n'), [], 'headings in code blocks do not count');
    assert.deepEqual(runbookSections('# X\n## How the impact of this change was measured last year\n## Meaning\n'), ['Meaning']);
  });

  it('a stub (frontmatter only, or prose only) has no section or step', () => {
    assert.equal(hasSectionOrStep('---\ntitle: etcd\nweight: 10\n---\n'), false);
    assert.equal(hasSectionOrStep('---\nbookHidden: true\n---\n\n<!-- nothing -->\n'), false);
    assert.equal(hasSectionOrStep('Just a sentence.\n'), false);
    assert.equal(hasSectionOrStep('---\ntitle: x\n---\n- step one\n'), true);
    assert.equal(hasSectionOrStep('# Title\n'), true);
    assert.equal(hasSectionOrStep('---\nowner: [unclosed\n'), true, 'unclosed frontmatter stays for frontmatter-invalid');
  });

  it('gives the reason for each markdown decision', () => {
    const config = defaultConfig();
    const hints = { linked: new Map([['docs/x.md', 'alert X (a.yml)']]), alertNames: new Map([['kubepodcrashlooping', 'alert KubePodCrashLooping (a.yml)']]), shape: true };
    assert.match(classifyWithReason('docs/x.md', '# X\n', config, hints).reason, /^linked from alert X/);
    assert.match(classifyWithReason('alerts/k8s/kube-pod-crash-looping.md', '# K\n- step\n', config, hints).reason, /^named after alert KubePodCrashLooping/);
    assert.match(classifyWithReason('kb/y.md', '# Y\n## Meaning\n## Mitigation\n', config, hints).reason, /^runbook-shaped: sections Meaning, Mitigation/);
    assert.equal(classifyWithReason('kb/y.md', '# Y\n## Meaning\n## Mitigation\n', config).kind, undefined, 'no hints (runbooks.globs configured): globs and frontmatter only');
    const stub = classifyWithReason('content/runbooks/node/_index.md', '---\ntitle: node\n---\n', config, hints);
    assert.equal(stub.kind, undefined);
    assert.match(stub.reason, /no section or step/);
    const review = classifyWithReason('incidents/2026-03-checkout.md', '# Checkout outage\n## Impact\n## Timeline\n## Root cause\n## Resolution\n## Action items\n', config, hints);
    assert.equal(review.kind, 'postmortem', 'an incident review has Impact and Resolution too');
    assert.match(review.reason, /^postmortem-shaped: sections Timeline, Root cause, Action items/);
    assert.match(classifyWithReason('CONTRIBUTING.md', '## Steps\n## Rollback\n', config, hints).reason, /contributor/);
    for (const guide of ['content/docs/add-runbook.md', 'runbooks/runbook-template.md', 'docs/how-to-write-a-runbook.md', 'example.md']) {
      assert.equal(classifyWithReason(guide, '# X\n## Meaning\n## Mitigation\n', config, hints).kind, undefined, guide);
    }
    assert.equal(classifyWithReason('runbooks/new-database.md', '# X\n- step\n', config, hints).kind, 'runbook');
  });
});

describe('conventions: required frontmatter', () => {
  const fm = (keys: string[][]) => keys.map((k, i) => ({ keys: new Set(k), file: `r${i}.md` }));
  it('requires only the keys most runbooks already carry', () => {
    const d = detectRequiredFrontmatter(fm([['title', 'owner'], ['title', 'owner'], ['title', 'team'], ['title'], ['title', 'tags']]), ['owner', 'service', 'tags'])!;
    assert.deepEqual(d.value, ['owner']);
    assert.deepEqual(detectRequiredFrontmatter(fm([['title', 'weight'], ['title', 'weight'], ['title'], ['title'], ['title']]), ['owner', 'service', 'tags'])!.value, []);
    assert.equal(detectRequiredFrontmatter(fm([['title']]), ['owner']), undefined, 'too few runbooks: the configured keys stay');
  });
});

describe('conventions: detected on look-alike repositories', function () {
  this.timeout(30000);

  it('alerts with severity S1–S4: adopted, no severity finding; a stray value is reported against S1–S4', async () => {
    const files = loadFixture('conventions/severity-numbered');
    const res = await lintFixture(files, { rule: 'alert/severity-missing' });
    assert.deepEqual(res.engine.config.alerts.allowedSeverities, ['S1', 'S2', 'S3', 'S4']);
    assert.deepEqual(res.findings, []);
    assert.match(describeConventions(res.engine.conventions)!, /severities S1–S4 \(paging: S1\)/);
    // 10 alerts, one `critical`: the convention holds, and the odd one out is reported.
    const stray = files['alerts/payments.yml'] + files['alerts/payments.yml'].replace(/^groups:\n {2}- name: payments\n {4}rules:\n/m, '').replace(/Payments(\w+)/g, 'Other$1').replace('severity: S4', 'severity: critical');
    const res2 = await lintFixture({ ...files, 'alerts/payments.yml': stray }, { rule: 'alert/severity-missing' });
    const fs = findingsFor(res2, 'alerts/payments.yml');
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /`severity: critical`.*\(`S1`, `S2`, `S3`, `S4`\)/);
  });

  it('alerts linking via `runbook:` to docs/<service>/ under a base URL: links resolve, those docs are runbooks', async () => {
    const res = await lintFixture(loadFixture('conventions/runbook-annotation'), { rule: 'alert/runbook-missing' });
    const c = res.engine.config.alerts;
    assert.deepEqual(c.runbookAnnotations, ['runbook']);
    assert.equal(c.runbookBaseUrl, 'https://git.example.com/shop/ops/blob/main/');
    assert.deepEqual(res.findings, [], 'no runbook-missing on alerts that link via `runbook`');
    const runbooks = res.engine.index.byKind('runbook').map((f) => [f.relPath, f.reason]);
    assert.deepEqual(
      runbooks.map(([p]) => p),
      ['docs/checkout/high-error-rate.md', 'docs/checkout/latency.md', 'docs/checkout/pods-restarting.md', 'docs/payments/provider-errors.md', 'docs/payments/refunds-stuck.md'],
    );
    assert.match(runbooks[0][1]!, /^runbook frontmatter `service:`/);
    // docs/payments/ has no frontmatter: those are runbooks because an alert links them.
    assert.match(runbooks[3][1]!, /^linked from alert PaymentsProviderErrors \(alerts\/payments\.yml\)/);
    assert.equal(res.engine.index.get('docs/architecture.md'), undefined);
    const checkout = res.engine.index.get('alerts/checkout.yml')!;
    assert.equal(checkout.alerts![1].runbookPath, path.posix.join(res.engine.index.root, 'docs/checkout/latency.md'));
    assert.match(describeConventions(res.engine.conventions)!, /runbook links via `runbook`; runbook URLs under https:\/\/git\.example\.com\/shop\/ops\/blob\/main\/ map onto this repository; runbooks under docs\/ \(5\) \(2 linked from alerts\)/);
  });

  it('alerts/<component>/<AlertName>.md without frontmatter: shaped and named runbooks recognised, stubs and helpers not, no frontmatter flood', async () => {
    const res = await lintFixture(loadFixture('conventions/component-runbooks'));
    const runbooks = Object.fromEntries(res.engine.index.byKind('runbook').map((f) => [f.relPath, f.reason]));
    assert.deepEqual(Object.keys(runbooks), [
      'alerts/etcd/EtcdHighFsyncDurations.md',
      'alerts/etcd/EtcdMembersDown.md',
      'alerts/etcd/EtcdNoLeader.md',
      'alerts/ingress/IngressControllerDegraded.md',
      'alerts/ingress/IngressWithoutClassName.md',
    ]);
    assert.match(res.engine.index.unindexed().find((u) => u.relPath === 'example.md')!.reason, /template or a guide/);
    assert.match(runbooks['alerts/etcd/EtcdNoLeader.md']!, /^named after alert EtcdNoLeader \(rules\/etcd\.yaml\)/);
    assert.match(runbooks['alerts/etcd/EtcdMembersDown.md']!, /^runbook-shaped: sections Meaning, Impact, Diagnosis, Mitigation/);
    assert.equal(res.engine.index.get('alerts/etcd/_index.md'), undefined);
    assert.equal(res.engine.index.get('alerts/etcd/helpers/collect-logs.md'), undefined);
    // None carries frontmatter: nothing is required, so no frontmatter/owner/tags findings.
    assert.deepEqual(res.engine.config.runbooks.requiredFrontmatter, []);
    assert.deepEqual(res.findings.filter((f) => /^runbook\/(frontmatter|owner-missing|tags-missing)/.test(f.ruleId)), []);
    assert.match(describeConventions(res.engine.conventions)!, /runbooks under alerts\/ \(5\) \(1 named after alerts, 4 by their sections\)/);
  });

  it('a mixed repository: no vocabulary or key is guessed, the defaults apply', async () => {
    const res = await lintFixture(loadFixture('conventions/mixed'), { rule: 'alert/severity-missing' });
    const d = defaultConfig();
    assert.deepEqual(res.engine.config.alerts, d.alerts);
    assert.equal(res.engine.conventions.severities, undefined);
    assert.deepEqual(res.engine.conventions.applied, []);
    assert.equal(findingsFor(res, 'alerts/team-b.yml').length, 3, 'S2, P1 and high are all outside the defaults');
    assert.equal(res.engine.index.get('docs/cache.md'), undefined, 'Overview/Metrics are not runbook sections');
    assert.match(res.engine.index.get('docs/queue.md')!.reason!, /^linked from alert QueueFull/);
  });

  it('.opsreview.yml wins over detection, option by option', async () => {
    const files = loadFixture('conventions/severity-numbered');
    const res = await lintFixture(files, { config: { alerts: { allowedSeverities: ['critical', 'warning', 'info'] } }, rule: 'alert/severity-missing' });
    assert.deepEqual(res.engine.config.alerts.allowedSeverities, ['critical', 'warning', 'info']);
    assert.equal(res.findings.length, 5);
    assert.equal(res.engine.conventions.severities?.value.vocabulary, 'S1–S4', 'still detected, and reported as such');
    assert.ok(!res.engine.conventions.applied.includes('alerts.allowedSeverities'));
    // An explicit runbooks.globs turns runbook recognition by links, names and sections off.
    const comp = await lintFixture(loadFixture('conventions/component-runbooks'), { config: { runbooks: { globs: ['nothing/**'] } } });
    assert.deepEqual(comp.engine.index.byKind('runbook'), []);
  });

  it('on the sample workspace the detected conventions are what it configures, so its findings do not change', async () => {
    const engine = await Engine.create(path.resolve('runbooks'), { now: new Date('2026-11-25T00:00:00Z') });
    assert.deepEqual(engine.conventions.applied, []);
    const a = detectAlertConventions(engine.index, defaultConfig(), new Set());
    assert.deepEqual(a.config.alerts.allowedSeverities, defaultConfig().alerts.allowedSeverities);
    assert.deepEqual(a.config.alerts.runbookAnnotations, defaultConfig().alerts.runbookAnnotations);
    assert.equal(a.config.alerts.runbookBaseUrl, engine.config.alerts.runbookBaseUrl);
    assert.deepEqual(engine.config, engine.explicitConfig);
  });

  it('Terraform tags: the configured keys in the repository\'s spelling; keys it never writes stay required', async () => {
    const files = {
      'providers.tf': 'provider "aws" {\n  default_tags {\n    tags = { Environment = "prod", Owner = "payments" }\n  }\n}\n',
      'main.tf': 'resource "aws_sqs_queue" "a" {\n  tags = { Name = "a", Service = "checkout" }\n}\nresource "aws_sqs_queue" "b" {\n  tags = { Name = "b", Service = "checkout" }\n}\n',
    };
    const res = await lintFixture(files, { rule: 'terraform/tags-missing' });
    assert.deepEqual(res.engine.config.terraform.requiredTags, ['Owner', 'Environment', 'Service']);
    assert.deepEqual(res.findings, []);
    const configured = await lintFixture(files, { rule: 'terraform/tags-missing', config: { terraform: { requiredTags: ['owner', 'environment', 'service'] } } });
    // Both queues lack the explicit lower-case keys, and no resource carries them: one decision,
    // one repository-level finding (the convention pass; it was one finding per queue).
    assert.equal(configured.findings.length, 1, 'explicit lower-case keys: both queues lack them');
    assert.match(configured.findings[0].message, /None of the 2 taggable resources in this repository carries the `owner`, `environment`, `service` tags/);
    const partial = await lintFixture({ ...files, 'main.tf': files['main.tf'].replace(/, Service = "checkout"/g, '') }, { rule: 'terraform/tags-missing' });
    assert.deepEqual(partial.engine.config.terraform.requiredTags, ['Owner', 'Environment', 'service']);
    assert.equal(partial.findings.length, 1, 'service is never written: still required (once, for the repository)');
    assert.match(partial.findings[0].message, /carries the `service` tag/);
  });

  it('keeps the recognition current when an alert file starts or stops linking a document', async () => {
    const root = await writeWorkspace({ 'kb/db-failover.md': '# DB replica promotion\n\n1. Promote the replica.\n', 'alerts/db.yml': 'groups:\n  - name: db\n    rules:\n      - alert: DbDown\n        expr: up == 0\n' });
    const engine = await Engine.create(root);
    assert.equal(engine.index.get('kb/db-failover.md'), undefined);
    const linked = 'groups:\n  - name: db\n    rules:\n      - alert: DbDown\n        expr: up == 0\n        annotations:\n          runbook_url: ../kb/db-failover.md\n';
    writeFileSync(path.join(root, 'alerts/db.yml'), linked);
    const change = await engine.update(path.join(root, 'alerts/db.yml'));
    assert.equal(engine.index.get('kb/db-failover.md')?.kind, 'runbook');
    assert.ok(change.relint.some((p) => p.endsWith('kb/db-failover.md')));
    rmSync(path.join(root, 'alerts/db.yml'));
    const gone = await engine.remove(path.join(root, 'alerts/db.yml'));
    assert.equal(engine.index.get('kb/db-failover.md'), undefined);
    assert.ok(gone.removed.some((p) => p.endsWith('kb/db-failover.md')));
  });
});

describe('conventions: kept current on edits', function () {
  this.timeout(30000);

  it('re-lints the Alertmanager files when an edit changes the paging severity the vocabulary implies', async () => {
    const alerts = (sev: (i: number) => string) =>
      `groups:\n  - name: app\n    rules:\n${[1, 2, 3, 4].map((i) => `      - alert: A${i}\n        expr: up == 0\n        for: 5m\n        labels:\n          ${sev(i)}\n          owner: app\n`).join('')}`;
    const am = 'route:\n  receiver: pager\n  routes:\n    - receiver: chat\n      matchers: [severity="s1"]\nreceivers:\n  - name: pager\n    pagerduty_configs:\n      - routing_key: x\n  - name: chat\n    slack_configs:\n      - channel: "#app"\n';
    const root = await writeWorkspace({ 'alerts/app.yml': alerts((i) => `severity: ${['critical', 'warning', 'warning', 'info'][i - 1]}`), 'alertmanager/alertmanager.yml': am });
    const engine = await Engine.create(root, { only: ['alertmanager/critical-not-paging'] });
    const amPath = path.join(root, 'alertmanager/alertmanager.yml');
    assert.deepEqual(engine.lintFile(amPath), [], 'critical pages through the root receiver');
    const change = await engine.update(path.join(root, 'alerts/app.yml'), alerts((i) => `severity: s${i}`));
    assert.deepEqual(engine.config.alertmanager.criticalSeverities, ['s1']);
    assert.ok(change.relint.some((p) => p.endsWith('alertmanager/alertmanager.yml')), 'the Alertmanager file is re-linted');
    assert.equal(engine.lintFile(amPath).length, 1, 's1, now the paging level, reaches only chat');
  });
  it('requiredFrontmatter follows the runbooks as they gain keys, and every runbook is re-linted when it flips', async () => {
    const rb = (n: number, fm = '') => `${fm ? `---\n${fm}\n---\n` : ''}# R${n}\n\n## Steps\n- step\n`;
    const files: Record<string, string> = {};
    for (let i = 0; i < 5; i++) files[`runbooks/r${i}.md`] = rb(i);
    const root = await writeWorkspace(files);
    // `profile: all`: runbook/frontmatter-missing is outside the default profile.
    const engine = await Engine.create(root, { profile: 'all' });
    assert.deepEqual(engine.config.runbooks.requiredFrontmatter, []);
    await engine.update(path.join(root, 'runbooks/r0.md'), rb(0, 'owner: a'));
    await engine.update(path.join(root, 'runbooks/r1.md'), rb(1, 'owner: a'));
    // Typing in a body changes nothing detected.
    const body = await engine.update(path.join(root, 'runbooks/r1.md'), rb(1, 'owner: a') + 'more\n');
    assert.equal(body.conventionsChanged, false);
    const flip = await engine.update(path.join(root, 'runbooks/r2.md'), rb(2, 'owner: b'));
    assert.deepEqual(engine.config.runbooks.requiredFrontmatter, ['owner']);
    assert.equal(flip.conventionsChanged, true);
    assert.equal(flip.relint.length, 5, 'all five runbooks: the option they are linted with changed');
    assert.equal(engine.lintFile(path.join(root, 'runbooks/r4.md')).filter((f) => f.ruleId === 'runbook/frontmatter-missing').length, 1);
  });
});

describe('conventions: config text', () => {
  it('records which options the file sets', () => {
    assert.deepEqual([...explicitKeysOf({ alerts: { allowedSeverities: ['a'] }, rules: {} })].sort(), ['alerts', 'alerts.allowedSeverities', 'rules']);
  });

  it('merges detected options into an existing file without touching its own', async () => {
    const res = await lintFixture(loadFixture('conventions/severity-numbered'));
    const existing = '# ours\nalerts:\n  ownerLabels: [team] # who gets paged\nrules:\n  alert/for-missing: off\n';
    const merged = mergeIntoConfig(existing, res.engine.conventions, explicitKeysOf({ alerts: { ownerLabels: ['team'] }, rules: {} }))!;
    // Detected options are written even where they equal the defaults (`runbook_url`): with the evidence.
    assert.deepEqual(merged.added, ['alerts.allowedSeverities', 'alertmanager.criticalSeverities', 'alerts.runbookAnnotations']);
    // The vocabulary's paging level is what alertmanager/critical-not-paging checks reaches a pager.
    assert.deepEqual(res.engine.config.alertmanager.criticalSeverities, ['S1']);
    assert.match(merged.text, /criticalSeverities: \[S1\]/);
    assert.ok(merged.text.startsWith('# ours\nalerts:\n  ownerLabels: [team] # who gets paged\n'), merged.text);
    assert.match(merged.text, /# 5 of 5 alert severities use S1–S4.*\n(.*\n)*\s+allowedSeverities: \[S1, S2, S3, S4\]/);
    assert.match(merged.text, /alert\/for-missing: off/);
    assert.equal(mergeIntoConfig('- a list\n', res.engine.conventions, new Set()), undefined);
    const flow = mergeIntoConfig('alerts: {}\n', res.engine.conventions, new Set(['alerts']))!;
    assert.match(flow.text, /^alerts:\n {2}# 5 of 5 alert severities/);
    assert.match(renderConfig(res.engine.conventions, '2026-11-25'), /^# OpsReview configuration, written by `opsreview init`/);
  });
});

describe('CLI: opsreview init and files', function () {
  this.timeout(30000);
  async function run(args: string[]) {
    let out = '';
    let err = '';
    const code = await main(args, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  }

  it('init writes a commented config with the evidence, which then changes nothing; refuses to overwrite', async () => {
    const root = await writeWorkspace(loadFixture('conventions/runbook-annotation'));
    const before = await run(['check', root, '--format', 'json']);
    const dry = await run(['init', root, '--dry-run']);
    assert.equal(dry.code, 0);
    assert.match(dry.out, /# \d+ alerts link their runbook with `runbook`/);
    assert.match(dry.out, /runbookAnnotations: \[runbook\]/);
    const wrote = await run(['init', root]);
    assert.equal(wrote.code, 0, wrote.err);
    const text = readFileSync(path.join(root, '.opsreview.yml'), 'utf8');
    assert.equal(text, dry.out);
    const after = await run(['check', root, '--format', 'json']);
    assert.deepEqual(JSON.parse(after.out), JSON.parse(before.out), 'keeping the detected conventions as configuration changes no finding');
    const again = await run(['init', root]);
    assert.equal(again.code, 2);
    assert.match(again.err, /already exists; not overwriting/);
    assert.equal(readFileSync(path.join(root, '.opsreview.yml'), 'utf8'), text);
  });

  it('check prints the conventions line above the summary', async () => {
    const root = await writeWorkspace(loadFixture('conventions/severity-numbered'));
    const r = await run(['check', root]);
    const lines = r.out.trim().split('\n');
    assert.match(lines[lines.length - 2], /^conventions detected: severities S1–S4 \(paging: S1\)/);
  });

  it('files lists kind and reason for every file, JSON as {file, kind, reason}', async () => {
    const root = await writeWorkspace(loadFixture('conventions/component-runbooks'));
    const r = await run(['files', root, '--format', 'json']);
    assert.equal(r.code, 0);
    const rows = JSON.parse(r.out) as { file: string; kind: string; reason: string; code?: string }[];
    assert.deepEqual(Object.keys(rows.find((x) => x.kind === 'alert-rules')!).sort(), ['file', 'kind', 'reason']);
    // Rows not indexed or skipped carry their reason as a code too.
    for (const x of rows.filter((x) => x.kind === 'not indexed')) assert.deepEqual(Object.keys(x).sort(), ['code', 'file', 'kind', 'reason']);
    const by = Object.fromEntries(rows.map((x) => [x.file, x]));
    assert.equal(by['rules/etcd.yaml'].kind, 'alert-rules');
    assert.match(by['alerts/etcd/EtcdNoLeader.md'].reason, /named after alert EtcdNoLeader/);
    assert.equal(by['alerts/etcd/_index.md'].kind, 'not indexed');
    assert.match(by['alerts/etcd/_index.md'].reason, /no runbook glob/);
    const text = await run(['files', root]);
    assert.match(text.out, /alerts\/etcd\/EtcdMembersDown\.md\s+runbook\s+runbook-shaped/);
  });
});
