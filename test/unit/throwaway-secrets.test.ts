import * as assert from 'node:assert/strict';
import { loadFixture } from './fixtureFiles';
import { findingsFor, lintFixture } from './helpers';
import { highEntropy } from '../../src/engine/nonProduction';
import { isIssuedCredentialName, isLiteralSecretValue, isNotSecretValueFor } from '../../src/engine/rules/secretNames';

// Issue 15: the literal-secret rules on repositories nobody tuned on. Throw-away credentials of
// local, demo and lab environments (a local Compose stack, a Vagrant VM's playbook, a test
// inventory, a workshop's provisioner) are not leaks; values that are not secrets (format
// placeholders, hash scheme names, unrendered lookups, dummy API keys, seeds) are not reported;
// and one line is one finding across rules (meta.subsumes).

const SECRET_RULES = ['ansible/secret-plaintext', 'ansible/no-log-missing', 'compose/secret-literal', 'k8s/secret-literal', 'terraform/hardcoded-secret', 'compose/privileged'];

/** 1-based lines of the secret rules' findings (the info-level summaries of throw-away environments left out). */
function lines(res: Awaited<ReturnType<typeof lintFixture>>, rel: string, rule?: string): number[] {
  return findingsFor(res, rel, rule).filter((f) => SECRET_RULES.includes(f.ruleId) && f.severity !== 'info').map((f) => f.range.start.line + 1);
}

/** The info-level findings (one per throw-away file): `line rule`. */
function summaries(res: Awaited<ReturnType<typeof lintFixture>>, rel: string): string[] {
  return findingsFor(res, rel).filter((f) => SECRET_RULES.includes(f.ruleId) && f.severity === 'info').map((f) => `${f.range.start.line + 1} ${f.ruleId}`);
}

