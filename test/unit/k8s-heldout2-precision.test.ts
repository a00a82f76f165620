import * as assert from 'node:assert/strict';
import { findingsFor, lintFixture } from './helpers';
import { configHoldsCredential, isCredentialEntry } from '../../src/engine/rules/k8s/secretEntries';

// Issue 15, wave 2: classes of noise named on round 2's held-out half in the Kubernetes rules,
// each with a look-alike and the actionable case that must still fire.

const lines = (...l: string[]): string => l.join('\n') + '\n';
const secret = (name: string, field: string, ...entries: string[]) =>
  lines('apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${name}`, 'type: Opaque', `${field}:`, ...entries);

describe('k8s/secret-literal: only credentials count (heldout2)', function () {
  this.timeout(30000);

  it('a Secret of configuration without a credential is not reported; a credential field in it is', async () => {
    const res = await lintFixture(
      {
        'deploy/proxy-config.yaml': secret('proxy-config', 'stringData', '  config.yaml: |-', '    "authorization":', '      "resourceAttributes":', '        "resource": "widgets"', '        "subresource": "api"'),
        'deploy/router-config.yaml': secret('router', 'stringData', '  router.yaml: |-', '    "global":', '      "resolve_timeout": "5m"', '    "receivers":', '    - "name": "Default"', '    "route":', '      "receiver": "Default"'),
        'deploy/ui-config.yaml': secret('ui-config', 'stringData', '  ui.ini: |', '    [date_formats]', '    default_timezone = UTC'),
        'deploy/sources.yaml': secret('sources', 'stringData', '  sources.yaml: |-', '    {"datasources": [{"name": "metrics", "url": "http://metrics.monitoring.svc:9090"}]}'),
        'deploy/senders.yaml': secret('senders', 'stringData', '  senders.yaml: |-', '    "http_config":', '      "bearer_token_file": "/var/run/secrets/sa/token"', '      "ca_file": "/etc/ca/ca.crt"'),
        'deploy/db-config.yaml': secret('db-config', 'stringData', '  DB_NAME: orders', '  DB_HOST: orders-db'),
        // Actionable: a password field in a config file, a password entry, key material in data.
        'deploy/ui-admin.yaml': secret('ui-admin', 'stringData', '  ui.ini: |', '    [security]', '    admin_password = W1nter-Orchard'),
        'deploy/db-creds.yaml': secret('db-creds', 'stringData', '  DB_USER: orders', '  DB_PASSWORD: orders-pwd'),
        'deploy/signing.yaml': secret('signing', 'data', `  signing.key: ${Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nMIIEow').toString('base64')}`),
        'deploy/queue.yaml': secret('queue', 'data', `  QUEUE_USERNAME: ${Buffer.from('username').toString('base64')}`, `  QUEUE_PASS: ${Buffer.from('password').toString('base64')}`),
      },
      { rule: 'k8s/secret-literal' },
    );
    for (const p of ['proxy-config', 'router-config', 'ui-config', 'sources', 'senders', 'db-config']) assert.deepEqual(findingsFor(res, `deploy/${p}.yaml`), [], p);
    for (const p of ['ui-admin', 'db-creds', 'signing', 'queue']) assert.equal(findingsFor(res, `deploy/${p}.yaml`).length, 1, p);
    assert.match(findingsFor(res, 'deploy/db-creds.yaml')[0].message, /`DB_USER`, `DB_PASSWORD`\)/);
  });

  it('classifies entries and configuration files', () => {
    assert.equal(isCredentialEntry('tls.key', 'x'), true);
    assert.equal(isCredentialEntry('api-token', 'x'), true);
    assert.equal(isCredentialEntry('DATABASE_URL', 'postgres://app:S3cr3t@db:5432/app'), true);
    assert.equal(isCredentialEntry('DATABASE_URL', 'postgres://db:5432/app'), false);
    assert.equal(isCredentialEntry('CONN', 'Server=db;Database=app;Password=hunter2'), true);
    assert.equal(isCredentialEntry('SIGNUP_CODE', 'q8Zr2LmX7vPa4Tn9Kc3Wd6Yh'), true);
    assert.equal(isCredentialEntry('REGION', 'eu-west-1'), false);
    assert.equal(configHoldsCredential('receivers:\n- name: team\n  slack_configs:\n  - api_url: https://hooks.slack.com/services/T0/B0/abc\n'), true);
    assert.equal(configHoldsCredential('receivers:\n- name: pager\n  pagerduty_configs:\n  - routing_key: 1a2b3c\n'), true);
    assert.equal(configHoldsCredential('client_secret_file: /etc/oauth/secret\n'), false);
  });
});

