import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { durationInCondition } from '../../src/engine/rules/alert/forMissing';
import { ownerFromSeries } from '../../src/engine/rules/alert/ownerMissing';
import { adopted } from '../../src/engine/conventionPass';
import { lintFixture } from './helpers';

// Issue 15, alert rules on repositories nobody tuned on: alerts that page nobody, durations
// already in the condition, owners carried by the series, and what a repository's convention is.

const lines = (...l: string[]) => l.join('\n') + '\n';
const names = (fs: { message: string }[]) => fs.map((f) => /'([^']+)'/.exec(f.message)?.[1] ?? f.message.slice(0, 40));

const rule = (name: string, expr: string, labels: string, annotations = '{summary: x}') => [
  `      - alert: ${name}`,
  `        expr: ${JSON.stringify(expr)}`,
  `        labels: ${labels}`,
  `        annotations: ${annotations}`,
];

describe('issue 15: alerts that page nobody', () => {
  const INHIBIT = lines(
    'groups:',
    '  - name: inhibitions',
    '    rules:',
    ...rule('InhibitionNodeNotReady', 'kube_node_status_condition{condition="Ready", status!="true"} > 0', '{node_not_ready: "true", team: core}'),
    ...rule('InhibitionOutsideWorkingHours', 'hour() <= 7 or hour() >= 16', '{outside_working_hours: "true", team: core}'),
    ...rule('Heartbeat', 'up{job="prometheus"} > 0', '{team: core}'),
  );
  const PAGES = lines(
    'groups:',
    '  - name: nodes',
    '    rules:',
    ...rule('NodeNotReady', 'kube_node_status_condition{condition="Ready", status!="true"} > 0', '{team: core}'),
    ...rule('HeartbeatMissing', 'absent(up{job="prometheus"})', '{team: core}'),
  );
  const files = { 'rules/inhibit.nodes.rules.yml': INHIBIT, 'rules/nodes.rules.yml': PAGES };

  for (const id of ['alert/for-missing', 'alert/severity-missing', 'alert/runbook-missing']) {
    it(`${id}: not on inhibition sources or heartbeats; still on the alerts that page`, async () => {
      const res = await lintFixture(files, { rule: id });
      assert.deepEqual(names(res.findings).sort(), ['HeartbeatMissing', 'NodeNotReady']);
      res.dispose();
    });
  }

  it('an alert named for inhibition that carries a severity pages: it is checked', async () => {
    const text = lines('groups:', '  - name: g', '    rules:', ...rule('AlertmanagerInhibitionsFailing', 'rate(alertmanager_inhibition_errors_total[1m]) > 0', '{severity: critical, team: core}'));
    const res = await lintFixture({ 'rules/am.yml': text }, { rule: 'alert/for-missing' });
    assert.deepEqual(names(res.findings), ['AlertmanagerInhibitionsFailing']);
    res.dispose();
  });

  it('a test alert that says so gets no `for:` finding', async () => {
    const text = lines(
      'groups:',
      '  - name: g',
      '    rules:',
      ...rule('IncidentIntegrationTest', 'incident_test_up == 1', '{severity: info, team: core}', '{description: "This is a test alert for the incident integration."}'),
      ...rule('QueueStuck', 'queue_depth > 100', '{severity: info, team: core}'),
    );
    const res = await lintFixture({ 'rules/test.yml': text }, { rule: 'alert/for-missing' });
    assert.deepEqual(names(res.findings), ['QueueStuck']);
    res.dispose();
  });

  it('a Grafana rule on the TestData data source is an example: no routing metadata asked, its `for:` and summary still checked', async () => {
    const grafana = (title: string, uid: string, type: string) => [
      `      - uid: ${title}_uid`,
      `        title: ${title}`,
      '        condition: C',
      '        data:',
      '          - refId: A',
      `            datasourceUid: ${uid}`,
      '            model:',
      `              datasource: {type: ${type}, uid: ${uid}}`,
      '              scenarioId: random_walk',
      '          - refId: C',
      '            datasourceUid: __expr__',
      '            model: {type: threshold, expression: A}',
      '        for: 0s',
    ];
    const text = lines('apiVersion: 1', 'groups:', '  - orgId: 1', '    name: demo', '    folder: demo', '    interval: 1m', '    rules:', ...grafana('random_walk_threshold', 'testdata_uid', 'grafana-testdata-datasource'), ...grafana('api_errors', 'prom_uid', 'prometheus'));
    for (const id of ['alert/severity-missing', 'alert/owner-missing', 'alert/runbook-missing']) {
      const res = await lintFixture({ 'provisioning/alerting/rules.yaml': text }, { rule: id });
      assert.deepEqual(names(res.findings), ['api_errors'], id);
      res.dispose();
    }
    const forMissing = await lintFixture({ 'provisioning/alerting/rules.yaml': text }, { rule: 'alert/for-missing' });
    assert.deepEqual(names(forMissing.findings), ['random_walk_threshold', 'api_errors']);
    forMissing.dispose();
    const summary = await lintFixture({ 'provisioning/alerting/rules.yaml': text }, { rule: 'alert/summary-missing' });
    assert.match(summary.findings.map((f) => f.message).join(), /^None of the 2 alerts in this repository/);
    summary.dispose();
  });
});

