import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { routeAlert, routeAlertByName, routingSummary } from '../../src/engine/alerting/route';
import { classify } from '../../src/engine/classify';
import { defaultConfig } from '../../src/engine/config/schema';
import { parseAlertmanager, parseMatchers } from '../../src/engine/parsers/alertmanager';
import { main } from '../../src/cli/main';
import { alertRoutingHover, alertRoutingLenses } from '../../src/server/features/alerting';
import { loadFixture } from './fixtureFiles';
import { applyFix, findingsFor, lintFixture, rangeOf } from './helpers';

const ALERTS = [
  'groups:',
  '  - name: g',
  '    rules:',
  '      - alert: DiskFull',
  '        expr: disk_free < 0.05',
  '        labels: {severity: critical, team: infra}',
  '      - alert: DiskFilling',
  '        expr: predict_linear(disk_free[6h], 86400) < 0',
  '        labels: {severity: warning, team: infra}',
  '',
].join('\n');

describe('Alertmanager configuration', () => {
  it('is classified from alertmanager.yml, from route+receivers, and from AlertmanagerConfig manifests', () => {
    const c = defaultConfig();
    assert.equal(classify('ops/alertmanager.yml', 'route:\n  receiver: a\nreceivers:\n  - name: a\n', c), 'alertmanager-config');
    assert.equal(classify('ops/am-prod.yaml', 'global: {}\nroute:\n  receiver: a\nreceivers:\n  - name: a\n', c), 'alertmanager-config');
    assert.equal(classify('k/amc.yaml', 'apiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\nmetadata: {name: x}\n', c), 'alertmanager-config');
    // Mixed with other objects, it stays a manifest; a values file with a nested config is not one.
    assert.equal(classify('k/all.yaml', 'apiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\n---\napiVersion: v1\nkind: Service\n', c), 'k8s-manifest');
    assert.equal(classify('chart/values.yaml', 'server:\n  config:\n    route:\n      receiver: a\n    receivers: []\n', c), undefined);
  });

  it('finds a configuration embedded in a Helm values file, named by its key path', () => {
    const values = 'alertmanager:\n  enabled: true\n  config:\n    route:\n      receiver: ops\n    receivers:\n      - name: ops\n        email_configs: [{to: a@example.com}]\n';
    assert.equal(classify('charts/x/values.yaml', values, defaultConfig()), 'alertmanager-config');
    const [c] = parseAlertmanager(values).alertmanager;
    // A chart's own top-level `route:` (Gateway API HTTPRoute settings) is not Alertmanager's.
    const chart = parseAlertmanager('route:\n  main:\n    enabled: false\nconfig:\n  receivers:\n    - name: default-receiver\n  route:\n    receiver: default-receiver\n');
    assert.deepEqual(chart.alertmanager.map((x) => [x.name, x.route?.receiver]), [['config', 'default-receiver']]);
    assert.deepEqual([c.name, c.route?.receiver, c.receivers[0].integrations], ['alertmanager.config', 'ops', ['email']]);
  });

  it('parses matchers as Alertmanager does: quoted, unquoted, regex, negated, several in braces', () => {
    assert.deepEqual(parseMatchers('severity="critical"'), [{ label: 'severity', op: '=', value: 'critical' }]);
    assert.deepEqual(parseMatchers('severity =~ "critical|page"'), [{ label: 'severity', op: '=~', value: 'critical|page' }]);
    assert.deepEqual(parseMatchers('team!=infra'), [{ label: 'team', op: '!=', value: 'infra' }]);
    assert.deepEqual(parseMatchers('{a="1", b!~"x|y"}'), [
      { label: 'a', op: '=', value: '1' },
      { label: 'b', op: '!~', value: 'x|y' },
    ]);
    assert.deepEqual(parseMatchers('a="quo\\"ted"'), [{ label: 'a', op: '=', value: 'quo"ted' }]);
    assert.equal(parseMatchers('just text'), undefined);
  });

  it('reports a matcher Alertmanager cannot parse as a positioned parse error, and keeps the rest of the tree', () => {
    const f = parseAlertmanager('route:\n  receiver: a\n  routes:\n    - receiver: b\n      matchers: ["severity critical"]\nreceivers:\n  - name: a\n  - name: b\n');
    assert.equal(f.errors.length, 1);
    assert.match(f.errors[0].message, /cannot parse the matcher `severity critical`/);
    assert.deepEqual([f.errors[0].range.start.line, f.errors[0].range.start.character], [4, 17]);
    assert.equal(f.alertmanager[0].route?.routes[0].receiver, 'b');
  });

  it('shows parse errors of Alertmanager and SLO files as opsreview/parse-error, naming file and line', async () => {
    const res = await lintFixture({
      'alertmanager.yml': 'route:\n  receiver: a\n  routes:\n    - receiver: a\n      matchers: ["severity critical"]\nreceivers:\n  - name: a\n',
      'slo.yml': 'version: "prometheus/v1"\nservice: x\nslos: [unclosed\n',
    }, { rule: 'opsreview/parse-error' });
    assert.deepEqual(res.findings.map((f) => `${path.posix.basename(f.path)}:${f.range.start.line}`), ['alertmanager.yml:4', 'slo.yml:2']);
  });

  it('reads the CRD: camelCase receivers, {name, value, matchType} matchers', () => {
    const files = loadFixture('alerting');
    const f = parseAlertmanager(files['operator/payments-amc.yaml']);
    const [c] = f.alertmanager;
    assert.equal(c.format, 'AlertmanagerConfig');
    assert.equal(c.name, 'payments');
    assert.deepEqual(c.route?.routes[0].matchers.map((m) => [m.label, m.op, m.value]), [['severity', '=~', 'critical|page']]);
    assert.deepEqual(c.receivers.map((r) => [r.name, r.integrations, r.webhookUrls.length]), [
      ['payments-webhook', ['webhook'], 1],
      ['payments-oncall', ['webhook'], 1],
    ]);
  });
});