describe('k8s/resources-missing: Helm `indent` idiom at column 0 (heldout2)', function () {
  this.timeout(30000);

  it('`resources:` then `{{ toYaml .Values.x.resources | indent 10 }}` at column 0 is set at render time', async () => {
    const dep = (res: string[]) =>
      lines(
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: cart-db',
        'spec:',
        '  replicas: 2',
        '  template:',
        '    spec:',
        '      containers:',
        '      - name: cart-db',
        '        image: mongo:4.4',
        ...res,
        '        securityContext:',
        '          readOnlyRootFilesystem: true',
      );
    const res = await lintFixture(
      {
        'chart/Chart.yaml': lines('apiVersion: v2', 'name: shop', 'version: 0.1.0'),
        'chart/values.yaml': lines('cartdb:', '  resources:', '    requests: {cpu: 100m, memory: 128Mi}', '    limits: {memory: 256Mi}'),
        'chart/templates/cart-db.yaml': dep(['        resources:', '{{ toYaml .Values.cartdb.resources | indent 10 }}']),
        'chart/templates/cart-db-none.yaml': dep(['        ports:', '        - containerPort: 27017']),
      },
      { rule: 'k8s/resources-missing' },
    );
    assert.deepEqual(findingsFor(res, 'chart/templates/cart-db.yaml'), []);
    assert.equal(findingsFor(res, 'chart/templates/cart-db-none.yaml').length, 1);
  });
});

describe('k8s/probes-missing and k8s/single-replica: sidecars and singletons by design (heldout2)', function () {
  this.timeout(30000);

  const c = (name: string, image: string, extra: string[] = []) => [`      - name: ${name}`, `        image: ${image}`, ...extra];
  const deploy = (name: string, replicas: number, ...containers: string[][]) =>
    lines(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      `  replicas: ${replicas}`,
      '  selector: {matchLabels: {app: ' + name + '}}',
      '  template:',
      '    metadata: {labels: {app: ' + name + '}}',
      '    spec:',
      '      containers:',
      ...containers.flat(),
    );
  const ports = (n: number) => ['        ports:', `        - containerPort: ${n}`];

  it('a config reloader and a loopback-only container beside a container with ports are not asked for probes; the one with ports is', async () => {
    const res = await lintFixture(
      {
        'deploy/prober.yaml': deploy(
          'prober',
          2,
          c('prober', 'acme/prober:1.2', ports(9115)),
          c('config-watcher', 'acme/watch:0.3', ['        args:', '        - --webhook-url=http://localhost:9115/-/reload', '        - --volume-dir=/etc/prober']),
        ),
        'deploy/state.yaml': deploy(
          'inventory',
          2,
          c('inventory', 'acme/inventory:2.0', ['        args:', '        - --host=127.0.0.1', '        - --port=8081']),
          c('auth-proxy', 'acme/auth-proxy:0.2', [...ports(8443), '        args:', '        - --secure-listen-address=:8443', '        - --upstream=http://127.0.0.1:8081/']),
        ),
        // Actionable: a port-less main container beside a metrics sidecar still needs its probe.
        'deploy/worker.yaml': deploy('worker', 2, c('worker', 'acme/worker:1.0', ['        args: [--listen=0.0.0.0:8080]']), c('exporter', 'acme/exporter:1.0', ports(9100))),
      },
      { rule: 'k8s/probes-missing' },
    );
    assert.deepEqual(findingsFor(res, 'deploy/prober.yaml').map((f) => f.message.split(' ')[1]), ["'prober'"]);
    assert.deepEqual(findingsFor(res, 'deploy/state.yaml').map((f) => f.message.split(' ')[1]), ["'auth-proxy'"]);
    assert.deepEqual(findingsFor(res, 'deploy/worker.yaml').map((f) => f.message.split(' ')[1]).sort(), ["'exporter'", "'worker'"]);
  });

  it('operators, leader-elected controllers and state-metrics exporters are not asked for a second replica; a web service is', async () => {
    const res = await lintFixture(
      {
        'deploy/op.yaml': deploy('widget-operator', 1, c('widget-operator', 'acme/widget-operator:0.9', ports(8080))),
        'deploy/ctl.yaml': deploy('reconciler', 1, c('reconciler', 'acme/reconciler:0.9', [...ports(8080), '        args: [--leader-elect]'])),
        'deploy/ksm.yaml': deploy('cluster-state-metrics', 1, c('cluster-state-metrics', 'acme/cluster-state-metrics:2.1', ports(8080))),
        'deploy/web.yaml': deploy('web', 1, c('web', 'acme/web:1.0', ports(8080))),
        'deploy/web2.yaml': deploy('api', 2, c('api', 'acme/api:1.0', ports(8080))),
      },
      { rule: 'k8s/single-replica' },
    );
    for (const p of ['op', 'ctl', 'ksm']) assert.deepEqual(findingsFor(res, `deploy/${p}.yaml`), [], p);
    assert.equal(findingsFor(res, 'deploy/web.yaml').length, 1);
  });
});