describe('issue 15: alert/for-missing and durations already in the condition', () => {
  it('reads ages of 5 minutes or more, deadlines, TTLs and recent events as the pending period', () => {
    for (const expr of [
      '(time() - chef_client_last_run_timestamp_seconds > 5 * 3600) and on (instance) (chef_client_enabled == 1)',
      'sum without (pod) (time() - exporter_last_success_timestamp_seconds) > 600',
      '(time() - (objstore_last_successful_upload_time > 0)) > 86400',
      'time() - max by (job_name) (kube_job_status_start_time and kube_job_status_active > 0) > 43200',
      '(cert_exporter_secret_not_after{name!~"kiam.*"} - time()) < 13 * 24 * 60 * 60',
      'probe_ssl_earliest_cert_expiry - time() < 0',
      'kubelet_certificate_manager_client_ttl_seconds < 604800',
      'apiserver_client_certificate_expiration_seconds_count > 0 and histogram_quantile(0.01, sum by (le) (rate(apiserver_client_certificate_expiration_seconds_bucket[5m]))) < 86400',
      'time() - node_boot_time_seconds < 600',
      '(\n  time() - job_start_timestamp_seconds # started\n) > 30 * 60 * 2 # two scans\n',
    ]) {
      assert.ok(durationInCondition(expr), expr);
    }
    for (const expr of ['time() - last_seen_timestamp > 60 and up == 0', 'queue_depth > 100', 'up == 0', 'rate(errors_total[2m]) > 1', 'node_filesystem_avail_bytes < 1e9']) {
      assert.ok(!durationInCondition(expr), expr);
    }
  });

  it('is not reported on a certificate deadline, an age, a reboot or a role change; still on instant thresholds', async () => {
    const text = lines(
      'groups:',
      '  - name: certs',
      '    rules:',
      ...rule('CertificateExpiresSoon', '(cert_not_after - time()) < 14 * 24 * 3600', '{severity: warning, team: core}'),
      ...rule('CompactionStale', 'min by (cluster) (time() - compactor_last_successful_run_timestamp_seconds) > 60 * 60 * 2', '{severity: warning, team: core}'),
      ...rule('CertificateCount', 'cert_count < 3', '{severity: warning, team: core}'),
      ...rule('NodeRebooted', '(sysUpTime / 100) < 600 and (sysUpTime offset 10m / 100) > 600', '{severity: info, team: core}'),
      ...rule('RoleChanged', 'pg_replication_is_replica and changes(pg_replication_is_replica[1m]) > 0', '{severity: info, team: core}'),
      ...rule('InitialSyncFailed', 'increase(initial_sync_total{outcome="failed"}[1m]) > 0', '{severity: info, team: core}'),
      ...rule('FailedSyncs', 'increase(initial_sync_total{outcome="failed"}[1m]) > 3', '{severity: info, team: core}'),
      ...rule('SlowerThanAnHourAgo', 'latency_seconds > 2 * (latency_seconds offset 1h) and latency_seconds > 1', '{severity: info, team: core}'),
    );
    const res = await lintFixture({ 'rules/certs.yml': text }, { rule: 'alert/for-missing' });
    assert.deepEqual(names(res.findings), ['CertificateCount', 'FailedSyncs', 'SlowerThanAnHourAgo']);
    res.dispose();
  });
});

describe('issue 15: alert/owner-missing and owners the series carry', () => {
  it('reads label_replace, by (team) and matchers that require a team', () => {
    assert.ok(ownerFromSeries('label_replace(gotk_resource_info{job="flux", ready="False"}, "team", "platform", "team", "^$") > 0', 'team'));
    assert.ok(ownerFromSeries('app_info{status!="deployed", team!~"^$|noteam"} == 1', 'team'));
    assert.ok(ownerFromSeries('sum by (team, namespace) (rate(errors_total[5m])) > 1', 'team'));
    assert.ok(ownerFromSeries('x{team=~".+"} > 0', 'team'));
    assert.ok(ownerFromSeries('x{owner="db"} > 0', 'owner'));
    assert.ok(!ownerFromSeries('label_replace(up{team="a"}, "service", "$1", "job", "(.*)") == 0'.replace('team="a"', 'job="a"'), 'team'));
    assert.ok(!ownerFromSeries('x{team=~".*"} > 0', 'team'), 'a matcher that accepts an empty team does not require one');
    assert.ok(!ownerFromSeries('x{team=""} > 0', 'team'));
    assert.ok(!ownerFromSeries('up{job="api"} == 0', 'team'));
  });

  it('does not report an alert whose series carry the team; reports one whose series do not', async () => {
    const text = lines(
      'groups:',
      '  - name: apps',
      '    rules:',
      ...rule('AppFailed', 'app_info{status="failed", team!~"^$|noteam"} == 1', '{severity: page}'),
      ...rule('ReleaseFailed', 'label_replace(release_info{ready="False"}, "team", "platform", "team", "^$") > 0', '{severity: page}'),
      ...rule('Owned', 'up{job="api"} == 0', '{severity: page, team: platform}'),
      ...rule('Orphan', 'up{job="worker"} == 0', '{severity: page}'),
    );
    const res = await lintFixture({ 'rules/apps.yml': text }, { rule: 'alert/owner-missing' });
    assert.deepEqual(names(res.findings), ['Orphan']);
    res.dispose();
  });
});