describe('issue 15: throw-away environments and non-secrets (secret rules)', function () {
  this.timeout(30000);

  it('reports the sample passwords of a test inventory and of a Vagrant VM project once per file (info), and keeps production ones', async () => {
    const res = await lintFixture(loadFixture('precision/throwaway-secrets'));
    assert.deepEqual(lines(res, 'inventory/group_vars/testing'), []);
    // One info finding for the file's sample values: one decision, not one per value.
    assert.deepEqual(summaries(res, 'inventory/group_vars/testing'), ['4 ansible/secret-plaintext']);
    assert.match(findingsFor(res, 'inventory/group_vars/testing')[0].message, /test, lab or demo environment.*2 literal secrets \(`db_password`, `mail_admin_password`\)/);
    // `changeme` deployed to every host is a weak password that works: reported.
    assert.deepEqual(lines(res, 'inventory/group_vars/all.yml', 'ansible/secret-plaintext'), [4, 5]);
    // A vars file that tells its reader to change its values is a starting point: `changeme` there says "set this".
    assert.deepEqual(lines(res, 'cloud/group_vars/all'), []);
    // Vagrant project: `root`, `admin`, `secret` and `--account-pass=admin` are the VM's; the
    // high-entropy issued token stays, and so does the templated password passed without no_log.
    assert.deepEqual(lines(res, 'local-vm/provisioning/playbook.yml', 'ansible/secret-plaintext'), [8]);
    assert.deepEqual(lines(res, 'local-vm/provisioning/playbook.yml', 'ansible/no-log-missing'), [26]);
    assert.deepEqual(summaries(res, 'local-vm/provisioning/playbook.yml'), ['5 ansible/secret-plaintext']);
    assert.match(findingsFor(res, 'local-vm/provisioning/playbook.yml', 'ansible/secret-plaintext')[0].message, /Vagrant VM.*4 literal secrets/);
  });

  it('reports a developer Compose stack (builds, publishes ports) once (info) and the swarm stack per value', async () => {
    const res = await lintFixture(loadFixture('precision/throwaway-secrets'));
    assert.deepEqual(lines(res, 'docker-compose.yml'), []);
    assert.deepEqual(summaries(res, 'docker-compose.yml'), ['7 compose/secret-literal']);
    assert.deepEqual(lines(res, 'docker-stack.yml', 'compose/secret-literal'), [9, 16]);
  });

  it('does not report values that are not secrets: %p, {CRYPT}, lookup..@TODO, a dummy API key, a placeholder sentence, {}', async () => {
    const res = await lintFixture(loadFixture('precision/throwaway-secrets'));
    assert.deepEqual(lines(res, 'roles/mail/defaults/main.yml'), []);
    // Only the chosen database password `changeme` of the Terraform file stays.
    assert.deepEqual(lines(res, 'terraform/main.tf', 'terraform/hardcoded-secret'), [24]);
    for (const v of ['%p', '%u:%p', '{CRYPT}', '{SSHA}', 'lookup..@TODO', '{}', '[]']) assert.equal(isLiteralSecretValue(v), false, v);
    for (const v of ['p%ssword', '{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', 'hunter2']) assert.equal(isLiteralSecretValue(v), true, v);
    assert.equal(isNotSecretValueFor('api_key', 'test'), true);
    assert.equal(isNotSecretValueFor('password', 'test'), false, 'a chosen password `test` works');
    assert.equal(isNotSecretValueFor('secret_string', 'Replace after build'), true);
    assert.equal(isIssuedCredentialName('github_api_token'), true);
    assert.equal(isIssuedCredentialName('db_password'), false);
    assert.equal(highEntropy('q8Zr2LmX0vT7pYw4Kd9sNf3B'), true);
    assert.equal(highEntropy('changeme-changeme-changeme'), false);
  });

  it('reports a plaintext secret passed to a task once (secret-plaintext), carrying the no_log fix', async () => {
    const res = await lintFixture(loadFixture('precision/throwaway-secrets'));
    const found = findingsFor(res, 'roles/app/tasks/main.yml').filter((f) => f.range.start.line === 2);
    assert.deepEqual(found.map((f) => f.ruleId), ['ansible/secret-plaintext']);
    assert.ok(found[0].fixes?.some((x) => /no_log/.test(x.title)), 'the no_log fix moves to the kept finding');
    // Alone, no-log-missing still reports the line.
    const alone = await lintFixture(loadFixture('precision/throwaway-secrets'), { rule: 'ansible/no-log-missing' });
    assert.deepEqual(findingsFor(alone, 'roles/app/tasks/main.yml', 'ansible/no-log-missing').map((f) => f.range.start.line + 1), [3]);
  });

  it('a suppressed plaintext finding does not hide the no_log finding of the same line', async () => {
    const files = loadFixture('precision/throwaway-secrets');
    files['roles/app/tasks/main.yml'] = files['roles/app/tasks/main.yml'].replace('  command: app-admin', '  # opsreview-disable-next-line ansible/secret-plaintext\n  command: app-admin');
    const res = await lintFixture(files);
    const rules = findingsFor(res, 'roles/app/tasks/main.yml').filter((f) => f.range.start.line === 3).map((f) => f.ruleId);
    assert.deepEqual(rules, ['ansible/no-log-missing']);
  });

  it("leaves a test fixture's TLS key pair alone, and reports the same Secret outside tests and a lone key in tests", async () => {
    const res = await lintFixture(loadFixture('precision/throwaway-secrets'));
    assert.deepEqual(lines(res, 'test/e2e/testdata/tls-secret.yaml'), []);
    assert.deepEqual(lines(res, 'deploy/tls-secret.yaml', 'k8s/secret-literal'), [6]);
    assert.deepEqual(lines(res, 'test/e2e/testdata/key-only.yaml', 'k8s/secret-literal'), [5]);
  });

  it('does not ask for no_log on the controller modules\' own masked auth arguments; a uri header still fires', async () => {
    const tasks = [
      '- name: Add the execution environment',
      '  ansible.controller.execution_environment:',
      '    name: lab ee',
      '    controller_username: admin',
      '    controller_password: "{{ admin_password }}"',
      '- name: Ask the API',
      '  ansible.builtin.uri:',
      '    url: https://controller.example.com/api/v2/ping/',
      '    headers:',
      '      Authorization: "Bearer {{ controller_token }}"',
      '',
    ].join('\n');
    const res = await lintFixture({ 'roles/controller/tasks/main.yml': tasks }, { rule: 'ansible/no-log-missing' });
    assert.deepEqual(findingsFor(res, 'roles/controller/tasks/main.yml', 'ansible/no-log-missing').map((f) => f.range.start.line + 1), [10]);
  });

  it('reports a privileged host agent (pid: host, host system mounts) mildly, with advice that fits, and one that touches nothing of the host as before', async () => {
    const res = await lintFixture(loadFixture('precision/throwaway-secrets'));
    assert.deepEqual(lines(res, 'ops/compose.yaml', 'compose/privileged'), [10]);
    // The agent: a milder finding whose advice fits it (the capabilities instead of every one).
    assert.deepEqual(summaries(res, 'ops/compose.yaml'), ['4 compose/privileged']);
  });

  it('in a repository that says it is a demo: lab vars and Compose stacks are throw-away, its Kubernetes Secret is still reported', async () => {
    const res = await lintFixture(loadFixture('precision/demo-repository'));
    assert.deepEqual(lines(res, 'provisioner/group_vars/all/main.yml'), []);
    assert.deepEqual(lines(res, 'docker-compose.monitoring.yml'), []);
    assert.deepEqual(summaries(res, 'docker-compose.monitoring.yml'), ['7 compose/secret-literal']);
    assert.deepEqual(lines(res, 'k8s/db-secret.yaml', 'k8s/secret-literal'), [6]);
    // A stack deployed to a swarm runs on shared hosts, whatever the repository is.
    assert.deepEqual(lines(res, 'docker-stack.yml', 'compose/secret-literal'), [9, 16]);
    // The same files in a repository that does not say so: reported.
    const files = loadFixture('precision/demo-repository');
    files['README.md'] = '# Widget Store\n\nThe store.\n';
    const prod = await lintFixture(files);
    assert.deepEqual(lines(prod, 'provisioner/group_vars/all/main.yml', 'ansible/secret-plaintext'), [3]);
    assert.deepEqual(lines(prod, 'docker-compose.monitoring.yml', 'compose/secret-literal'), [7]);
  });
});
