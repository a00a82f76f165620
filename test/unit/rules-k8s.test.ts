import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFixture } from './fixtureFiles';
import { findingsFor, lintFixture, rangeOf } from './helpers';

describe('k8s rules', () => {
  it('report exactly the expected findings on a multi-document manifest repository', async () => {
    const res = await lintFixture(loadFixture('k8s'));
    const got = res.findings
      .filter((f) => f.ruleId.startsWith('k8s/'))
      .map((f) => `${path.posix.relative(res.engine.index.root, f.path)} ${f.ruleId} ${rangeOf(f).join(',')}`)
      .sort();
    assert.deepEqual(got, [
      'manifests/shop.yaml k8s/image-latest 28,17,28,53',
      'manifests/shop.yaml k8s/image-latest 42,17,42,34',
      'manifests/shop.yaml k8s/pdb-missing 8,12,8,13',
      'manifests/shop.yaml k8s/privileged 70,8,70,20',
      'manifests/shop.yaml k8s/privileged 80,12,80,28',
      'manifests/shop.yaml k8s/privileged 81,12,81,41',
      // (The log-shipper sidecar serves nothing beside 'web', which carries the pod's readinessProbe.)
      'manifests/shop.yaml k8s/resources-missing 43,10,43,19',
    ]);
  });

  it('say which container, which resources are missing and what to do', async () => {
    const res = await lintFixture(loadFixture('k8s'));
    const [r] = findingsFor(res, 'manifests/shop.yaml', 'k8s/resources-missing');
    assert.match(r.message, /'log-shipper' of Deployment 'shop-web'.*requests\.memory, limits\.memory/);
    assert.doesNotMatch(r.message, /requests\.cpu/);
    const img = findingsFor(res, 'manifests/shop.yaml', 'k8s/image-latest').map((f) => f.message);
    assert.match(img[0], /':latest'/);
    assert.match(img[1], /untagged/);
  });

  // Round 3: a strategic-merge patch no kustomization of the workspace names (a tool generates
  // the kustomization) holds only the fields it changes: no probes or resources asked of it.
  it('leave a partial workload (a container without image) to its base, and still check the full ones', async () => {
    const res = await lintFixture(loadFixture('k8s-partial-patch'), { profile: 'all' });
    const got = res.findings
      .filter((f) => f.ruleId.startsWith('k8s/'))
      .map((f) => `${path.posix.relative(res.engine.index.root, f.path)} ${f.ruleId}`)
      .sort();
    assert.deepEqual(got, [
      'deploy/base/api.yaml k8s/pdb-missing',
      'deploy/base/api.yaml k8s/probes-missing',
      'deploy/base/api.yaml k8s/resources-missing',
      'deploy/base/api.yaml k8s/image-latest',
    ].sort());
  });

  // Issue 7: a template is listed once on the skip list (CLI summary, output channel), not as an
  // info finding per file that nobody can act on. Issue 15: a template that reads as YAML once its
  // actions are rewritten in place is checked, its templated values taken as set at render time.
  it('check a Helm template that reads as YAML without reporting its templated values; skip one that does not, once', async () => {
    const res = await lintFixture(loadFixture('k8s'));
    assert.deepEqual(findingsFor(res, 'chart/templates/deployment.yaml'), []);
    assert.equal(res.engine.index.get('chart/templates/deployment.yaml')?.kind, 'k8s-manifest');
    assert.deepEqual(res.engine.index.skipped.filter((s) => s.relPath === 'chart/templates/deployment.yaml'), []);
    const broken = await lintFixture({ 'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n{{- range .Values.items }}\n  {{ .name }}: [\n{{- end }}\n' });
    assert.deepEqual(findingsFor(broken, 'chart/templates/cm.yaml'), []);
    const skipped = broken.engine.index.skipped.filter((s) => s.relPath === 'chart/templates/cm.yaml');
    assert.deepEqual(skipped.map((s) => [s.kind, s.code]), [['file', 'template']]);
    assert.match(skipped[0].reason, /not YAML before rendering/);
  });

  it('ignore templated images in a Helm template that happens to parse, and accept digests and tags', async () => {
    const res = await lintFixture({
      'templates/web.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "{{ .Release.Name }}"\nspec:\n  containers:\n    - name: web\n      image: "{{ .Values.image }}"\n    - name: side\n      image: nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n    - name: proxy\n      image: localhost:5000/envoy:v1.31.0\n',
    }, { rule: 'k8s/image-latest' });
    assert.deepEqual(res.findings, []);
  });

  it('cover initContainers, CronJobs and List items; initContainers need no probe', async () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: apps/v1',
      '    kind: StatefulSet',
      '    metadata: {name: db}',
      '    spec:',
      '      template:',
      '        spec:',
      '          initContainers:',
      '            - name: init',
      '              image: busybox',
      '          containers:',
      '            - name: pg',
      '              image: postgres:16.4',
      '              resources: {requests: {cpu: 1, memory: 1Gi}, limits: {memory: 2Gi}}',
      '',
    ].join('\n');
    const res = await lintFixture({ 'db.yaml': text });
    const by = (id: string) => findingsFor(res, 'db.yaml', id).map(rangeOf);
    assert.deepEqual(by('k8s/image-latest'), [[11, 21, 11, 28]]);
    assert.deepEqual(by('k8s/probes-missing'), [[13, 20, 13, 22]]);
    assert.deepEqual(by('k8s/resources-missing'), [[10, 20, 10, 24]]);
  });

  it('stay silent on a hardened workload', async () => {
    const res = await lintFixture({
      'ok.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: ok}',
        'spec:',
        '  template:',
        '    spec:',
        '      securityContext: {runAsNonRoot: true, runAsUser: 1000}',
        '      containers:',
        '        - name: app',
        '          image: registry.example.com/app:1.2.3',
        '          readinessProbe: {tcpSocket: {port: 8080}}',
        '          resources:',
        '            requests: {cpu: 100m, memory: 128Mi}',
        '            limits: {memory: 256Mi}',
        '          securityContext: {privileged: false, allowPrivilegeEscalation: false}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(res.findings.filter((f) => f.ruleId.startsWith('k8s/')), []);
  });
});
