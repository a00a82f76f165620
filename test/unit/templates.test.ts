import * as assert from 'node:assert/strict';
import { LineIndex } from '../../src/engine/text';
import { rewriteTemplate } from '../../src/engine/parsers/template';
import { parseYaml } from '../../src/engine/parsers/yaml';
import { findingsFor, lintFixture, rangeOf } from './helpers';

// Issue 15, class A.1: Helm chart templates read as the YAML they render to, their actions
// rewritten in place (offsets kept), values set at render time known as such.

const lineOf = (text: string, needle: string): number => new LineIndex(text).positionAt(text.indexOf(needle)).line;

describe('Helm templates rewritten in place', () => {
  it('keeps every offset and line break; scalars with actions become quoted placeholders; control lines become blank', () => {
    const text = [
      'metadata:',
      '  labels:',
      '    {{- include "labels" . | nindent 4 }}',
      '  name: {{ .Release.Name }}-api',
      '  namespace: {{ .Values.ns }}',
      'spec:',
      '  replicas: {{ .Values.replicas }}',
      '  image: {{ .Values.repo }}:{{ .Values.tag }}',
      '  summary: "{{ $labels.job }} down"',
      '  {{- if .Values.x }}',
      '  x: 1',
      '  {{- end }}',
      '',
    ].join('\n');
    const r = rewriteTemplate(text)!;
    assert.equal(r.text.length, text.length);
    assert.deepEqual([...r.text].map((c, i) => (c === '\n' ? i : -1)).filter((i) => i >= 0), [...text].map((c, i) => (c === '\n' ? i : -1)).filter((i) => i >= 0));
    const out = r.text.split('\n');
    // The include is the whole value of `labels:` (the next key is its sibling): a placeholder.
    assert.match(out[2], /^ {4}"\{\{[^"]*\}\}"$/);
    assert.match(out[3], /^ {2}name: "\{\{[^"]*\}\}-api"$/);
    assert.match(out[4], /^ {2}namespace: "\{\{[^"]*\}\}"$/);
    assert.match(out[7], /^ {2}image: "\{\{[^"]*\}\}:\{\{[^"]*\}\}"$/);
    assert.equal(out[8], text.split('\n')[8], 'an action inside quotes stays as written');
    assert.equal(out[9].trim(), '');
    const y = parseYaml(text, { readTemplates: true });
    assert.equal(y.skippedTemplate, false);
    assert.equal(y.errors.length, 0);
    assert.ok(y.template?.length);
  });

  it('leaves the text of block scalars as written (an action there is part of the value)', () => {
    const text = 'a:\n  labels:\n    {{- include "l" . | nindent 4 }}\n  description: |-\n    {{`{{ $labels.job }} is down`}}\n  b: 1\n';
    const y = parseYaml(text, { readTemplates: true });
    assert.equal(y.skippedTemplate, false);
    const js = y.docs[0].toJS() as { a: { description: string } };
    assert.equal(js.a.description, '{{`{{ $labels.job }} is down`}}');
  });

  it('keeps the first branch of if/else written on lines of their own (both branches set the same keys)', () => {
    const text = 'data:\n  {{- if .Values.ad }}\n  USE_AD: "true"\n  {{- else }}\n  USE_AD: "false"\n  {{- end }}\n  OTHER: x\n';
    const y = parseYaml(text, { readTemplates: true });
    assert.equal(y.skippedTemplate, false);
    const data = (y.docs[0].toJS() as { data: Record<string, string> }).data;
    assert.deepEqual(data, { USE_AD: 'true', OTHER: 'x' });
  });

  it('an output action that is the whole value of the key above it becomes that value', () => {
    const text = 'resources:\n  {{- toYaml .Values.resources | nindent 2 }}\nname: x\n';
    const y = parseYaml(text, { readTemplates: true });
    const js = y.docs[0].toJS() as { resources: unknown };
    assert.equal(typeof js.resources, 'string');
    assert.match(String(js.resources), /\{\{/);
  });

  it('a template whose structure depends on its actions stays skipped', () => {
    const y = parseYaml('apiVersion: v1\nkind: ConfigMap\ndata:\n{{- range .Values.items }}\n  {{ .name }}: [\n{{- end }}\n', { readTemplates: true });
    assert.equal(y.skippedTemplate, true);
  });

  it('survives hostile input: unclosed actions, thousands of braces, actions across lines', () => {
    for (const text of ['a: {{ .x\n', '{{'.repeat(3000), 'a: {{\n .x }}\nb: 1\n', '}}{{}}{{-}}', 'a: "{{ x }}\n', '- {{ x }}\n- {{ y }}: z\n', '{{ x }}: [{{ y }}, {{ z }}]\n']) {
      const y = parseYaml(text, { readTemplates: true });
      assert.equal(y.type, 'yaml');
      const r = rewriteTemplate(text);
      if (r) assert.equal(r.text.length, text.length);
    }
  });
});

