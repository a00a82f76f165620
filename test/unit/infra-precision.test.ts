import * as assert from 'node:assert/strict';
import { findingsFor, lintFixture } from './helpers';
import { isCredentialShaped } from '../../src/engine/nonProduction';

// Issue 15, round 1 of the held-out evaluation: classes of noise in the Terraform, Kubernetes,
// Compose and deploy rules, each with a look-alike of the files it was seen on.

const lines = (...l: string[]): string => l.join('\n') + '\n';

describe('infra precision: non-production files (one engine policy)', function () {
  this.timeout(30000);

  const secret = (name: string, value: string) =>
    lines('apiVersion: v1', 'kind: Secret', `metadata: {name: ${name}}`, 'type: Opaque', 'stringData:', `  access-key: ${value}`, '  secret-key: minio-demo-secret');

  it('the literal-secret rules report only credential-shaped values in examples, tests and deprecated code', async () => {
    const res = await lintFixture({
      'manifests/storage-secret.yaml': secret('storage', 'minio-admin'),
      'examples/dev-minio/storage-secret.yaml': secret('storage', 'minio-admin'),
      'examples/leaked/storage-secret.yaml': secret('storage', 'AKIAZ7Q2M4N6P8R3T5VX'),
      'deprecated/old-db/main.tf': lines('resource "aws_db_instance" "db" {', '  password = "Sup3rS3cret!"', '}'),
      'live/db/main.tf': lines('resource "aws_db_instance" "db" {', '  password = "Sup3rS3cret!"', '}'),
    });
    assert.equal(findingsFor(res, 'manifests/storage-secret.yaml', 'k8s/secret-literal').length, 1);
    assert.deepEqual(findingsFor(res, 'examples/dev-minio/storage-secret.yaml', 'k8s/secret-literal'), []);
    // A real-looking AWS key in an example is a leak all the same.
    assert.equal(findingsFor(res, 'examples/leaked/storage-secret.yaml', 'k8s/secret-literal').length, 1);
    assert.deepEqual(findingsFor(res, 'deprecated/old-db/main.tf', 'terraform/hardcoded-secret'), []);
    assert.equal(findingsFor(res, 'live/db/main.tf', 'terraform/hardcoded-secret').length, 1);
    // `nonProduction: []` checks everything.
    const all = await lintFixture({ 'examples/dev-minio/storage-secret.yaml': secret('storage', 'minio-admin') }, { config: { nonProduction: [] }, rule: 'k8s/secret-literal' });
    assert.equal(all.findings.length, 1);
  });

  it('knows credential shapes, base64-decoded in a Secret`s data, and not AWS`s documented EXAMPLE keys', async () => {
    assert.equal(isCredentialShaped('AKIAZ7Q2M4N6P8R3T5VX'), true);
    assert.equal(isCredentialShaped('AKIAIOSFODNN7EXAMPLE'), false);
    assert.equal(isCredentialShaped('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn'), true);
    assert.equal(isCredentialShaped('ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'), true);
    assert.equal(isCredentialShaped('password'), false);
    const data = (v: string) => lines('apiVersion: v1', 'kind: Secret', 'metadata: {name: s}', 'data:', `  key: ${Buffer.from(v).toString('base64')}`);
    const res = await lintFixture({ 'tests/fixtures/a.yaml': data('changeme'), 'tests/fixtures/b.yaml': data('-----BEGIN RSA PRIVATE KEY-----\nMIIEow') }, { rule: 'k8s/secret-literal' });
    assert.deepEqual(findingsFor(res, 'tests/fixtures/a.yaml'), []);
    assert.equal(findingsFor(res, 'tests/fixtures/b.yaml').length, 1);
  });

  it('deprecated/ folders are not production: production-only rules skip them, and module and provider pins are asked of production roots only', async () => {
    const root = lines(
      'terraform {',
      '  required_providers {',
      '    google = { source = "hashicorp/google" }',
      '  }',
      '}',
      'module "net" {',
      '  source = "git::https://github.com/acme/terraform-net.git"',
      '}',
      'resource "aws_kms_key" "k" {}',
    );
    const res = await lintFixture({ 'deprecated/runner/main.tf': root, 'examples/basic/main.tf': root, 'envs/prod/main.tf': root });
    for (const p of ['deprecated/runner/main.tf', 'examples/basic/main.tf']) {
      assert.deepEqual(findingsFor(res, p).filter((f) => /prevent-destroy|provider-unpinned|module-unpinned|tags-missing/.test(f.ruleId)), [], p);
    }
    assert.equal(findingsFor(res, 'envs/prod/main.tf', 'terraform/provider-unpinned').length, 1);
    assert.equal(findingsFor(res, 'envs/prod/main.tf', 'terraform/module-unpinned').length, 1);
  });
});

