import * as assert from 'node:assert/strict';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseYaml } from '../../src/engine/parsers/yaml';
import { Engine } from '../../src/engine/engine';
import type { Finding } from '../../src/engine/types';
import { applyFix, findingsFor, lintFixture, rangeOf, writeWorkspace } from './helpers';

const lines = (...l: string[]) => l.join('\n') + '\n';

const RUNBOOK = (title: string) => `---\nowner: sre\nservice: api\ntags: [api]\n---\n# ${title}\n\n## Rollback\nRevert.\n`;

/** `ruleId l,c,l,c` of the alert findings of a file, in position order. */
function summary(fs: Finding[]): string[] {
  return fs.filter((f) => f.ruleId.startsWith('alert/')).map((f) => `${f.ruleId} ${rangeOf(f).join(',')}`).sort();
}

/** The one finding of `ruleId` in `rel`, its preferred (or only) fix applied to `text`; also checks the result parses. */
async function fixOf(files: Record<string, string>, rel: string, ruleId: string, config?: object): Promise<{ finding: Finding; fixed: string | undefined }> {
  const res = await lintFixture(files, { rule: ruleId, config });
  const fs = findingsFor(res, rel, ruleId);
  assert.equal(fs.length, 1, `one ${ruleId} finding: ${fs.map((f) => f.message).join(' | ')}`);
  const fix = fs[0].fixes?.find((x) => x.isPreferred) ?? fs[0].fixes?.[0];
  const fixed = fix ? applyFix(files[rel], fix) : undefined;
  if (fixed !== undefined) assert.deepEqual(parseYaml(fixed).errors, [], `the fixed text is valid YAML:\n${fixed}`);
  return { finding: fs[0], fixed };
}

/** Lints `text` as `rel` with one rule again: the fix made it silent. */
async function assertSilent(rel: string, text: string, ruleId: string, config?: object, extra: Record<string, string> = {}) {
  const res = await lintFixture({ ...extra, [rel]: text }, { rule: ruleId, config });
  assert.deepEqual(findingsFor(res, rel, ruleId).map((f) => f.message), []);
}

const BARE = lines(
  '# Rules of the api service.',
  'groups:',
  '  - name: api',
  '    rules:',
  '      - alert: ApiDown',
  '        expr: up{job="api"} == 0',
  '      - record: job:up:sum',
  '        expr: sum(up)',
);

const CLEAN = lines(
  'groups:',
  '  - name: api',
  '    rules:',
  '      - alert: ApiDown',
  '        expr: up{job="api"} == 0',
  '        for: 5m',
  '        labels:',
  '          severity: critical',
  '          team: api',
  '        annotations:',
  '          summary: "{{ $labels.instance }} is down"',
  '          runbook_url: ../runbooks/api-down.md#triage',
  '      - alert: ApiSlow',
  '        expr: histogram_quantile(0.99, rate(http_duration_seconds_bucket[5m])) > 1',
  '        for: 10m',
  '        labels: {severity: warning, owner: api}',
  '        annotations: {description: p99 above 1s, runbook_url: https://wiki.example.com/api-slow}',
  '      - record: job:up:sum',
  '        expr: sum(up)',
);