describe('rules on Helm templates', () => {
  const deployment = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ include "app.fullname" . }}',
    '  labels:',
    '    {{- include "app.labels" . | nindent 4 }}',
    'spec:',
    '  replicas: {{ .Values.replicaCount }}',
    '  selector:',
    '    matchLabels:',
    '      app: web',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: web',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
    '        resources:',
    '          {{- toYaml .Values.resources | nindent 10 }}',
    '        {{- include "app.probes" . | nindent 8 }}',
    '      - name: sidecar',
    '        image: {{ .Values.sidecar.image }}',
    '        securityContext:',
    '          privileged: true',
    '      - name: cache',
    '        image: redis:latest',
    '        ports:',
    '        - containerPort: 6379',
    '',
  ].join('\n');
  const rules = [
    'apiVersion: monitoring.coreos.com/v1',
    'kind: PrometheusRule',
    'metadata:',
    '  labels:',
    '    {{- include "labels.common" . | nindent 4 }}',
    '  name: api',
    '  namespace: {{ .Values.namespace }}',
    'spec:',
    '  groups:',
    '  - name: api',
    '    rules:',
    '    - alert: ApiDown',
    '      expr: up{job="api"} == 0',
    '      for: {{ .Values.for }}',
    '      labels:',
    '        severity: page',
    '        team: {{ .Values.team }}',
    '      annotations:',
    '        summary: Api down',
    '        runbook_url: {{ .Values.runbookBase }}/api-down',
    '    - alert: ApiSlow',
    '      expr: latency > 1',
    '      for: 5m',
    '      labels:',
    '        {{- include "alert.labels" . | nindent 8 }}',
    '      annotations:',
    '        {{- include "alert.annotations" . | nindent 8 }}',
    '        description: slow',
    '    - alert: ApiErrors',
    '      expr: api_error_ratio > 0.05',
    '      labels:',
    '        severity: page',
    '      annotations:',
    '        description: \'{{`{{ $labels.instance }} errors`}}\'',
    '',
  ].join('\n');
  let res: Awaited<ReturnType<typeof lintFixture>>;
  before(async () => {
    res = await lintFixture({ 'chart/templates/deployment.yaml': deployment, 'chart/templates/rules.yaml': rules });
  });
  const on = (file: string, rule: string) => findingsFor(res, file).filter((f) => f.ruleId === rule);

  it('indexes them with their kind, not as skipped templates', () => {
    assert.equal(res.engine.index.get('chart/templates/deployment.yaml')?.kind, 'k8s-manifest');
    assert.equal(res.engine.index.get('chart/templates/rules.yaml')?.kind, 'alert-rules');
    assert.deepEqual(res.engine.index.skipped.filter((s) => s.relPath.startsWith('chart/')), []);
  });

  it('reports literal problems at their real positions', () => {
    const latest = on('chart/templates/deployment.yaml', 'k8s/image-latest');
    assert.deepEqual(latest.map((f) => rangeOf(f)[0]), [lineOf(deployment, 'redis:latest')]);
    const privileged = findingsFor(res, 'chart/templates/deployment.yaml').filter((f) => f.ruleId.startsWith('k8s/privileged'));
    assert.deepEqual(privileged.map((f) => rangeOf(f)[0]), [lineOf(deployment, 'privileged: true')]);
    const start = deployment.split('\n')[lineOf(deployment, 'privileged: true')].indexOf('privileged');
    assert.equal(rangeOf(privileged[0])[1], start);
  });

  it('does not report templated values as literal ones, nor keys a template may add as missing', () => {
    // A templated image (quoted or not) is not `:latest`; templated resources are present; the
    // container whose probes come from an include is not missing a probe.
    const latest = on('chart/templates/deployment.yaml', 'k8s/image-latest').map((f) => rangeOf(f)[0]);
    assert.ok(!latest.includes(lineOf(deployment, '.Values.sidecar.image')));
    const resources = on('chart/templates/deployment.yaml', 'k8s/resources-missing').map((f) => f.message);
    assert.ok(!resources.some((m) => m.includes("'web'")), resources.join('\n'));
    assert.ok(resources.some((m) => m.includes("'cache'")), 'a container without resources is still reported');
    const probes = on('chart/templates/deployment.yaml', 'k8s/probes-missing').map((f) => f.message);
    assert.ok(!probes.some((m) => m.includes("'web'")), probes.join('\n'));
    assert.ok(probes.some((m) => m.includes("'cache'")), probes.join('\n'));
    // A templated runbook_url is present and a templated `for:` is set; the alert without either is reported.
    assert.deepEqual(on('chart/templates/rules.yaml', 'alert/runbook-missing').map((f) => rangeOf(f)[0]), [lineOf(rules, 'alert: ApiErrors')]);
    assert.deepEqual(on('chart/templates/rules.yaml', 'alert/for-missing').map((f) => rangeOf(f)[0]), [lineOf(rules, 'alert: ApiErrors')]);
    // Labels and annotations an include adds at render time may hold the owner and the runbook.
    const owners = on('chart/templates/rules.yaml', 'alert/owner-missing').map((f) => f.message);
    assert.ok(!owners.some((m) => m.includes('ApiSlow')), owners.join('\n'));
    assert.ok(owners.some((m) => m.includes('ApiErrors')), owners.join('\n'));
  });
});

