import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { defaultConfig } from '../../src/engine/config/schema';
import { nonProductionPath } from '../../src/engine/nonProduction';
import { lintFixture } from './helpers';

// Wave 2 (issue 15): vendored upstream code is not checked; dev harnesses are non-production, and
// an example Alertmanager config is not judged on paging; Ansible arguments a module masks itself
// need no `no_log`, and an example's sample password is not a leaked secret.

const rel = (root: string, p: string): string => path.relative(root, p).split(path.sep).join('/');

const PRIVILEGED_POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: driver',
  'spec:',
  '  containers:',
  '    - name: driver',
  '      image: registry.example.com/driver:1.2.3',
  '      securityContext:',
  '        privileged: true',
  '',
].join('\n');

describe('wave 2: vendored, hack/ and documentation folders', function () {
  this.timeout(30000);

  it('does not index vendor/ or third_party/ (not even for security rules) and says why; the same manifest of the repository is checked', async () => {
    const res = await lintFixture({
      'deploy/driver.yaml': PRIVILEGED_POD,
      'vendor/k8s.io/kubernetes/test/e2e/testing-manifests/driver.yaml': PRIVILEGED_POD,
      'third_party/addon/driver.yaml': PRIVILEGED_POD,
    });
    const files = res.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => rel(res.root, f.path));
    assert.deepEqual(files, ['deploy/driver.yaml']);
    const skipped = res.engine.index.skipped.map((s) => [s.relPath, s.code, /vendored upstream code/.test(s.reason)]);
    assert.deepEqual(skipped, [
      ['third_party', 'built-in', true],
      ['vendor', 'built-in', true],
    ]);
    res.dispose();
    // An `include` glob that names the folder brings it back.
    const named = await lintFixture({ 'vendor/addon/driver.yaml': PRIVILEGED_POD }, { config: { include: ['vendor/**'] } });
    assert.deepEqual(named.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => rel(named.root, f.path)), ['vendor/addon/driver.yaml']);
    named.dispose();
  });

  it('takes hack/ (development harnesses) as non-production', () => {
    const config = defaultConfig();
    assert.equal(nonProductionPath('hack/libvirt/playbooks/prep.yml', config), true);
    assert.equal(nonProductionPath('deploy/alertmanager.yaml', config), false);
    assert.equal(nonProductionPath('hacking/notes.yml', config), false);
  });

  it('takes archived material (archive/, archived/, .archive/) as non-production, not an archiver role', () => {
    const config = defaultConfig();
    assert.equal(nonProductionPath('docs/runbooks/archive/old-failover.md', config), true);
    assert.equal(nonProductionPath('.archive/teardown/main.tf', config), true);
    assert.equal(nonProductionPath('ops/archived/deploy.yml', config), true);
    assert.equal(nonProductionPath('roles/log-archiver/tasks/main.yml', config), false);
    assert.equal(nonProductionPath('runbooks/archive-logs.md', config), false);
  });

  it('skips production-only rules in hack/ playbooks and the paging rules on an Alertmanager example, and still reports them elsewhere', async () => {
    const playbook = ['- name: Prepare nodes', '  hosts: nodes', '  tasks:', '    - name: Start docker', '      command: systemctl start docker', ''].join('\n');
    const am = ['route:', '  receiver: team', 'receivers:', '  - name: team', '    slack_configs:', '      - channel: "#ops"', '        api_url: https://hooks.slack.example.com/x', ''].join('\n');
    const res = await lintFixture({
      'hack/dev/prep.yml': playbook,
      'playbooks/prep.yml': playbook,
      'examples/user-guide/step-1/alertmanager.yaml': am,
      'alertmanager/alertmanager.yml': am,
    });
    const got = (rule: string): string[] => res.findings.filter((f) => f.ruleId === rule).map((f) => rel(res.root, f.path)).sort();
    assert.deepEqual(got('ansible/changed-when-missing'), ['playbooks/prep.yml']);
    assert.deepEqual(got('alertmanager/grouping-missing'), ['alertmanager/alertmanager.yml']);
    res.dispose();
  });
});

describe('wave 2: ansible/no-log-missing and arguments the module masks itself', function () {
  this.timeout(30000);
  const tasks = [
    '- name: Create the application database user',
    '  community.postgresql.postgresql_user:',
    '    name: app',
    '    password: "{{ app_db_password }}"',
    '    login_password: "{{ postgres_admin_password }}"',
    '- name: Create a droplet',
    '  digital_ocean_droplet:',
    '    name: web',
    '    oauth_token: "{{ do_token }}"',
    '- name: Delete the server',
    '  hetzner.hcloud.server:',
    '    name: web',
    '    state: absent',
    '    api_token: "{{ hcloud_token }}"',
    '- name: Create users in a loop',
    '  mysql_user:',
    '    name: "{{ item.name }}"',
    '    password: "{{ item.password }}"',
    '  loop: "{{ db_users }}"',
    '- name: Set the password by hand',
    '  shell: mysql -u root --password="{{ mysql_root_password }}" -e "SELECT 1"',
    '- name: Call the API',
    '  uri:',
    '    url: https://api.example.com/login',
    '    method: POST',
    '    body_format: json',
    '    body:',
    '      password: "{{ api_password }}"',
    '',
  ].join('\n');

  it('does not ask for no_log on a masked argument; a loop, a command line and a uri body still fire', async () => {
    const res = await lintFixture({ 'roles/db/tasks/main.yml': tasks, 'site.yml': '- hosts: db\n  roles:\n    - db\n' }, { rule: 'ansible/no-log-missing' });
    const lines = res.findings.filter((f) => f.ruleId === 'ansible/no-log-missing').map((f) => f.range.start.line).sort((a, b) => a - b);
    // mysql_user in a loop (line 17), the shell command line (20), the uri body (27).
    assert.deepEqual(lines, [17, 20, 27]);
    res.dispose();
  });
});

describe('wave 2: ansible/secret-plaintext off production', function () {
  this.timeout(30000);
  it('reports only credential-shaped values in an example inventory, and every plaintext secret elsewhere', async () => {
    const vars = ['app_deploy_token: "xxxxxxxxxxxx"', 'app_db_password: "s3cr3t-Passw0rd"', 'app_github_token: "ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"', ''].join('\n');
    const res = await lintFixture({ 'docs/role/examples/inventory/host_vars/web.yml': vars, 'inventory/host_vars/web.yml': vars }, { rule: 'ansible/secret-plaintext' });
    const got = res.findings.map((f) => `${rel(res.root, f.path)}:${f.range.start.line}`).sort();
    // (`xxxxxxxxxxxx` under a token's name is a placeholder anywhere: no provider issues that token.)
    assert.deepEqual(got, ['docs/role/examples/inventory/host_vars/web.yml:2', 'inventory/host_vars/web.yml:1', 'inventory/host_vars/web.yml:2']);
    res.dispose();
  });
});
