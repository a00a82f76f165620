import * as assert from 'node:assert/strict';
import { isLiteralSecretValue, isPasswordHash, isSecretName, nameTokens } from '../../src/engine/rules/secretNames';
import { loadFixture } from './fixtureFiles';
import { lintFixture, rangeOf } from './helpers';

// The shared secret-name classifier (terraform/hardcoded-secret, ansible/secret-plaintext,
// ansible/no-log-missing): names are split into words and the secret word must end the name.

describe('secret names (src/engine/rules/secretNames)', () => {
  it('splits snake, kebab, camel and concatenated secret words', () => {
    assert.deepEqual(nameTokens('db_password'), ['db', 'password']);
    assert.deepEqual(nameTokens('db-password'), ['db', 'password']);
    assert.deepEqual(nameTokens('dbPassword'), ['db', 'password']);
    assert.deepEqual(nameTokens('APIKey'), ['api', 'key']);
    assert.deepEqual(nameTokens('dbpassword'), ['db', 'password']);
    assert.deepEqual(nameTokens('upassword'), ['u', 'password']);
    assert.deepEqual(nameTokens('clientsecret'), ['client', 'secret']);
    assert.deepEqual(nameTokens('rootpass'), ['root', 'pass']);
    assert.deepEqual(nameTokens('bypass'), ['bypass']);
    assert.deepEqual(nameTokens('passwordless'), ['passwordless']);
  });

  const secrets = [
    'password', 'db_password', 'DB_PASSWORD', 'dbpassword', 'upassword', 'mysqlRootPassword', 'nsc_pass', 'ansible_become_pass',
    'ansible_ssh_pass', 'mongo_admin_pass', 'rootpass', 'api_key', 'apiKey', 'x-api-key', 'aws_secret_access_key', 'secret_key',
    'access_key', 'private_key', 'client_secret', 'clientsecret', 'vault_token', 'token', 'auth_token', 'secret', 'passphrase',
    'ssh_key_passphrase', 'credentials', 'psk', 'Authorization', 'secret_string', 'db_password_hash', 'password2', 'ses_smtp_password_v4',
    'password_wo', 'private_key_pem', 'secret_key_base', 'storepass', 'keypass', 'login_password', 'url_password', 'jwtSecret', 'verify_token', 'cluster_token', 'join_token',
  ];
  const lookAlikes = [
    'password_length', 'password_min_length', 'passwordless', 'token_url', 'token_ttl', 'token_type', 'secret_name', 'secretName',
    'secretKeyRef', 'key_id', 'kms_key_id', 'aws_access_key_id', 'public_key', 'ssh_public_key', 'key_name', 'ssh_key_path',
    'ssh_key_file', 'password_file', 'credentials_file', 'tls_key_path', 'api_key_header', 'update_password', 'password_lock',
    'generate_ssh_key', 'no_password_changes', 'manage_master_user_password', 'create_random_password', 'persist-credentials',
    'password-stdin', 'vault-password-file', 'ask-become-pass', 'creation_token', 'idempotency_token', 'client_token', 'next_token',
    'image_pull_secret', 'existing_secret', 'tlsSecret', 'envFromSecret', 'bypass', 'first_pass', 'ec2_ssh_key', 'deploy_key', 'primary_key', 'keypair', 'gpgkey',
    'secret_arn', 'password_policy', 'enable_key_rotation', 'http_tokens', 'master_user_secret_kms_key_id', 'key', 'initial-cluster-token',
    'etcd_initial_cluster_token',
  ];
  for (const n of secrets) it(`'${n}' is a secret name`, () => assert.equal(isSecretName(n), true, n));
  for (const n of lookAlikes) it(`'${n}' is not a secret name`, () => assert.equal(isSecretName(n), false, n));

  it('finds exactly the expected secret names in every rule pack fixture', () => {
    // Keys of YAML maps and HCL attributes/variables across test/fixtures (ansible, terraform, k8s, workflows).
    const names = new Set<string>();
    for (const pack of ['ansible', 'terraform', 'k8s', 'workflows']) {
      for (const text of Object.values(loadFixture(pack))) {
        for (const m of text.matchAll(/^\s*-?\s*["']?([A-Za-z_][\w.-]*)["']?\s*[:=]/gm)) names.add(m[1]);
        for (const m of text.matchAll(/variable\s+"([^"]+)"/g)) names.add(m[1]);
      }
    }
    const found = [...names].filter(isSecretName).sort();
    assert.deepEqual(found, [
      'ansible_become_pass', 'datadog_api_key', 'db_password', 'dd_api_key', 'login_password', 'monitoring_api_token', 'password',
      'url_password', 'vault_db_password', 'web_admin_password', 'web_session_secret',
    ]);
    // The look-alikes the fixtures hold stay out.
    for (const n of ['web_api_key_header', 'web_key_name', 'web_ssl_key_path', 'update_password', 'enable_key_rotation']) assert.ok(names.has(n) && !isSecretName(n), n);
  });

  it('tells literal secrets from references, paths, enums and public keys', () => {
    for (const v of ['hunter2', '@ns1bl3', 'changeme', 'AKIAIOSFODNN7EXAMPLE', 12345, '-----BEGIN RSA PRIVATE KEY-----\nabc']) assert.equal(isLiteralSecretValue(v), true, String(v));
    for (const v of ['', '{{ vault_pw }}', '${DB_PW}', '$DB_PW', '/etc/app/pw', 'files/key.pem', 'https://vault.example.com/x', 'arn:aws:secretsmanager:eu-west-1:1:secret:x', 'NONE', 'AWS_IAM', 'true', 'no', 8, '!', '*', 'ssh-ed25519 AAAAC3Nza user@host']) {
      assert.equal(isLiteralSecretValue(v), false, String(v));
    }
  });

  it('recognises crypt hashes', () => {
    for (const v of ['$1$SomeSalt$UqddPX3r4kH3UL5jq5/ZI.', '$6$rounds=5000$salt$abc', '$5$s$h', '$2b$12$abcdefghijklmnopqrstuv', '$y$j9T$salt$hash', '$argon2id$v=19$m=65536$x$y']) assert.equal(isPasswordHash(v), true, v);
    for (const v of ['$ecret', 'pa$$word', '$1', 'hunter2']) assert.equal(isPasswordHash(v), false, v);
  });

  it('drives terraform/hardcoded-secret: write-only and numbered names, no enum values, hashes as hashes', async () => {
    const tf = [
      'resource "aws_db_instance" "a" {',
      '  password_wo                 = "UberSecretPassword"',
      '  manage_master_user_password = false',
      '}',
      'resource "aws_api_gateway_method" "m" {',
      '  authorization = "NONE"',
      '}',
      'resource "aws_iam_user" "u" {',
      '  ses_smtp_password_v4 = "AKIAxxxxSMTP"',
      '}',
      'variable "admin_password_hash" {',
      '  default = "$6$rounds=5000$salt$abcdefgh"',
      '}',
      '',
    ].join('\n');
    const res = await lintFixture({ 'main.tf': tf }, { rule: 'terraform/hardcoded-secret' });
    assert.deepEqual(res.findings.map(rangeOf), [
      [1, 32, 1, 52],
      [8, 25, 8, 39],
      [11, 12, 11, 42],
    ]);
    assert.equal(res.findings[2].severity, 'warning');
    assert.match(res.findings[2].message, /password hash/);
  });
});