describe('infra precision: values that are not secrets (terraform/hardcoded-secret)', function () {
  this.timeout(30000);

  it('leaves units, setting words, secret names, parameter paths, references and EXAMPLE values alone', async () => {
    const tf = lines(
      'variable "token_validity_units" {',
      '  type = any',
      '  default = {',
      '    access_token  = "minutes"',
      '    refresh_token = "days"',
      '  }',
      '}',
      'variable "vault_name_token" {',
      '  default = "spotinst_token"',
      '}',
      'variable "ssm_key_password" {',
      '  default = "admin/db_password"',
      '}',
      'variable "api_secret_key" {',
      '  description = "The name of the API secret in the parameter store"',
      '  default     = "default-api"',
      '}',
      'locals {',
      '  slack = { token = "$slack-token" }',
      '}',
      'module "factory" {',
      '  source          = "../factory"',
      '  terraform_token = "example-q8w7e6r5t4y3example2u1i0o9p8"',
      '}',
      'resource "aws_db_instance" "db" {',
      '  password = "Tr0ub4dor&3"',
      '}',
    );
    const res = await lintFixture({ 'live/main.tf': tf }, { rule: 'terraform/hardcoded-secret' });
    assert.deepEqual(
      res.findings.map((f) => f.range.start.line),
      [25],
    );
  });
});

describe('infra precision: Kubernetes rules', function () {
  this.timeout(30000);

  const deployment = (name: string, replicas: number, image = 'registry.example.com/web:1.2.3') =>
    lines(
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: {name: ${name}}`,
      'spec:',
      `  replicas: ${replicas}`,
      `  selector: {matchLabels: {app: ${name}}}`,
      '  template:',
      `    metadata: {labels: {app: ${name}}}`,
      '    spec:',
      '      containers:',
      `        - name: ${name}`,
      `          image: ${image}`,
      '          ports: [{containerPort: 8080}]',
    );

  it('single-replica: a repository that runs every workload once made one sizing decision; once some run two, the rest are reported', async () => {
    const demo = { 'k8s/web.yaml': deployment('web', 1), 'k8s/api.yaml': deployment('api', 1), 'k8s/cart.yaml': deployment('cart', 1) };
    const res = await lintFixture(demo, { rule: 'k8s/single-replica' });
    assert.equal(res.findings.length, 1);
    assert.match(res.findings[0].message, /^None of the 3 Deployments and StatefulSets that set `replicas:` in this repository runs two or more replicas .* in 3 files/);
    const prod = await lintFixture({ ...demo, 'k8s/web.yaml': deployment('web', 3), 'k8s/api.yaml': deployment('api', 2) }, { rule: 'k8s/single-replica' });
    assert.deepEqual(prod.findings.map((f) => f.message.split("'")[1]), ['cart']);
  });

  it('privileged: a DaemonSet that works on its node (host path, host namespaces) is root by design; one that touches nothing of the host is reported', async () => {
    const agent = (extra: string[]) =>
      lines(
        'apiVersion: apps/v1',
        'kind: DaemonSet',
        'metadata: {name: node-register, namespace: kube-system}',
        'spec:',
        '  selector: {matchLabels: {app: node-register}}',
        '  template:',
        '    metadata: {labels: {app: node-register}}',
        '    spec:',
        '      containers:',
        '        - name: register',
        '          image: registry.example.com/node-register:2.0.1',
        '          securityContext: {runAsUser: 0, privileged: true}',
        ...extra,
      );
    const hostPath = ['      volumes:', '        - name: keys', '          hostPath: {path: /home/admin/.ssh/authorized_keys, type: File}'];
    const res = await lintFixture({ 'agent.yaml': agent(hostPath), 'pid.yaml': agent(['      hostPID: true']), 'plain.yaml': agent([]) }, { rule: 'k8s/privileged' });
    assert.deepEqual(findingsFor(res, 'agent.yaml'), []);
    assert.deepEqual(findingsFor(res, 'pid.yaml'), []);
    assert.equal(findingsFor(res, 'plain.yaml').length, 2);
  });

  it('probes-missing: a sidecar without ports beside the container that carries the pod`s readiness probe is not asked for one', async () => {
    const pod = lines(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: contacts}',
      'spec:',
      '  selector: {matchLabels: {app: contacts}}',
      '  template:',
      '    metadata: {labels: {app: contacts}}',
      '    spec:',
      '      containers:',
      '        - name: contacts',
      '          image: registry.example.com/contacts:1.4.0',
      '          ports: [{containerPort: 8080}]',
      '          readinessProbe: {httpGet: {path: /ready, port: 8080}}',
      '        - name: sql-proxy',
      '          image: registry.example.com/sql-proxy:2.1.0',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: contacts}',
      'spec: {selector: {app: contacts}, ports: [{port: 80, targetPort: 8080}]}',
    );
    const res = await lintFixture({ 'contacts.yaml': pod }, { rule: 'k8s/probes-missing' });
    assert.deepEqual(res.findings, []);
    // Without the main container's probe, both are reported.
    const bare = await lintFixture({ 'contacts.yaml': pod.replace('          readinessProbe: {httpGet: {path: /ready, port: 8080}}\n', '') }, { rule: 'k8s/probes-missing' });
    assert.equal(bare.findings.length, 2);
  });
});

