import * as assert from 'node:assert/strict';
import { classifyWithReason } from '../../src/engine/classify';
import { defaultConfig } from '../../src/engine/config/schema';
import { loadFixture } from './fixtureFiles';
import { lintFixture } from './helpers';

// Issue 15, round 3 held-out half (r3-docs): classes of noise found there, each with a look-alike.

describe('r3-docs: files written for coding assistants are not runbooks', () => {
  it('indexes none of the agents, prompts, skills, rules and instructions, and says why; the same text under docs/runbooks is a runbook', async () => {
    const files = loadFixture('assistant-files');
    const res = await lintFixture(files);
    const kinds = Object.fromEntries([...res.engine.index.files()].map((f) => [f.relPath, f.kind]));
    assert.deepEqual(Object.keys(kinds).sort(), ['docs/runbooks/skill/SKILL.md', 'docs/runbooks/terraform-upgrade.md']);
    assert.ok(res.findings.some((f) => f.path.endsWith('docs/runbooks/terraform-upgrade.md') && f.ruleId === 'runbook/placeholder'));
    assert.deepEqual(res.findings.filter((f) => !f.path.includes('/docs/runbooks/')).map((f) => `${f.path} ${f.ruleId}`), []);
    const hints = { linked: new Map<string, string>(), alertNames: new Map<string, string>(), shape: true };
    for (const p of Object.keys(files).filter((p) => !p.startsWith('docs/'))) {
      const c = classifyWithReason(p, files[p], defaultConfig(), hints);
      assert.equal(c.code, 'assistant-file', p);
      assert.match(c.reason, /coding assistant/, p);
    }
  });
});

describe('r3-docs: a repository (or folder) that declares itself teaching material', () => {
  const play = [
    '- hosts: webservers',
    '  tasks:',
    '    - name: Install nginx',
    '      ansible.builtin.apt:',
    '        name: nginx',
    '        state: latest',
    '    - name: Show the environment',
    '      ansible.builtin.shell: echo $HI',
    '      ignore_errors: true',
    '    - ansible.builtin.debug:',
    '        msg: hello',
    '    - name: Call the API',
    '      ansible.builtin.uri:',
    '        url: https://api.example.com',
    '        headers:',
    '          Authorization: "Bearer ghp_abcdefghijklmnopqrstuvwxyz0123456789AB"',
    '',
  ].join('\n');
  const production = ['ansible/changed-when-missing', 'ansible/ignore-errors', 'ansible/name-missing', 'ansible/package-latest'];
  const rulesOf = (res: { findings: { path: string; ruleId: string }[] }, file: string) => [...new Set(res.findings.filter((f) => f.path.endsWith(file)).map((f) => f.ruleId))].sort();

  it('runs no production-only rule there (title or first paragraph), security rules still run', async () => {
    for (const readme of [
      'Ansible Examples\n----------------\n\nThis repository contains examples and best practices for building Ansible playbooks.\n',
      '# Kubernetes Workshop\n\nHands-on labs.\n',
      '<img src="logo.png">\n\n# acme-tools\n\nThis repository contains a collection of example playbooks for the course.\n',
    ]) {
      const res = await lintFixture({ 'README.md': readme, 'web/site.yml': play });
      const got = rulesOf(res, 'web/site.yml');
      assert.deepEqual(got.filter((r) => production.includes(r)), [], readme);
      assert.ok(got.includes('ansible/secret-plaintext'), `${readme}: ${got.join(', ')}`);
    }
    // A folder of the repository that declares itself examples.
    const res = await lintFixture({ 'README.md': '# acme-infra\n\nPlaybooks for the acme fleet.\n', 'examples-of-roles/README.md': '# Playbook examples\n', 'examples-of-roles/site.yml': play, 'web/site.yml': play });
    assert.deepEqual(rulesOf(res, 'examples-of-roles/site.yml').filter((r) => production.includes(r)), []);
    assert.deepEqual(rulesOf(res, 'web/site.yml').filter((r) => production.includes(r)), production);
  });

  it('but not where the README mentions an example in passing', async () => {
    for (const readme of [
      '# acme-infra\n\nPlaybooks for the acme fleet. See the example below for running one.\n\n## Example\n\n```\nansible-playbook site.yml\n```\n',
      '# Example usage of the acme roles\n\nRun them against the fleet.\n',
      '# Grafana Labs infrastructure\n\nOur production playbooks.\n',
      '# acme-infra\n\nThe fleet\'s playbooks.\n\nThis repository contains examples in the docs folder.\n',
    ]) {
      const res = await lintFixture({ 'README.md': readme, 'web/site.yml': play });
      assert.deepEqual(rulesOf(res, 'web/site.yml').filter((r) => production.includes(r)), production, readme);
    }
  });
});

describe('r3-docs: runbook/rollback-missing and incident-response containment', () => {
  const rb = (body: string) => lintFixture({ 'runbooks/ir.md': body }, { rule: 'runbook/rollback-missing' });
  const contain = [
    '# Compromised access key',
    '',
    '## Detect',
    '',
    '```sh',
    'aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=<key-id>',
    '```',
    '',
    '## Contain the incident',
    '',
    '### Deactivate the compromised key',
    '',
    '```sh',
    'aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive',
    '```',
    '',
  ].join('\n');
  const change = ['## Harden the bucket', '', '```sh', 'aws s3api put-bucket-policy --bucket <bucket> --policy file://policy.json', '```', ''].join('\n');

  it('does not ask to roll back containment steps; a recovery phase is the way back from the emergency measures', async () => {
    assert.deepEqual((await rb(contain)).findings, []);
    // Another change outside containment, with a recovery phase that lifts the measures.
    assert.deepEqual((await rb(`${contain}${change}\n## Re-enable access\n\nOnce the keys are rotated.\n`)).findings, []);
  });

  it('still fires on a change outside containment with no recovery phase or rollback', async () => {
    const res = await rb(`${contain}${change}`);
    assert.equal(res.findings.length, 1);
    assert.match(res.findings[0].message, /put-bucket-policy/);
  });

  it('bringing a down interface back up has nothing to roll back; taking one down still does', async () => {
    const page = (cmd: string) => `# Interface down\n\n## Mitigation\n\n\`\`\`sh\n${cmd}\n\`\`\`\n`;
    assert.deepEqual((await rb(page('ip link set eth1 up'))).findings, []);
    assert.equal((await rb(page('ip link set eth1 down'))).findings.length, 1);
  });
});