describe('kustomize overlays', () => {
  it('a strategic-merge patch is not a workload missing probes and resources; the base still is checked', async () => {
    const base = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: web:1.0\n        ports:\n        - containerPort: 80\n';
    const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: web:1.1\n        ports:\n        - containerPort: 80\n';
    const res = await lintFixture({
      'kustomize/base/deployment.yaml': base,
      'kustomize/base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deployment.yaml\n',
      'kustomize/overlays/prod/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../../base\npatches:\n- path: patches/image.yaml\npatchesStrategicMerge:\n- version.yaml\n',
      'kustomize/overlays/prod/patches/image.yaml': patch,
      'kustomize/overlays/prod/version.yaml': patch,
    });
    const rules = (f: string) => findingsFor(res, f).map((x) => x.ruleId);
    assert.ok(rules('kustomize/base/deployment.yaml').includes('k8s/probes-missing'), rules('kustomize/base/deployment.yaml').join(', '));
    assert.ok(rules('kustomize/base/deployment.yaml').includes('k8s/resources-missing'));
    for (const f of ['kustomize/overlays/prod/patches/image.yaml', 'kustomize/overlays/prod/version.yaml']) {
      assert.equal(res.engine.index.get(f)?.kind, 'k8s-manifest');
      assert.deepEqual(rules(f).filter((r) => r === 'k8s/probes-missing' || r === 'k8s/resources-missing'), [], f);
    }
  });
});