describe('infra precision: compose/secret-literal copied into service folders', function () {
  this.timeout(30000);

  it('reports a value copied from a Compose file into the files of folders below once, on the file above, naming the copies', async () => {
    const compose = lines('services:', '  broker:', '    image: rabbitmq:3.13.7-management', '    environment:', '      - "RABBITMQ_DEFAULT_PASS=guest-pass"', '  orders:', '    build: src/orders', '    environment:', '      - ORDER_QUEUE_PASSWORD=guest-pass');
    const res = await lintFixture({ 'docker-compose.yml': compose, 'src/orders/docker-compose.yml': compose, 'src/cart/docker-compose.yml': compose, 'stack.yml': compose }, { rule: 'compose/secret-literal' });
    const where = res.findings.map((f) => `${f.path.slice(res.engine.index.root.length + 1)}:${f.range.start.line}`).sort();
    // The two root files each, once per variable; the copies below are named in the message.
    assert.deepEqual(where, ['docker-compose.yml:4', 'docker-compose.yml:8', 'stack.yml:4', 'stack.yml:8']);
    assert.match(findingsFor(res, 'docker-compose.yml')[0].message, /copied into 2 Compose files below \(src\/cart\/docker-compose\.yml, src\/orders\/docker-compose\.yml\)/);
  });
});

describe('infra precision: the convention pass hosts a collapsed finding on a template of the subjects only', function () {
  this.timeout(30000);

  it('does not put the repository-level finding on an unrelated file under templates/', async () => {
    const call = (n: number) => lines(`module "m${n}" {`, '  source = "git::https://github.com/acme/terraform-mod.git"', '}');
    const res = await lintFixture(
      {
        'stacks/a/main.tf': call(1),
        'stacks/b/main.tf': call(2),
        'pipelines/templates/codepipeline.tf': lines('resource "aws_codepipeline" "p" {', '  name = "p"', '}'),
      },
      { rule: 'terraform/module-unpinned' },
    );
    assert.equal(res.findings.length, 1);
    assert.equal(res.findings[0].path.slice(res.engine.index.root.length + 1), 'stacks/a/main.tf');
  });
});
