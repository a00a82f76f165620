import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { classify } from '../../src/engine/classify';
import { defaultConfig } from '../../src/engine/config/schema';
import { parseSlo } from '../../src/engine/parsers/slo';
import { loadFixture } from './fixtureFiles';
import { applyFix, findingsFor, lintFixture, rangeOf } from './helpers';

// Every SLO format: Sloth (plain and PrometheusServiceLevel), OpenSLO (multi-document, with an
// AlertPolicy), Pyrra ServiceLevelObjective. test/fixtures/slo holds one file of each.

describe('SLO specifications', () => {
  it('are classified in every format', () => {
    const c = defaultConfig();
    const files = loadFixture('slo');
    for (const name of Object.keys(files)) assert.equal(classify(`slos/${name}`, files[name], c), 'slo-spec', name);
    assert.equal(classify('x.yaml', 'apiVersion: openslo/v1\nkind: SLO\n---\napiVersion: apps/v1\nkind: Deployment\n', c), 'k8s-manifest');
  });

  it('parse into one positioned SLO per objective holder, with labels and alerting state', () => {
    const files = loadFixture('slo');
    const sloth = parseSlo(files['sloth-checkout.yml']);
    assert.deepEqual(sloth.slos.map((s) => [s.format, s.name, s.objectives[0].value, s.labels.owner, s.alerting.state]), [
      ['sloth', 'availability', 99.9, 'payments', 'enabled'],
      ['sloth', 'latency', 100, 'payments', 'disabled'],
    ]);
    const openslo = parseSlo(files['openslo.yaml']);
    assert.deepEqual(openslo.slos.map((s) => [s.name, s.objectives[0].unit, s.labels.team ?? null, s.alerting.state]), [
      ['orders-availability', 'ratio', 'orders', 'enabled'],
      ['orders-latency', 'ratio', 'orders', 'enabled'],
      ['orders-freshness', 'percent', null, 'absent'],
    ]);
    assert.deepEqual(openslo.alertPolicies.map((p) => p.name), ['orders-burn-rate']);
    const pyrra = parseSlo(files['pyrra.yaml']);
    assert.deepEqual(pyrra.slos.map((s) => [s.format, s.objectives[0].value, s.alerting.state]), [
      ['pyrra', 99, 'disabled'],
      ['pyrra', 99.5, 'enabled'],
    ]);
    const crd = parseSlo(files['sloth-crd.yaml']);
    assert.deepEqual([crd.slos[0].format, rangeOf({ range: crd.slos[0].range } as never)], ['sloth-crd', [8, 12, 8, 35]]);
  });

  it('report a non-numeric objective as a positioned parse error', () => {
    const f = parseSlo('apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: x}\nspec:\n  target: "ninety-nine"\n');
    assert.equal(f.errors.length, 1);
    assert.match(f.errors[0].message, /must be a number, not `ninety-nine`/);
    assert.equal(f.errors[0].range.start.line, 4);
  });

  it('report exactly the expected findings across the four formats', async () => {
    const res = await lintFixture(loadFixture('slo'));
    const got = res.findings.map((f) => `${path.posix.relative(res.engine.index.root, f.path)} ${f.ruleId} ${rangeOf(f).join(',')}`).sort();
    assert.deepEqual(got, [
      'openslo.yaml slo/burn-rate-alert-missing 29,6,29,22',
      'openslo.yaml slo/burn-rate-alert-missing 43,8,43,24',
      'openslo.yaml slo/objective-invalid 10,14,10,18',
      'openslo.yaml slo/owner-missing 43,8,43,24',
      'pyrra.yaml slo/burn-rate-alert-missing 17,4,17,18',
      'pyrra.yaml slo/owner-missing 22,8,22,19',
      'sloth-checkout.yml slo/burn-rate-alert-missing 23,4,23,12',
      'sloth-checkout.yml slo/objective-invalid 18,15,18,18',
      'sloth-crd.yaml slo/burn-rate-alert-missing 8,12,8,35',
      'sloth-crd.yaml slo/objective-invalid 9,17,9,22',
      'sloth-crd.yaml slo/owner-missing 8,12,8,35',
    ]);
  });
});

describe('slo/burn-rate-alert-missing', () => {
  const R = 'slo/burn-rate-alert-missing';
  it('accepts an OpenSLO alert policy defined in another file of the workspace, and re-checks when it goes', async () => {
    const slo = 'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a, labels: {team: x}}\nspec:\n  objectives: [{target: 0.99}]\n  alertPolicies: [shared-burn]\n';
    const policy = 'apiVersion: openslo/v1\nkind: AlertPolicy\nmetadata: {name: shared-burn}\nspec: {conditions: []}\n';
    const res = await lintFixture({ 'slo/a.yaml': slo, 'slo/policies.yaml': policy }, { rule: R });
    assert.deepEqual(res.findings, []);
    const change = await res.engine.remove(path.posix.join(res.engine.index.root, 'slo/policies.yaml'));
    const a = path.posix.join(res.engine.index.root, 'slo/a.yaml');
    assert.ok(change.relint.includes(a));
    assert.match(res.engine.lintFile(a)[0].message, /names alert policy 'shared-burn', which no AlertPolicy of the workspace defines/);
  });

  it('accepts inline OpenSLO policies, Sloth with one alert enabled, Pyrra by default; reports Pyrra burnrates: false', async () => {
    const res = await lintFixture({
      'inline.yaml': 'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n  objectives: [{target: 0.99}]\n  alertPolicies:\n    - kind: AlertPolicy\n      metadata: {name: inline}\n      spec: {conditions: []}\n',
      'sloth.yml': 'version: "prometheus/v1"\nservice: s\nslos:\n  - name: a\n    objective: 99\n    alerting:\n      name: A\n      page_alert: {disable: true}\n',
      'pyrra.yaml': 'apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: ok}\nspec:\n  target: "99"\n---\napiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: off}\nspec:\n  target: "99"\n  alerting:\n    burnrates: false\n',
    }, { rule: R });
    assert.deepEqual(res.findings.map((f) => `${path.posix.basename(f.path)}:${f.range.start.line}`), ['pyrra.yaml:12']);
    assert.match(res.findings[0].message, /sets `alerting.burnrates: false`/);
  });
});