describe('alert rules', () => {
  it('report each missing piece of a bare alert on its `alert: Name`, and ignore recording rules', async () => {
    const res = await lintFixture({ 'alerts/api.yml': BARE });
    assert.deepEqual(summary(findingsFor(res, 'alerts/api.yml')), [
      'alert/for-missing 4,8,4,22',
      'alert/owner-missing 4,8,4,22',
      'alert/runbook-missing 4,8,4,22',
      'alert/severity-missing 4,8,4,22',
      'alert/summary-missing 4,8,4,22',
    ]);
    const by = (id: string) => findingsFor(res, 'alerts/api.yml', id)[0];
    assert.equal(by('alert/owner-missing').severity, 'warning');
    assert.equal(by('alert/severity-missing').severity, 'warning');
    assert.equal(by('alert/runbook-missing').severity, 'warning');
    assert.equal(by('alert/summary-missing').severity, 'info');
    assert.equal(by('alert/for-missing').severity, 'info');
    assert.match(by('alert/owner-missing').message, /'ApiDown'.*`owner` or `team`/);
    assert.match(by('alert/severity-missing').message, /`critical`, `warning`, `info`/);
  });

  it('stay silent on a clean file (block and flow maps, templated summary, external runbook URL)', async () => {
    const res = await lintFixture({ 'alerts/api.yml': CLEAN, 'runbooks/api-down.md': RUNBOOK('Api down') });
    assert.deepEqual(summary(res.findings), []);
  });

  it('cover PrometheusRule manifests, also inside another manifest (kind: List), not other objects', async () => {
    const manifest = lines(
      'apiVersion: monitoring.coreos.com/v1',
      'kind: PrometheusRule',
      'metadata:',
      '  name: api',
      'spec:',
      '  groups:',
      '    - name: api',
      '      rules:',
      '        - alert: ApiDown',
      '          expr: up == 0',
      '          for: 5m',
      '          labels: {team: api}',
      '          annotations: {summary: down, runbook_url: "https://wiki/x"}',
    );
    const list = lines(
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: {name: cfg}',
      '    data: {groups: x}',
      '  - apiVersion: monitoring.coreos.com/v1',
      '    kind: PrometheusRule',
      '    metadata: {name: api}',
      '    spec:',
      '      groups:',
      '        - name: api',
      '          rules:',
      '            - alert: ApiDown',
      '              expr: up == 0',
      '              for: 5m',
      '              labels: {team: api, severity: critical}',
      '              annotations: {summary: down, runbook_url: ../runbooks/gone.md}',
    );
    const res = await lintFixture({ 'k8s/rules.yaml': manifest, 'k8s/list.yaml': list, 'runbooks/api.md': RUNBOOK('Api') });
    assert.equal(res.engine.index.get('k8s/rules.yaml')!.kind, 'alert-rules');
    assert.equal(res.engine.index.get('k8s/list.yaml')!.kind, 'k8s-manifest');
    assert.deepEqual(summary(findingsFor(res, 'k8s/rules.yaml')), ['alert/severity-missing 8,10,8,24']);
    assert.deepEqual(summary(findingsFor(res, 'k8s/list.yaml')), ['alert/runbook-broken 18,56,18,75']);
    // The manifest records the reference, so the runbook's appearance re-checks it.
    assert.deepEqual(res.engine.index.get('k8s/list.yaml')!.references.map((r) => [r.kind, path.posix.relative(res.engine.index.root, r.target)]), [['runbook_url', 'runbooks/gone.md']]);
  });

  describe('alert/owner-missing', () => {
    it('adds the owner label before `annotations:`, creating `labels:`; proposes the owner the other alerts name', async () => {
      const text = lines(
        'groups:',
        '  - name: api',
        '    rules:',
        '      - alert: ApiDown',
        '        expr: up == 0',
        '        annotations:',
        '          summary: down',
        '      - alert: ApiErrors',
        '        expr: rate(errors[5m]) > 1',
        '        labels:',
        '          team: api-platform',
      );
      const { finding, fixed } = await fixOf({ 'a.yml': text }, 'a.yml', 'alert/owner-missing');
      assert.deepEqual(rangeOf(finding), [3, 8, 3, 22]);
      assert.equal(finding.fixes![0].title, 'Add label `team: api-platform`');
      assert.equal(fixed, text.replace('        annotations:\n', '        labels:\n          team: api-platform\n        annotations:\n'));
      await assertSilent('a.yml', fixed!, 'alert/owner-missing');
    });

    it('appends to an existing labels map, before its trailing comment, with `owner: TODO` when nobody is named', async () => {
      const text = lines(
        'groups:',
        '  - name: api',
        '    rules:',
        '      - alert: ApiDown # page',
        '        expr: |',
        '          up == 0',
        '        labels:',
        '          severity: critical # pages',
        '          # owner to be decided',
        '',
        '      # the next alert',
      );
      const { fixed } = await fixOf({ 'a.yml': text }, 'a.yml', 'alert/owner-missing');
      assert.equal(fixed, text.replace('# pages\n', '# pages\n          owner: TODO\n'));
    });

    it('fills an empty `labels:` key', async () => {
      const text = lines('groups:', '  - name: g', '    rules:', '      - alert: A', '        expr: up == 0', '        labels:  # none yet', '        for: 5m');
      const { fixed } = await fixOf({ 'a.yml': text }, 'a.yml', 'alert/owner-missing');
      assert.equal(fixed, text.replace('# none yet\n', '# none yet\n          owner: TODO\n'));
    });

    it('honours alerts.ownerLabels', async () => {
      const text = lines('groups:', '  - name: g', '    rules:', '      - alert: A', '        expr: up == 0', '        labels:', '          team: x');
      const cfg = { alerts: { ownerLabels: ['squad'] } };
      const { finding, fixed } = await fixOf({ 'a.yml': text }, 'a.yml', 'alert/owner-missing', cfg);
      assert.match(finding.message, /`squad`/);
      assert.equal(fixed, text + '          squad: TODO\n');
      const ok = await lintFixture({ 'a.yml': text }, { rule: 'alert/owner-missing', config: { alerts: { ownerLabels: ['owner', 'team'] } } });
      assert.deepEqual(ok.findings, []);
    });

    it('adds to a one-line flow map, and gives no fix for a multi-line flow map', async () => {
      const text = lines('groups:', '  - name: g', '    rules:', '      - alert: A', '        expr: up == 0', '        labels: {severity: page}  # flow');
      const { fixed } = await fixOf({ 'a.yml': text }, 'a.yml', 'alert/owner-missing');
      assert.equal(fixed, text.replace('{severity: page}', '{severity: page, owner: TODO}'));
      const empty = text.replace('{severity: page}', '{}');
      assert.equal((await fixOf({ 'a.yml': empty }, 'a.yml', 'alert/owner-missing')).fixed, empty.replace('{}', '{owner: TODO}'));
      const multi = lines('groups:', '  - name: g', '    rules:', '      - alert: A', '        expr: up == 0', '        labels: {', '          severity: page', '        }');
      const res = await fixOf({ 'a.yml': multi }, 'a.yml', 'alert/owner-missing');
      assert.equal(res.finding.fixes, undefined);
    });
  });

  describe('alert/severity-missing', () => {
    it('adds `severity: warning` (the mildest sensible default) at the end of the labels of a PrometheusRule with 4-space indentation', async () => {
      const text = lines(
        'apiVersion: monitoring.coreos.com/v1',
        'kind: PrometheusRule',
        'metadata:',
        '    name: api',
        'spec:',
        '    groups:',
        '        -   name: api',
        '            rules:',
        '                -   alert: ApiDown',
        '                    expr: up == 0',
        '                    labels:',
        '                        team: api',
        '                    annotations:',
        '                        summary: down',
      );
      const { finding, fixed } = await fixOf({ 'r.yaml': text }, 'r.yaml', 'alert/severity-missing');
      assert.deepEqual(rangeOf(finding), [8, 20, 8, 34]);
      assert.equal(fixed, text.replace('team: api\n', 'team: api\n                        severity: warning\n'));
    });

    it('creates `labels:` with the file\'s indentation step when there is no labels map at all', async () => {
      const text = lines(
        'groups:',
        '- name: api',
        '  rules:',
        '  - alert: ApiDown',
        '    expr: up == 0',
        '    annotations:',
        '        summary: down',
      );
      const { fixed } = await fixOf({ 'r.yml': text }, 'r.yml', 'alert/severity-missing');
      assert.equal(fixed, text.replace('    annotations:\n', '    labels:\n        severity: warning\n    annotations:\n'));
    });

    it('reports a value outside alerts.allowedSeverities on the value, with a fix per allowed value (one preferred on a case match)', async () => {
      const text = lines('groups:', '  - name: g', '    rules:', '      - alert: A', '        expr: up == 0', '        labels:', '          severity: page', '      - alert: B', '        expr: up == 0', "        labels: {severity: 'Critical'}");
      const res = await lintFixture({ 'a.yml': text }, { rule: 'alert/severity-missing' });
      const fs = findingsFor(res, 'a.yml');
      assert.deepEqual(fs.map(rangeOf), [[6, 20, 6, 24], [9, 27, 9, 37]]);
      assert.match(fs[0].message, /`severity: page`, which is not an allowed severity/);
      assert.deepEqual(fs[0].fixes!.map((f) => [f.title, f.isPreferred]), [['Set `severity: critical`', false], ['Set `severity: warning`', false], ['Set `severity: info`', false]]);
      assert.equal(applyFix(text, fs[0].fixes![0]), text.replace('severity: page', 'severity: critical'));
      assert.deepEqual(fs[1].fixes!.map((f) => [f.title, f.isPreferred]), [['Set `severity: critical`', true]]);
      assert.equal(applyFix(text, fs[1].fixes![0]), text.replace("{severity: 'Critical'}", '{severity: critical}'));
    });

    it('honours alerts.severityLabel and alerts.allowedSeverities (default: the mildest allowed value)', async () => {
      const text = lines('groups:', '  - name: g', '    rules:', '      - alert: A', '        expr: up == 0', '        labels:', '          severity: critical', '          team: x');
      const cfg = { alerts: { severityLabel: 'priority', allowedSeverities: ['page', 'ticket'] } };
      const { finding, fixed } = await fixOf({ 'a.yml': text }, 'a.yml', 'alert/severity-missing', cfg);
      assert.match(finding.message, /no `priority` label.*`page`, `ticket`/);
      assert.equal(fixed, text + '          priority: ticket\n');
      await assertSilent('a.yml', fixed!, 'alert/severity-missing', cfg);
      const allowed = await lintFixture({ 'a.yml': text.replace('critical', 'P1') }, { rule: 'alert/severity-missing', config: { alerts: { allowedSeverities: ['P1', 'P2'] } } });
      assert.deepEqual(allowed.findings, []);
    });

    it('reports an empty value and accepts a templated one', async () => {
      const text = lines('groups:', '  - name: g', '    rules:', '      - alert: A', '        expr: up == 0', '        labels:', '          severity: ""', '      - alert: B', '        expr: up == 0', '        labels:', '          severity: "{{ $labels.severity }}"');
      const res = await lintFixture({ 'a.yml': text }, { rule: 'alert/severity-missing' });
      assert.deepEqual(findingsFor(res, 'a.yml').map(rangeOf), [[6, 20, 6, 22]]);
      assert.match(findingsFor(res, 'a.yml')[0].message, /empty `severity`/);
    });
  });

  describe('alert/runbook-missing', () => {
    it('creates `annotations:` at the end of the rule with a TODO placeholder', async () => {
      const text = lines('groups:', '  - name: g', '    rules:', '      - alert: ApiDown', '        expr: up == 0', '        labels:', '          team: x', '      - record: r', '        expr: sum(up)');
      const { finding, fixed } = await fixOf({ 'a.yml': text }, 'a.yml', 'alert/runbook-missing');
      assert.deepEqual(rangeOf(finding), [3, 8, 3, 22]);
      assert.equal(fixed, text.replace('team: x\n', 'team: x\n        annotations:\n          runbook_url: "TODO: link the runbook"\n'));
    });

    it('with alerts.runbookBaseUrl, proposes the runbook the alert would have under the base', async () => {
      const text = lines('groups:', '  - name: g', '    rules:', '      - alert: HTTPErrorsHigh', '        expr: up == 0', '        annotations:', '          summary: x');
      const cfg = { alerts: { runbookBaseUrl: 'https://github.com/acme/ops/blob/main/' } };
      const { fixed } = await fixOf({ 'a.yml': text }, 'a.yml', 'alert/runbook-missing', cfg);
      assert.equal(fixed, text + '          runbook_url: https://github.com/acme/ops/blob/main/http-errors-high.md\n');
    });

    it('offers to rename a `runbook` annotation to `runbook_url`', async () => {
      const text = lines('groups:', '  - name: g', '    rules:', '      - alert: A', '        expr: up == 0', '        annotations: {runbook: "https://wiki/a"}');
      const { finding, fixed } = await fixOf({ 'a.yml': text }, 'a.yml', 'alert/runbook-missing');
      assert.match(finding.message, /rename it to `runbook_url`/);
      assert.equal(fixed, text.replace('{runbook:', '{runbook_url:'));
    });
  });

  describe('a repository none of whose alerts carries the metadata: one finding (the convention pass)', () => {
    // Look-alike of a catalogue of rules meant to be copied: no owner, no runbook link anywhere.
    const GROUP = lines(
      'groups:',
      '  - name: payments',
      '    rules:',
      '      - alert: PaymentsDown',
      '        expr: up{job="payments"} == 0',
      '        for: 5m',
      '        labels:',
      '          severity: critical',
      '        annotations:',
      '          summary: payments is down',
      '      - alert: PaymentsErrors',
      '        expr: rate(payment_errors_total[5m]) > 1',
      '        for: 10m',
      '        labels:',
      '          severity: warning',
      '        annotations:',
      '          summary: payment errors',
      '      - record: job:payments:rate5m',
      '        expr: sum(rate(payments_total[5m]))',
      '      - alert: PaymentsQueueFull',
      '        expr: payments_queue_depth > 1000',
      '        for: 15m',
      '        labels: {severity: warning}',
      '        annotations: {summary: queue full}',
    );

    // (Was one finding per group on its `name:`; now one finding for the whole repository, on
    // its first file's first alert, whose fix labels every alert.)
    it('owner-missing: one finding for the repository, one fix that labels every alert', async () => {
      const { finding, fixed } = await fixOf({ 'a.yml': GROUP }, 'a.yml', 'alert/owner-missing');
      assert.deepEqual(rangeOf(finding), [3, 8, 3, 27]);
      assert.match(finding.message, /None of the 3 alerts in this repository carries an owner or team label/);
      assert.equal(finding.fixes![0].title, 'Adopt it in all 3 alerts');
      assert.equal(
        fixed,
        GROUP.replace('severity: critical\n', 'severity: critical\n          owner: TODO\n')
          .replace('severity: warning\n', 'severity: warning\n          owner: TODO\n')
          .replace('{severity: warning}', '{severity: warning, owner: TODO}'),
      );
      await assertSilent('a.yml', fixed!, 'alert/owner-missing');
    });

    it('spans files: one finding on the first file in path order, naming the files; none on the others', async () => {
      const res = await lintFixture({ 'rules/b.yml': GROUP, 'rules/a.yml': GROUP.replace(/Payments/g, 'Ledger') }, { rule: 'alert/owner-missing' });
      assert.equal(res.findings.length, 1);
      assert.equal(res.findings[0].path, path.posix.join(res.engine.index.root, 'rules/a.yml'));
      assert.match(res.findings[0].message, /None of the 6 alerts in this repository .* in 2 files \(rules\/a\.yml, rules\/b\.yml\)/);
      assert.equal(new Set(res.findings[0].fixes![0].edits.map((e) => e.path)).size, 2, 'the fix edits both files');
      res.dispose();
    });

    it('runbook-missing: one finding; the fix links each alert its own runbook under alerts.runbookBaseUrl', async () => {
      const cfg = { alerts: { runbookBaseUrl: 'https://github.com/acme/ops/blob/main/runbooks/' } };
      const { finding, fixed } = await fixOf({ 'a.yml': GROUP }, 'a.yml', 'alert/runbook-missing', cfg);
      assert.deepEqual(rangeOf(finding), [3, 8, 3, 27]);
      assert.match(finding.message, /None of the 3 alerts in this repository links a runbook/);
      const url = (n: string) => `runbook_url: https://github.com/acme/ops/blob/main/runbooks/${n}.md`;
      assert.equal(
        fixed,
        GROUP.replace('summary: payments is down\n', `summary: payments is down\n          ${url('payments-down')}\n`)
          .replace('summary: payment errors\n', `summary: payment errors\n          ${url('payments-errors')}\n`)
          .replace('{summary: queue full}', `{summary: queue full, ${url('payments-queue-full')}}`),
      );
      await assertSilent('a.yml', fixed!, 'alert/runbook-missing', cfg);
    });

    it('severity-missing: one finding with the mildest allowed value for every alert', async () => {
      const text = lines('groups:', '- name: batch', '  rules:', '  - alert: JobFailed', '    expr: job_failed > 0', '    labels:', '      team: data', '  - alert: JobSlow', '    expr: job_seconds > 3600', '    labels:', '      team: data');
      const { finding, fixed } = await fixOf({ 'b.yml': text }, 'b.yml', 'alert/severity-missing');
      assert.deepEqual(rangeOf(finding), [3, 4, 3, 20]);
      assert.match(finding.message, /None of the 2 alerts in this repository carries a severity label/);
      assert.equal(fixed, text.replace(/team: data\n/g, 'team: data\n      severity: warning\n'));
    });

    it('reports each alert again as soon as one alert anywhere follows the convention (exceptions to it)', async () => {
      const mixed = GROUP.replace('severity: critical\n', 'severity: critical\n          owner: payments\n') + lines(
        '  - name: ledger',
        '    rules:',
        '      - alert: LedgerLag',
        '        expr: ledger_lag_seconds > 60',
        '      - alert: LedgerDown',
        '        expr: up{job="ledger"} == 0',
      );
      const res = await lintFixture({ 'a.yml': mixed }, { rule: 'alert/owner-missing' });
      const fs = findingsFor(res, 'a.yml');
      assert.deepEqual(fs.map(rangeOf), [[11, 8, 11, 29], [20, 8, 20, 32], [27, 8, 27, 24], [29, 8, 29, 25]]);
      // The fix proposes the owner the file's other alerts name.
      assert.equal(fs[0].fixes![0].title, 'Add label `owner: payments`');
      assert.equal(fs[3].fixes![0].title, 'Add label `owner: payments`');
      // Another file following it is enough: the repository has the convention.
      const other = await lintFixture({ 'a.yml': GROUP, 'b.yml': lines('groups:', '- name: x', '  rules:', '  - alert: X', '    expr: up == 0', '    labels: {team: core}') }, { rule: 'alert/owner-missing' });
      assert.equal(findingsFor(other, 'a.yml').length, 3);
    });

    it('reads group labels (Prometheus 3.0+): an owner or severity set once on the group counts for its alerts', async () => {
      const grouped = GROUP.replace('  - name: payments\n', '  - name: payments\n    labels:\n      team: payments\n');
      const res = await lintFixture({ 'a.yml': grouped }, { rule: 'alert/owner-missing' });
      assert.deepEqual(res.findings, []);
      const bare = lines('groups:', '- name: batch', '  labels: {severity: warning}', '  rules:', '  - alert: JobFailed', '    expr: job_failed > 0', '  - alert: JobSlow', '    expr: job_seconds > 3600', '    labels: {severity: pager}');
      const sev = await lintFixture({ 'b.yml': bare }, { rule: 'alert/severity-missing' });
      assert.deepEqual(findingsFor(sev, 'b.yml').map((f) => f.message), ["Alert 'JobSlow' has `severity: pager`, which is not an allowed severity (`critical`, `warning`, `info`): Alertmanager routes will not match it."]);
      // A value set on the group is judged once, on the group's label.
      const wrong = bare.replace('{severity: warning}', '{severity: urgent}').replace('    labels: {severity: pager}\n', '');
      const once = await lintFixture({ 'b.yml': wrong }, { rule: 'alert/severity-missing' });
      assert.deepEqual(findingsFor(once, 'b.yml').map((f) => [f.message.slice(0, 40), ...rangeOf(f)]), [["Group 'batch' has `severity: urgent`, wh", 2, 21, 2, 27]]);
    });

    it('a suppression above one alert leaves it out of the repository finding (and is used); a file-wide one silences it', async () => {
      const oneOff = GROUP.replace('      - alert: PaymentsErrors\n', '      # opsreview-disable-next-line alert/owner-missing -- routed by the ledger team\n      - alert: PaymentsErrors\n');
      const res = await lintFixture({ 'a.yml': oneOff });
      const owner = findingsFor(res, 'a.yml', 'alert/owner-missing');
      assert.equal(owner.length, 1);
      assert.match(owner[0].message, /None of the 3 alerts in this repository carries an owner/);
      assert.equal(owner[0].fixes![0].edits.length, 2, 'the suppressed alert is not edited');
      assert.deepEqual(findingsFor(res, 'a.yml', 'opsreview/unused-suppression'), []);
      // Two alerts, one suppressed: the other is reported on its own.
      const two = lines('groups:', '  - name: g', '    rules:', '      # opsreview-disable-next-line alert/owner-missing', '      - alert: A', '        expr: up == 0', '      - alert: B', '        expr: up == 0');
      const res2 = await lintFixture({ 'a.yml': two });
      assert.deepEqual(findingsFor(res2, 'a.yml', 'alert/owner-missing').map((f) => f.message), ["Alert 'B' has no owner label (`owner` or `team`): add one so it routes to, and is tuned by, the team that owns it."]);
      assert.deepEqual(findingsFor(res2, 'a.yml', 'opsreview/unused-suppression'), []);
      const whole = '# opsreview-disable alert/owner-missing -- a catalogue: owners are added where it is deployed\n' + GROUP;
      const res3 = await lintFixture({ 'a.yml': whole });
      assert.deepEqual(findingsFor(res3, 'a.yml', 'alert/owner-missing'), []);
      assert.deepEqual(findingsFor(res3, 'a.yml', 'opsreview/unused-suppression'), []);
    });

    it('honours .opsreview.yml: the configured owner label in the fix, and the rule switched off', async () => {
      const { finding, fixed } = await fixOf({ 'a.yml': GROUP }, 'a.yml', 'alert/owner-missing', { alerts: { ownerLabels: ['squad'] } });
      assert.match(finding.message, /alerts\.ownerLabels/);
      assert.equal(fixed!.match(/squad: TODO/g)!.length, 3);
      const off = await lintFixture({ 'a.yml': GROUP }, { config: { rules: { 'alert/owner-missing': 'off' } } });
      assert.deepEqual(findingsFor(off, 'a.yml', 'alert/owner-missing'), []);
    });

    it('points at the first alert in a PrometheusRule manifest', async () => {
      const manifest = lines(
        'apiVersion: monitoring.coreos.com/v1',
        'kind: PrometheusRule',
        'metadata: {name: payments}',
        'spec:',
        '  groups:',
        '    - name: payments.rules',
        '      rules:',
        '        - alert: PaymentsDown',
        '          expr: up == 0',
        '          labels: {severity: critical, team: payments}',
        '        - alert: PaymentsSlow',
        '          expr: latency_seconds > 1',
        '          labels: {severity: warning, team: payments}',
      );
      const res = await lintFixture({ 'k8s/rules.yaml': manifest }, { rule: 'alert/runbook-missing' });
      assert.deepEqual(findingsFor(res, 'k8s/rules.yaml').map(rangeOf), [[7, 10, 7, 29]]);
    });
  });

  describe('alert/summary-missing', () => {
    it('accepts `description`, and adds a `summary` placeholder otherwise', async () => {
      const text = lines(
        'groups:',
        '  - name: g',
        '    rules:',
        '      - alert: A',
        '        expr: up == 0',
        '        annotations:',
        '          description: down',
        '      - alert: B',
        '        expr: up == 0',
        '        annotations:',
        '          runbook_url: https://wiki/b',
        '        # end of B',
      );
      const { finding, fixed } = await fixOf({ 'a.yml': text }, 'a.yml', 'alert/summary-missing');
      assert.deepEqual(rangeOf(finding), [7, 8, 7, 16]);
      assert.equal(fixed, text.replace('https://wiki/b\n', 'https://wiki/b\n          summary: "TODO: what is wrong and what it affects"\n'));
    });

    it('accepts a `message` annotation and a one-line `title`, not a multi-line title or an empty message', async () => {
      const rule = (name: string, ...annotations: string[]) => [`      - alert: ${name}`, '        expr: up == 0', '        annotations:', ...annotations.map((a) => `          ${a}`)];
      const text = lines('groups:', '  - name: g', '    rules:',
        ...rule('Message', 'message: "{{ $labels.job }} has restarted twice in 30 minutes."'),
        ...rule('Title', 'title: Ingester unhealthy'),
        ...rule('LongTitle', 'title: |', '  Ingester', '  unhealthy'),
        ...rule('EmptyMessage', 'message: ""'),
      );
      const res = await lintFixture({ 'a.yml': text }, { rule: 'alert/summary-missing' });
      assert.deepEqual(res.findings.map((f) => /Alert '(\w+)'/.exec(f.message)![1]), ['LongTitle', 'EmptyMessage']);
    });
  });

  describe('alert/for-missing', () => {
    it('adds `for: 5m` after a block-scalar expr, before what follows', async () => {
      const text = lines(
        'groups:',
        '  - name: g',
        '    rules:',
        '      - alert: A',
        '        expr: |',
        '          sum(rate(errors[1m]))',
        '            / sum(rate(requests[1m])) > 0.05',
        '',
        '        labels:',
        '          severity: warning',
      );
      const { finding, fixed } = await fixOf({ 'a.yml': text }, 'a.yml', 'alert/for-missing');
      assert.deepEqual(rangeOf(finding), [3, 8, 3, 16]);
      assert.equal(fixed, text.replace('> 0.05\n', '> 0.05\n        for: 5m\n'));
      await assertSilent('a.yml', fixed!, 'alert/for-missing');
    });

    it('adds it after the last line of an expr ending the rule, in a CRLF file', async () => {
      const text = lines('groups:', '  - name: g', '    rules:', '      - alert: A', '        labels: {severity: info}', '        expr: >-', '          up == 0', '      - alert: B', '        expr: up == 0', '        for: 1m').replace(/\n/g, '\r\n');
      const { fixed } = await fixOf({ 'a.yml': text }, 'a.yml', 'alert/for-missing');
      assert.equal(fixed, text.replace('up == 0\r\n      - alert: B', 'up == 0\r\n        for: 5m\r\n      - alert: B'));
    });

    it('does not ask for a pending period on a one-off event (changes/resets/delta over a window, compared with 0), a dead man\'s switch or an age of 5 minutes or more, but does on a shorter age check', async () => {
      const rule = (name: string, expr: string) => [`      - alert: ${name}`, `        expr: '${expr}'`];
      const text = lines('groups:', '  - name: events', '    rules:',
        ...rule('ProcessRestarted', 'changes(process_start_time_seconds[1h]) > 0'),
        ...rule('ReplicaLost', 'delta(connected_replicas[1m]) < 0'),
        ...rule('CounterReset', 'resets(jobs_done_total[15m]) != 0'),
        ...rule('ErrorsBurst', 'increase(errors_total[2m]) > 5'),
        ...rule('RestartLoop', 'changes(process_start_time_seconds[15m]) > 2'),
        ...rule('RestartedWhileUp', 'changes(process_start_time_seconds[5m]) > 0 and up == 1'),
        ...rule('BackupTooOld', 'time() - backup_last_success_timestamp_seconds > 60 * 60 * 24'),
        ...rule('DeadMansSwitch', 'vector(1)'),
        ...rule('Watchdog', 'vector(1) > 0'),
        ...rule('StaleAndDown', 'time() - last_seen_timestamp > 60 and up == 0'),
      );
      const res = await lintFixture({ 'a.yml': text }, { rule: 'alert/for-missing' });
      assert.deepEqual(res.findings.map((f) => /Alert '(\w+)'/.exec(f.message)![1]), ['ErrorsBurst', 'RestartLoop', 'StaleAndDown']);
    });

    it('does not ask for a pending period when every series is averaged over 5m or more, and does for irate, short windows, absent() and instant series', async () => {
      const rule = (name: string, expr: string) => [`      - alert: ${name}`, `        expr: ${JSON.stringify(expr)}`];
      const text = lines('groups:', '  - name: windows', '    rules:',
        ...rule('ErrorRatio', 'sum by (job) (rate(errors_total{code=~"5.."}[5m])) / sum by (job) (rate(requests_total[5m])) > 0.05'),
        ...rule('Latency', 'histogram_quantile(0.99, sum(rate(http_duration_seconds_bucket[10m])) by (le)) > 1'),
        ...rule('Growth', 'increase(oom_kills_total[1h]) > 3'),
        ...rule('DiskFull', 'predict_linear(node_filesystem_avail_bytes{fstype!="tmpfs"}[6h], 4 * 3600) < 0'),
        ...rule('Subquery', 'max_over_time(rate(x_total[1m])[30m:1m]) > 10'),
        ...rule('Recorded', 'slo:sli_error:ratio_rate30m{sloth_id="api"} > (14.4 * 0.001)'),
        ...rule('Joined', 'avg_over_time(queue_depth[10m]) > 100 and on (queue) group_left sum(rate(enqueued_total[5m])) by (queue) > 0'),
        ...rule('Gone', 'absent_over_time(up{job="api"}[15m])'),
        ...rule('JoinedInfo', 'predict_linear(node_filesystem_free_bytes[2d], 3600 * 24 * 5) * on (instance) group_left (nodename) node_uname_info < 0'),
        ...rule('Irate', 'irate(errors_total[5m]) > 1'),
        ...rule('Short', 'rate(errors_total[2m]) > 1'),
        ...rule('Absent', 'absent(up{job="api"})'),
        ...rule('Mixed', 'rate(errors_total[5m]) > 0 and up == 1'),
        ...rule('Plain', 'queue_depth > 100'),
        ...rule('InfoOnly', 'kube_pod_info{node=""} == 1'),
        ...rule('RecordedShort', 'job:errors:rate1m > 1'),
        ...rule('Offset', 'rate(x_total[5m] offset 1h) > 2 * rate(x_total[1m])'),
      );
      const res = await lintFixture({ 'a.yml': text }, { rule: 'alert/for-missing' });
      assert.deepEqual(res.findings.map((f) => /Alert '(\w+)'/.exec(f.message)![1]), ['Irate', 'Short', 'Absent', 'Mixed', 'Plain', 'InfoOnly', 'RecordedShort', 'Offset']);
    });

    it('does not ask for one on events that persist once set or a setting changed since an offset, nor in test fixtures', async () => {
      const rule = (name: string, expr: string) => [`      - alert: ${name}`, `        expr: ${JSON.stringify(expr)}`, '        labels: {severity: critical}'];
      const text = lines('groups:', '  - name: events', '    rules:',
        ...rule('Backdoor', 'falco_events{rule="Backdoored library loaded"} > 0'),
        ...rule('Violations', 'policy_violations_total > 0'),
        ...rule('SettingChanged', '{__name__=~"pg_settings_.*"} != ON(__name__, fqdn) {__name__=~"pg_settings_.*"} OFFSET 10m'),
        ...rule('EventsRatio', 'falco_events > 10'),
        ...rule('Requests', 'http_requests_total > 0'),
        ...rule('OffsetRatio', 'queue_depth > 2 * (queue_depth offset 1d)'),
      );
      const res = await lintFixture({ 'rules/a.yml': text, 'test/monitoring/testdata/alert.yaml': text }, { rule: 'alert/for-missing' });
      assert.deepEqual(findingsFor(res, 'rules/a.yml').map((f) => /Alert '(\w+)'/.exec(f.message)![1]), ['EventsRatio', 'Requests', 'OffsetRatio']);
      assert.deepEqual(findingsFor(res, 'test/monitoring/testdata/alert.yaml'), []);
    });

    it('takes any written duration as a decision, `for: 0s` too, and reports an empty `for:` without a fix', async () => {
      const text = lines('groups:', '  - name: g', '    rules:', '      - alert: A', '        expr: up == 0', '        for: 0s', '      - alert: B', '        expr: up == 0', '        for: "0"', '      - alert: C', '        expr: up == 0', '        for:', '      - alert: D', '        expr: up == 0', '        for: 30s');
      const res = await lintFixture({ 'a.yml': text }, { rule: 'alert/for-missing' });
      const fs = findingsFor(res, 'a.yml');
      assert.deepEqual(fs.map(rangeOf), [[9, 8, 9, 16]]);
      assert.equal(fs[0].fixes, undefined);
    });
  });

  describe('alert/runbook-broken', () => {
    const ALERTS = lines(
      'groups:',
      '  - name: g',
      '    rules:',
      '      - alert: Relative',
      '        expr: up == 0',
      '        annotations:',
      '          runbook_url: ../runbooks/api-dwn.md',
      '      - alert: Based',
      '        expr: up == 0',
      '        annotations:',
      "          runbook_url: 'https://github.com/acme/ops/blob/main/runbooks/db-failover.md#promote'",
      '      - alert: Fine',
      '        expr: up == 0',
      '        annotations:',
      '          runbook_url: https://github.com/acme/ops/blob/main/runbooks/api-down.md#triage',
      '      - alert: Elsewhere',
      '        expr: up == 0',
      '        annotations:',
      '          runbook_url: https://github.com/other/repo/blob/main/nope.md',
      '      - alert: Templated',
      '        expr: up == 0',
      '        annotations:',
      '          runbook_url: "../runbooks/{{ $labels.service }}.md"',
      '      - alert: Rooted',
      '        expr: up == 0',
      '        annotations:',
      '          runbook_url: /runbooks/api-down.md',
    );
    const FILES = { 'alerts/api.yml': ALERTS, 'runbooks/api-down.md': RUNBOOK('Api down'), 'runbooks/database-failover.md': RUNBOOK('Database failover') };
    const CFG = { alerts: { runbookBaseUrl: 'https://github.com/acme/ops/blob/main/' } };

    it('reports relative and base-URL links to missing files on the value, leaving other URLs alone', async () => {
      const res = await lintFixture(FILES, { config: CFG, rule: 'alert/runbook-broken' });
      const fs = findingsFor(res, 'alerts/api.yml');
      assert.deepEqual(fs.map(rangeOf), [[6, 23, 6, 45], [10, 23, 10, 94]]);
      assert.equal(fs[0].severity, 'error');
      assert.match(fs[0].message, /'Relative': runbook_url points to runbooks\/api-dwn\.md, which does not exist/);
      assert.match(fs[1].message, /runbooks\/db-failover\.md.*closest runbook: runbooks\/database-failover\.md/);
      // Fixes point at the closest existing runbook, in the form the link was written.
      assert.equal(applyFix(ALERTS, fs[0].fixes![0]), ALERTS.replace('../runbooks/api-dwn.md', '../runbooks/api-down.md'));
      assert.equal(fs[0].fixes![0].isPreferred, true);
      assert.equal(
        applyFix(ALERTS, fs[1].fixes![0]),
        ALERTS.replace("'https://github.com/acme/ops/blob/main/runbooks/db-failover.md#promote'", "'https://github.com/acme/ops/blob/main/runbooks/database-failover.md#promote'"),
      );
    });

    it('with alerts.runbookBaseUrl set empty, a URL is never judged', async () => {
      const res = await lintFixture(FILES, { config: { alerts: { runbookBaseUrl: '' } }, rule: 'alert/runbook-broken' });
      assert.deepEqual(findingsFor(res, 'alerts/api.yml').map(rangeOf), [[6, 23, 6, 45]]);
    });

    it('without alerts.runbookBaseUrl, the base is detected from the links that name existing files', async () => {
      // `Fine` links https://github.com/acme/ops/blob/main/runbooks/api-down.md, which exists.
      const res = await lintFixture(FILES, { rule: 'alert/runbook-broken' });
      assert.equal(res.engine.config.alerts.runbookBaseUrl, 'https://github.com/acme/ops/blob/main/');
      assert.deepEqual(findingsFor(res, 'alerts/api.yml').map(rangeOf), [[6, 23, 6, 45], [10, 23, 10, 94]]);
      const withoutFine = { ...FILES, 'alerts/api.yml': ALERTS.replace('runbooks/api-down.md#triage', 'runbooks/gone.md') };
      const none = await lintFixture(withoutFine, { rule: 'alert/runbook-broken' });
      assert.equal(none.engine.config.alerts.runbookBaseUrl, '');
      assert.deepEqual(findingsFor(none, 'alerts/api.yml').map(rangeOf), [[6, 23, 6, 45]]);
    });

    it('re-checks the alert file when the runbook it links is renamed, removed or restored', async () => {
      const root = await writeWorkspace(FILES, CFG);
      const engine = await Engine.create(root, { only: ['alert/runbook-broken'] });
      const alerts = path.posix.join(engine.index.root, 'alerts/api.yml');
      const runbook = path.posix.join(engine.index.root, 'runbooks/api-down.md');
      const moved = path.posix.join(engine.index.root, 'runbooks/api-down-v2.md');
      const broken = () => engine.lintFile(alerts).map((f) => f.range.start.line);
      assert.deepEqual(broken(), [6, 10]);
      assert.deepEqual(engine.index.referrers(runbook).map((f) => f.relPath), ['alerts/api.yml']);
      assert.ok(engine.index.get(alerts)!.references.some((r) => r.kind === 'runbook_url' && r.target === runbook && r.fragment === 'triage'));

      renameSync(path.join(root, 'runbooks/api-down.md'), path.join(root, 'runbooks/api-down-v2.md'));
      const change = await engine.rename(runbook, moved);
      assert.ok(change.relint.includes(alerts), 'the rename re-lints the alert file');
      assert.deepEqual(broken(), [6, 10, 14, 26]);
      const f = engine.lintFile(alerts).find((x) => x.range.start.line === 14)!;
      assert.match(f.message, /api-down\.md/);
      assert.equal(applyFix(ALERTS, f.fixes![0]), ALERTS.replace('runbooks/api-down.md#triage', 'runbooks/api-down-v2.md#triage'));
      const rooted = engine.lintFile(alerts).find((x) => x.range.start.line === 26)!;
      assert.equal(applyFix(ALERTS, rooted.fixes![0]), ALERTS.replace('runbook_url: /runbooks/api-down.md', 'runbook_url: /runbooks/api-down-v2.md'));

      renameSync(path.join(root, 'runbooks/api-down-v2.md'), path.join(root, 'runbooks/api-down.md'));
      assert.ok((await engine.rename(moved, runbook)).relint.includes(alerts));
      assert.deepEqual(broken(), [6, 10]);

      rmSync(path.join(root, 'runbooks/api-down.md'));
      assert.ok((await engine.remove(runbook)).relint.includes(alerts));
      assert.deepEqual(broken(), [6, 10, 14, 26]);
      writeFileSync(path.join(root, 'runbooks/api-down.md'), RUNBOOK('Api down'));
      assert.ok((await engine.update(runbook)).relint.includes(alerts));
      assert.deepEqual(broken(), [6, 10]);
    });
  });
});