describe('routing (amtool config routes test semantics)', () => {
  const am = parseAlertmanager(loadFixture('alerting')['prod/alertmanager.yml']).alertmanager[0];
  const receivers = (labels: Record<string, string>) => routeAlert(am, labels).map((m) => `${m.receiver}@${m.route.path}`);

  it('continues past a matching route with continue: true, and stops at the first without it', () => {
    assert.deepEqual(receivers({ severity: 'critical', team: 'payments' }), ['payments-pagerduty@route.routes[0]', 'payments-chat@route.routes[1]']);
  });

  it('anchors regexes and falls back to the root receiver when no child matches', () => {
    assert.deepEqual(receivers({ severity: 'warning-ish' }), ['default-email@route']);
    assert.deepEqual(receivers({ severity: 'info', team: 'payments' }), ['default-email@route']);
    assert.deepEqual(receivers({ severity: 'page', team: 'payments' }), ['payments-chat@route.routes[2]']);
  });

  it('inherits the receiver of the parent route', () => {
    const cfg = parseAlertmanager('route:\n  receiver: top\n  routes:\n    - matchers: [team="db"]\n      routes:\n        - matchers: [severity="critical"]\n          receiver: db-pager\n        - matchers: [severity="warning"]\nreceivers:\n  - name: top\n  - name: db-pager\n').alertmanager[0];
    assert.deepEqual(routeAlert(cfg, { team: 'db', severity: 'warning' }).map((m) => `${m.receiver}@${m.route.path}`), ['top@route.routes[0].routes[1]']);
    assert.deepEqual(routeAlert(cfg, { team: 'db', severity: 'critical' }).map((m) => m.receiver), ['db-pager']);
    assert.deepEqual(routeAlert(cfg, { team: 'db' }).map((m) => `${m.receiver}@${m.route.path}`), ['top@route.routes[0]']);
  });

  it('answers per Alertmanager file of the workspace, with the route path', async () => {
    const res = await lintFixture(loadFixture('alerting'), { rule: 'alertmanager/receiver-missing' });
    const [r] = routeAlertByName(res.engine.index, res.engine.config, 'PaymentsDown');
    assert.deepEqual(routingSummary(r), [
      'payments-oncall (webhook, pages) via route.routes[0] {severity=~"critical|page"} in operator/payments-amc.yaml (payments)',
      'payments-pagerduty (pagerduty, pages) via route.routes[0] {severity="critical"} in prod/alertmanager.yml',
      'payments-chat (slack) via route.routes[1] {severity=~"critical|warning"} in prod/alertmanager.yml',
      'staging-chat (slack) via route.routes[0] {severity=~"critical|warning"} in staging/alertmanager.yaml',
    ]);
  });
});