describe('issue 15: what a repository convention is', () => {
  const alerts = (n: number, withTeam: number, prefix: string, extra = '') =>
    lines('groups:', `  - name: ${prefix}`, '    rules:', ...Array.from({ length: n }, (_, i) => rule(`${prefix}${i}`, `up{job="${prefix}${i}"} == 0`, i < withTeam ? '{severity: page, team: core}' : '{severity: page}', `{summary: x${extra}}`)).flat());

  it('adoption: one in five, or two that are at least one in twenty', () => {
    assert.ok(adopted(1, 5));
    assert.ok(!adopted(1, 6));
    assert.ok(adopted(2, 12));
    assert.ok(adopted(2, 40));
    assert.ok(!adopted(2, 41));
    assert.ok(!adopted(34, 934));
    assert.ok(adopted(150, 828));
    assert.ok(!adopted(0, 3));
  });

  it('a few alerts with a team among many is still one decision: one finding for the repository', async () => {
    const res = await lintFixture({ 'rules/a.yml': alerts(30, 2, 'A'), 'rules/b.yml': alerts(30, 0, 'B') }, { rule: 'alert/owner-missing' });
    assert.equal(res.findings.length, 1);
    assert.match(res.findings[0].message, /^Only 2 of the 60 alerts in this repository/);
    res.dispose();
  });

  it('folders that never follow a convention the rest follows are one finding; stragglers elsewhere are reported one by one', async () => {
    const res = await lintFixture(
      {
        'mixins/api/alerts.yml': alerts(4, 4, 'Api'),
        'mixins/db/alerts.yml': alerts(4, 3, 'Db'),
        'mixins/cache/alerts.yml': alerts(3, 0, 'Cache'),
        'mixins/queue/alerts.yml': alerts(2, 0, 'Queue'),
        'mixins/one/alerts.yml': alerts(1, 0, 'One'),
      },
      { rule: 'alert/owner-missing' },
    );
    const out = res.findings.map((f) => `${path.posix.relative(res.root, f.path)}:${f.range.start.line}`);
    assert.deepEqual(out.sort(), ['mixins/cache/alerts.yml:3', 'mixins/db/alerts.yml:15'].sort());
    const folder = res.findings.find((f) => f.path.includes('/cache/'))!;
    assert.match(folder.message, /^None of the 6 alerts under 3 folders \(mixins\/cache\/, mixins\/one\/, mixins\/queue\/\) carries an owner or team label, while 7 of the repository's 14 do/);
    // One fix adds the label to each alert of those folders.
    assert.equal(new Set(folder.fixes![0].edits.map((e) => e.path)).size, 3);
    assert.match(names(res.findings.filter((f) => f.path.includes('/db/'))).join(), /Db3/);
    res.dispose();
  });

  it('a folder of one alert without the label beside folders that follow it is a straggler', async () => {
    const res = await lintFixture({ 'mixins/api/alerts.yml': alerts(4, 4, 'Api'), 'mixins/one/alerts.yml': alerts(1, 0, 'One') }, { rule: 'alert/owner-missing' });
    assert.deepEqual(names(res.findings), ['One0']);
    res.dispose();
  });

  it('keeps the folder finding when an edit elsewhere changes no convention', async () => {
    const files = { 'mixins/api/alerts.yml': alerts(4, 4, 'Api'), 'mixins/cache/alerts.yml': alerts(3, 0, 'Cache'), 'mixins/db/alerts.yml': alerts(4, 3, 'Db') };
    const res = await lintFixture(files, { rule: 'alert/owner-missing' });
    const now = () => [...res.engine.lintAll()].flatMap(([p, fs]) => fs.map((f) => `${path.posix.relative(res.root, p)}:${f.range.start.line}`)).sort();
    const before = now();
    assert.deepEqual(before, ['mixins/cache/alerts.yml:3', 'mixins/db/alerts.yml:15']);
    await res.engine.update(path.join(res.root, 'mixins/cache/alerts.yml'), files['mixins/cache/alerts.yml'] + '# reviewed\n');
    assert.deepEqual(now(), before);
    // Giving the folder an owner on one alert of three makes it follow: its stragglers are reported.
    await res.engine.update(path.join(res.root, 'mixins/cache/alerts.yml'), alerts(3, 1, 'Cache'));
    assert.deepEqual(now(), ['mixins/cache/alerts.yml:11', 'mixins/cache/alerts.yml:7', 'mixins/db/alerts.yml:15']);
    res.dispose();
  });
});