describe('slo/objective-invalid', () => {
  const R = 'slo/objective-invalid';
  it('converts an OpenSLO percentage target to a ratio, and a Sloth ratio objective to a percentage', async () => {
    const openslo = 'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n  objectives:\n    - target: 99.95\n';
    const res = await lintFixture({ 'a.yaml': openslo }, { rule: R });
    assert.equal(applyFix(openslo, res.findings[0].fixes![0]), openslo.replace('99.95', '0.9995'));
    const sloth = 'version: "prometheus/v1"\nservice: s\nslos:\n  - name: a\n    objective: 0.999\n';
    const res2 = await lintFixture({ 'b.yml': sloth }, { rule: R });
    assert.equal(applyFix(sloth, res2.findings[0].fixes![0]), sloth.replace('0.999', '99.9'));
  });

  it('reports 0, negative and above-range objectives without a fix, and accepts valid ones', async () => {
    const res = await lintFixture({
      'a.yaml': 'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n  objectives:\n    - target: 0\n    - target: 1\n    - targetPercent: 120\n    - target: 0.999\n    - targetPercent: 99.9\n',
    }, { rule: R });
    assert.deepEqual(res.findings.map((f) => [f.range.start.line, !!f.fixes]), [[5, false], [6, false], [7, false]]);
    assert.match(res.findings[1].message, /objective of 100%: that leaves no error budget/);
  });
});

describe('slo/owner-missing', () => {
  it('reads owner labels from the Sloth service level, the SLO, and slos.ownerLabels', async () => {
    const text = 'version: "prometheus/v1"\nservice: s\nslos:\n  - name: a\n    objective: 99\n    labels: {squad: core}\n  - name: b\n    objective: 99\n';
    const res = await lintFixture({ 's.yml': text }, { rule: 'slo/owner-missing' });
    // Neither names an `owner`/`team`: one finding for the file, on the first SLO.
    assert.deepEqual(res.findings.map((f) => f.range.start.line), [3]);
    assert.match(res.findings[0].message, /None of the 2 SLOs.*top-level `labels`/);
    const custom = await lintFixture({ 's.yml': text }, { rule: 'slo/owner-missing', config: { slos: { ownerLabels: ['squad'] } } });
    assert.deepEqual(custom.findings.map((f) => f.range.start.line), [6]);
  });

  // (Was one finding per file, or per folder when no SLO file of the folder named an owner; now
  // one for the whole repository through the convention pass, and each SLO once some have one.)
  it('reports a repository where no SLO names an owner once, on its first SLO', async () => {
    const pyrra = (name: string) => `apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata:\n  name: ${name}\nspec:\n  target: "99"\n  window: 4w\n  indicator:\n    ratio:\n      errors: {metric: 'http_requests_total{code=~"5.."}'}\n      total: {metric: http_requests_total}\n`;
    const res = await lintFixture({ 'slos.yaml': [pyrra('api'), pyrra('web'), pyrra('auth'), pyrra('jobs')].join('---\n') }, { rule: 'slo/owner-missing' });
    assert.equal(res.findings.length, 1);
    assert.match(res.findings[0].message, /None of the 4 SLOs in this repository names an owner/);
    const owned = await lintFixture({ 'slos.yaml': [pyrra('api').replace('  name: api\n', '  name: api\n  labels: {team: core}\n'), pyrra('web'), pyrra('auth')].join('---\n') }, { rule: 'slo/owner-missing' });
    assert.deepEqual(owned.findings.map((f) => f.message.match(/SLO '(\w+)'/)?.[1]), ['web', 'auth']);
  });

  it('across folders: one finding on the first file in path order; each SLO once one file names an owner', async () => {
    const pyrra = (name: string, labels = '') => `apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata:\n  name: ${name}\n${labels}spec:\n  target: "99"\n  window: 4w\n  indicator:\n    ratio:\n      errors: {metric: 'http_requests_total{code=~"5.."}'}\n      total: {metric: http_requests_total}\n`;
    const files = { 'slos/api.yaml': pyrra('api'), 'slos/web.yaml': pyrra('web'), 'slos/jobs.yaml': pyrra('jobs'), 'other/auth.yaml': pyrra('auth') };
    const res = await lintFixture(files, { rule: 'slo/owner-missing' });
    const where = (r: typeof res) => r.findings.map((f) => `${path.posix.relative(r.engine.index.root, f.path)}:${f.range.start.line}`).sort();
    assert.deepEqual(where(res), ['other/auth.yaml:3']);
    assert.match(findingsFor(res, 'other/auth.yaml')[0].message, /None of the 4 SLOs in this repository names an owner .* in 4 files/);
    const adopted = await lintFixture({ ...files, 'slos/api.yaml': pyrra('api', '  labels: {team: core}\n') }, { rule: 'slo/owner-missing' });
    assert.deepEqual(where(adopted), ['other/auth.yaml:3', 'slos/jobs.yaml:3', 'slos/web.yaml:3']);
  });
});