describe('alertmanager rules on two configurations that route differently', () => {
  it('judge each file on its own: production routes every severity and pages; staging does neither', async () => {
    const res = await lintFixture(loadFixture('alerting'));
    const got = res.findings
      .filter((f) => f.ruleId.startsWith('alertmanager/'))
      .map((f) => `${path.posix.relative(res.engine.index.root, f.path)} ${f.ruleId} ${rangeOf(f).join(',')}`)
      .sort();
    assert.deepEqual(got, [
      'operator/payments-amc.yaml alertmanager/severity-unrouted 6,2,6,7',
      'staging/alertmanager.yaml alertmanager/critical-not-paging 4,16,4,28',
      // No group_by (prod has one; no alert has a lower-level twin, so no inhibit rule is asked for).
      'staging/alertmanager.yaml alertmanager/grouping-missing 1,0,1,5',
      'staging/alertmanager.yaml alertmanager/receiver-missing 6,16,6,27',
      'staging/alertmanager.yaml alertmanager/severity-unrouted 1,0,1,5',
    ]);
    const [unrouted] = findingsFor(res, 'staging/alertmanager.yaml', 'alertmanager/severity-unrouted');
    assert.match(unrouted.message, /`severity: page` \(alert 'PaymentsQueueBacklog'\) matches no route: it falls through to the root receiver 'staging-chat'/);
    const [notPaging] = findingsFor(res, 'staging/alertmanager.yaml', 'alertmanager/critical-not-paging');
    assert.match(notPaging.message, /alert 'PaymentsDown' reaches only 'staging-chat' \(slack\), which pages nobody/);
  });
});

describe('alertmanager/receiver-missing', () => {
  const R = 'alertmanager/receiver-missing';
  it('reports an undefined receiver with the closest defined name as the fix', async () => {
    const text = 'route:\n  receiver: ops\n  routes:\n    - receiver: pagerdty\n      matchers: [severity="critical"]\nreceivers:\n  - name: ops\n  - name: pagerduty\n';
    const res = await lintFixture({ 'alertmanager.yml': text }, { rule: R });
    const [f] = res.findings;
    assert.deepEqual(rangeOf(f), [3, 16, 3, 24]);
    assert.match(f.message, /'pagerdty', which is not defined \(did you mean 'pagerduty'\?\)/);
    const fixed = applyFix(text, f.fixes![0]);
    assert.match(fixed, /- receiver: pagerduty\n/);
    const again = await lintFixture({ 'alertmanager.yml': fixed }, { rule: R });
    assert.deepEqual(again.findings, []);
  });

  it('reports a root route without a receiver, offers no fix for a name nothing resembles', async () => {
    const res = await lintFixture({ 'am.yaml': 'route:\n  group_by: [alertname]\n  routes:\n    - receiver: zzz-team\nreceivers:\n  - name: ops\n' }, { rule: R });
    assert.deepEqual(res.findings.map((f) => [rangeOf(f)[0], !!f.fixes]), [[1, false], [3, false]]);
    assert.match(res.findings[0].message, /root route names no receiver/);
  });

  it('checks AlertmanagerConfig manifests and is silent on a valid one', async () => {
    const res = await lintFixture({ 'amc.yaml': loadFixture('alerting')['operator/payments-amc.yaml'] }, { rule: R });
    assert.deepEqual(res.findings, []);
    const broken = loadFixture('alerting')['operator/payments-amc.yaml'].replace('receiver: payments-oncall', 'receiver: payments-on-call');
    const res2 = await lintFixture({ 'amc.yaml': broken }, { rule: R });
    assert.deepEqual(res2.findings.map((f) => f.fixes?.[0].edits[0].newText), ['payments-oncall']);
  });
});

describe('alertmanager/severity-unrouted', () => {
  const R = 'alertmanager/severity-unrouted';
  const am = (routes: string) => `route:\n  receiver: chat\n  routes:\n${routes}receivers:\n  - name: chat\n    slack_configs: [{channel: "#a"}]\n  - name: pager\n    pagerduty_configs: [{routing_key: x}]\n`;

  it('reports a severity no route matches, naming the alerts', async () => {
    const res = await lintFixture({ 'alerts.yml': ALERTS, 'alertmanager.yml': am('    - receiver: pager\n      matchers: [severity="critical"]\n') }, { rule: R });
    assert.equal(res.findings.length, 1);
    assert.match(res.findings[0].message, /`severity: warning` \(alert 'DiskFilling'\) matches no route/);
  });

  it('is silent when every severity has a route, and when the routes do not route on severity at all', async () => {
    const all = await lintFixture({ 'alerts.yml': ALERTS, 'alertmanager.yml': am('    - receiver: pager\n      matchers: [severity=~"critical|warning"]\n') }, { rule: R });
    assert.deepEqual(all.findings, []);
    const byTeam = await lintFixture({ 'alerts.yml': ALERTS, 'alertmanager.yml': am('    - receiver: pager\n      matchers: [team="db"]\n') }, { rule: R });
    assert.deepEqual(byTeam.findings, []);
  });

  it('re-judges the Alertmanager file when an alert rule changes', async () => {
    const res = await lintFixture({ 'alerts.yml': ALERTS, 'alertmanager.yml': am('    - receiver: pager\n      matchers: [severity="critical"]\n') }, { rule: R });
    const amPath = path.posix.join(res.engine.index.root, 'alertmanager.yml');
    assert.equal(res.engine.lintFile(amPath).length, 1);
    const change = await res.engine.update(path.posix.join(res.engine.index.root, 'alerts.yml'), ALERTS.replace('severity: warning', 'severity: critical'));
    assert.ok(change.relint.includes(amPath));
    assert.deepEqual(res.engine.lintFile(amPath), []);
  });
});

describe('alertmanager/critical-not-paging', () => {
  const R = 'alertmanager/critical-not-paging';
  it('accepts PagerDuty, Opsgenie, VictorOps, a webhook to a pager, and a receiver the config names as paging', async () => {
    for (const integration of ['pagerduty_configs: [{routing_key: x}]', 'opsgenie_configs: [{api_key: x}]', 'victorops_configs: [{routing_key: x}]', 'webhook_configs: [{url: "https://api.incident.io/v2/alert_events/http/x"}]']) {
      const res = await lintFixture({ 'alerts.yml': ALERTS, 'alertmanager.yml': `route:\n  receiver: r\nreceivers:\n  - name: r\n    ${integration}\n` }, { rule: R });
      assert.deepEqual(res.findings, [], integration);
    }
    const named = await lintFixture(
      { 'alerts.yml': ALERTS, 'alertmanager.yml': 'route:\n  receiver: r\nreceivers:\n  - name: r\n    webhook_configs: [{url: "https://pager.internal/hook"}]\n' },
      { rule: R, config: { alertmanager: { pagingReceivers: ['r'] } } },
    );
    assert.deepEqual(named.findings, []);
  });

  it('reports email-only and null receivers; without critical alerts, judges an alert with only the severity label; skips placeholder configs', async () => {
    const res = await lintFixture({ 'alerts.yml': ALERTS, 'alertmanager.yml': 'route:\n  receiver: mail\nreceivers:\n  - name: mail\n    email_configs: [{to: a@example.com}]\n' }, { rule: R });
    assert.equal(res.findings.length, 1);
    assert.deepEqual(rangeOf(res.findings[0]), [1, 12, 1, 16]);
    assert.match(res.findings[0].message, /'mail' \(email\), which pages nobody/);
    const none = await lintFixture({ 'alertmanager.yml': 'route:\n  receiver: mail\n  routes:\n    - receiver: blackhole\n      matchers: [severity="critical"]\nreceivers:\n  - name: mail\n    email_configs: [{to: a@example.com}]\n  - name: blackhole\n' }, { rule: R });
    assert.match(none.findings[0].message, /^`severity: critical` alerts reach only 'blackhole' \(no integration\)/);
    // A configuration that notifies nobody at all (a chart default) is a placeholder: not judged.
    const placeholder = await lintFixture({ 'alertmanager.yml': 'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n' }, { rule: R });
    assert.deepEqual(placeholder.findings, []);
  });
});

describe('the editor answer (hover and code lens providers)', () => {
  it('name the receivers per Alertmanager file on the alert line, and nothing elsewhere', async () => {
    const res = await lintFixture(loadFixture('alerting'), { rule: 'alertmanager/receiver-missing' });
    const file = res.engine.index.get(path.posix.join(res.engine.index.root, 'alerts/payments.yml'))!;
    const at = { engine: res.engine, file };
    const lenses = alertRoutingLenses(at).filter((l) => l.range.start.line === 3);
    assert.deepEqual(lenses.map((l) => l.command!.title), [
      '$(broadcast) Routes to payments-oncall (operator/payments-amc.yaml)',
      '$(broadcast) Routes to payments-pagerduty, payments-chat (prod/alertmanager.yml)',
      '$(broadcast) Routes to staging-chat (no pager) (staging/alertmanager.yaml)',
    ]);
    assert.deepEqual(lenses[1].command!.arguments, [`file://${res.engine.index.root}/prod/alertmanager.yml`, 5]);
    const hover = alertRoutingHover(at, { line: 3, character: 20 });
    const value = (hover!.contents as { value: string }).value;
    assert.match(value, /^\*\*Alert PaymentsDown routes to:\*\*/);
    assert.match(value, /- payments-pagerduty \(pagerduty, pages\) via route\.routes\[0\] \{severity="critical"\} in prod\/alertmanager\.yml/);
    assert.equal(alertRoutingHover(at, { line: 4, character: 2 }), undefined);
  });
});

describe('opsreview route', () => {
  const fixture = path.join(__dirname, '../../../test/fixtures/alerting');
  const run = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await main(args, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  };

  it('prints the receivers of an alert per Alertmanager file (text and JSON)', async () => {
    const text = await run(['route', 'PaymentsQueueBacklog', fixture]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^PaymentsQueueBacklog \(alerts\/payments\.yml:20\) \{severity="page", team="payments", alertname="PaymentsQueueBacklog"\}\n/);
    assert.match(text.out, /→ payments-chat \(slack\) via route\.routes\[2\] \{team="payments", severity!~"info\|none"\} in prod\/alertmanager\.yml/);
    assert.match(text.out, /→ staging-chat \(slack\) via the root route in staging\/alertmanager\.yaml/);
    const json = await run(['route', 'PaymentsDown', fixture, '--format', 'json']);
    const [r] = JSON.parse(json.out);
    assert.equal(r.line, 4);
    const prod = r.routes.find((c: { file: string }) => c.file === 'prod/alertmanager.yml');
    assert.deepEqual(prod.receivers.map((h: { receiver: string; paging: boolean; routePath: string }) => [h.receiver, h.paging, h.routePath]), [
      ['payments-pagerduty', true, 'route.routes[0]'],
      ['payments-chat', false, 'route.routes[1]'],
    ]);
  });

  it('exits 2 for an unknown alert or a missing name', async () => {
    const r = await run(['route', 'NoSuchAlert', fixture]);
    assert.equal(r.code, 2);
    assert.match(r.err, /no alert rule named 'NoSuchAlert'/);
    assert.equal((await run(['route'])).code, 2);
  });
});
