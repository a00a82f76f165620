import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadFixture } from './fixtureFiles';
import { applyFix, findingsFor, FixtureResult, lintFixture, rangeOf } from './helpers';

function ansibleSummary(res: FixtureResult): string[] {
  return res.findings
    .filter((f) => f.ruleId.startsWith('ansible/'))
    .map((f) => `${path.posix.relative(res.engine.index.root, f.path)} ${f.ruleId} ${rangeOf(f).join(',')}`)
    .sort();
}

/** ansible/rollback-missing and serial-missing are in the `all` profile: these fixtures turn them on by naming them. */
const ROLLBACK_ON = { rules: { 'ansible/rollback-missing': 'warning', 'ansible/serial-missing': 'info' } };

describe('ansible rules', () => {
  it('leaves ansible/rollback-missing off under the default profile, on when .opsreview.yml names it or says `profile: all`', async () => {
    // lintFixture runs every rule unless told: `recommended` is the default a repository gets.
    const off = await lintFixture(loadFixture('ansible'), { profile: 'recommended' });
    assert.deepEqual(off.findings.filter((f) => f.ruleId === 'ansible/rollback-missing'), []);
    for (const config of [{ ...ROLLBACK_ON, profile: 'recommended' }, { profile: 'all' }]) {
      const on = await lintFixture(loadFixture('ansible'), { config });
      assert.deepEqual(on.findings.filter((f) => f.ruleId === 'ansible/rollback-missing').map((f) => path.posix.relative(on.engine.index.root, f.path)).sort(), ['adhoc.yml', 'site.yml']);
      on.dispose();
    }
    off.dispose();
  });

  describe('on a role-based repository (test/fixtures/ansible)', () => {
    it('reports exactly the expected findings at exact ranges', async () => {
      const res = await lintFixture(loadFixture('ansible'), { config: ROLLBACK_ON });
      const got = res.findings
        .filter((f) => f.ruleId.startsWith('ansible/'))
        .map((f) => `${path.posix.relative(res.engine.index.root, f.path)} ${f.ruleId} ${rangeOf(f).join(',')}`)
        .sort();
      assert.deepEqual(got, [
        'adhoc.yml ansible/changed-when-missing 6,6,6,11',
        'adhoc.yml ansible/name-missing 1,2,1,7',
        'adhoc.yml ansible/package-latest 4,27,4,33',
        'adhoc.yml ansible/rollback-missing 1,2,1,7',
        'group_vars/all.yml ansible/secret-plaintext 12,12,12,31',
        'group_vars/all.yml ansible/secret-plaintext 9,22,9,42',
        'roles/web/tasks/main.yml ansible/changed-when-missing 26,2,26,23',
        'roles/web/tasks/main.yml ansible/ignore-errors 27,2,27,20',
        'roles/web/tasks/main.yml ansible/name-missing 34,2,34,25',
        'roles/web/tasks/main.yml ansible/package-latest 4,11,4,17',
        'site.yml ansible/rollback-missing 1,2,1,6',
        'site.yml ansible/serial-missing 2,2,2,19',
      ]);
    });

    it('says what the play changes and how to add the rollback path', async () => {
      const res = await lintFixture(loadFixture('ansible'), { rule: 'ansible/rollback-missing', config: ROLLBACK_ON });
      const [f] = findingsFor(res, 'site.yml');
      assert.match(f.message, /Deploy web tier/);
      assert.match(f.message, /ansible\.builtin\.apt/); // found in the role's tasks through the index
      assert.match(f.message, /rescue/);
      const [s] = findingsFor((await lintFixture(loadFixture('ansible'), { rule: 'ansible/serial-missing' })), 'site.yml');
      assert.match(s.message, /a service restart \(ansible\.builtin\.service state: restarted\)/);
      assert.match(s.message, /webservers/);
    });

    it('accepts !vault values, vault references, paths, names and empty strings', async () => {
      const res = await lintFixture(loadFixture('ansible'), { rule: 'ansible/secret-plaintext' });
      assert.equal(findingsFor(res, 'roles/web/defaults/main.yml').length, 0);
      assert.equal(findingsFor(res, 'inventory/hosts.yml').length, 0);
      const msgs = findingsFor(res, 'group_vars/all.yml').map((f) => f.message);
      assert.ok(msgs.some((m) => m.includes("'monitoring_api_token'") && m.includes('ansible-vault')));
      assert.ok(!msgs.some((m) => m.includes('vault_db_password')));
    });
  });

  describe('on the standard Ansible layout (test/fixtures/ansible-layout)', () => {
    it('reads extension-less group_vars/host_vars, INI inventories, indented playbooks and included task files outside roles/', async () => {
      const res = await lintFixture(loadFixture('ansible-layout'), { config: ROLLBACK_ON });
      assert.deepEqual(ansibleSummary(res), [
        'group_vars/all ansible/secret-plaintext 4,12,4,33',
        'group_vars/dbservers ansible/secret-plaintext 2,11,2,14',
        'host_vars/db1.example.com ansible/secret-plaintext 1,21,1,29',
        'hosts ansible/secret-plaintext 1,56,1,67',
        'hosts ansible/secret-plaintext 5,19,5,27',
        'packages.yml ansible/rollback-missing 0,2,0,6',
        'provision.yml ansible/no-log-missing 10,8,10,18',
        'provision.yml ansible/rollback-missing 0,2,0,6',
        'site.yml ansible/changed-when-missing 15,8,15,11',
        'site.yml ansible/changed-when-missing 25,8,25,31',
        // 'site.yml 9,8' is an unnamed `import_tasks:`: a static import never shows in the run output.
        'site.yml ansible/rollback-missing 2,4,2,8',
        'site.yml ansible/secret-plaintext 7,16,7,21',
        'tasks/db.yml ansible/changed-when-missing 17,2,17,23',
        'tasks/db.yml ansible/changed-when-missing 20,2,20,25',
        // mysql_user's and user's `password` are masked by the modules' own argument specs (maskedArgs.ts).
        // Lines 20 and 28 pass a plaintext password: one finding, secret-plaintext's (meta.subsumes).
        'tasks/db.yml ansible/no-log-missing 17,71,17,73',
        'tasks/db.yml ansible/secret-plaintext 1,32,1,37',
        'tasks/db.yml ansible/secret-plaintext 13,31,13,39',
        'tasks/db.yml ansible/secret-plaintext 20,43,20,53',
        'tasks/db.yml ansible/secret-plaintext 25,14,25,64',
        'tasks/db.yml ansible/secret-plaintext 28,59,28,67',
        'tasks/db.yml ansible/secret-plaintext 6,14,6,23',
        'vars/app.yml ansible/secret-plaintext 4,7,4,37',
        'vars/app.yml ansible/secret-plaintext 5,8,5,38',
        'vars/app.yml ansible/secret-plaintext 8,12,8,18',
      ]);
      const kinds = Object.fromEntries([...res.engine.index.files()].map((f) => [f.relPath, f.kind]));
      assert.equal(kinds['group_vars/all'], 'ansible-vars');
      assert.equal(kinds['host_vars/db1.example.com'], 'ansible-vars');
      assert.equal(kinds['site.yml'], 'ansible-playbook');
      assert.equal(kinds['tasks/db.yml'], 'ansible-tasks');
      assert.equal(kinds['vars/app.yml'], 'ansible-vars'); // through vars_files
      // An encrypted vars file is not YAML; a task file nothing includes is not known to be one.
      assert.equal(kinds['group_vars/web/vault'], undefined);
      assert.equal(kinds['tasks/unused.yml'], undefined);
    });

    it('says what kind of secret it found, and where', async () => {
      const res = await lintFixture(loadFixture('ansible-layout'), { config: ROLLBACK_ON });
      const plain = findingsFor(res, 'tasks/db.yml', 'ansible/secret-plaintext');
      assert.match(plain.find((f) => f.range.start.line === 25)!.message, /password hash \(\$6\$…\).*vault/);
      assert.equal(plain.find((f) => f.range.start.line === 25)!.severity, 'warning');
      assert.match(plain.find((f) => f.range.start.line === 20)!.message, /command line passes a plaintext secret with '-p'/);
      assert.match(plain.find((f) => f.range.start.line === 28)!.message, /plaintext password in a URL/);
      // Values under a secret's name are secrets whatever their keys; the map's user name and TTL are not.
      assert.deepEqual(findingsFor(res, 'vars/app.yml').map((f) => f.message.split("'")[1]), ['app_secrets.dev', 'app_secrets.prod', 'password']);
      const noLog = findingsFor(res, 'tasks/db.yml', 'ansible/no-log-missing').map((f) => f.message);
      assert.ok(noLog.some((m) => /ansible\.builtin\.shell passes a secret on its command line \('-p'\)/.test(m)));
      // The folded `>` value: the finding sits on `secret_key=` (the secret, not the access key id), one line, not on the `>`.
      const [folded] = findingsFor(res, 'provision.yml', 'ansible/no-log-missing');
      assert.match(folded.message, /'secret_key'/);
      assert.equal(folded.range.start.line, folded.range.end.line);
    });

    it('prints a templated module as its template and leaves read-only plays and custom localhost modules alone', async () => {
      const res = await lintFixture(loadFixture('ansible-layout'), { rule: 'ansible/rollback-missing', config: ROLLBACK_ON });
      assert.match(findingsFor(res, 'packages.yml')[0].message, /changes hosts \(\{\{ packager \}\}\)/);
      assert.deepEqual(findingsFor(res, 'localhost.yml'), []);
      // 'Diagnostics' (raw: ipconfig, debug, uri GET, package_facts, cat) changes nothing; 'Database' changes through its included task file.
      assert.deepEqual(findingsFor(res, 'site.yml').map((f) => f.message.slice(0, 16)), ["Play 'Database' "]);
      assert.match(findingsFor(res, 'site.yml')[0].message, /mysql_user/);
    });

    it('starts and stops linting a task file as the include of it comes and goes', async () => {
      const res = await lintFixture({
        'site.yml': '- name: Web\n  hosts: web\n  tasks:\n    - name: Setup\n      ansible.builtin.debug: msg=hi\n',
        'steps/setup.yml': '- name: Create user\n  mysql_user: name=app password=12345\n',
      });
      const root = res.engine.index.root;
      assert.equal(res.engine.index.get('steps/setup.yml'), undefined);
      const withInclude = '- name: Web\n  hosts: web\n  tasks:\n    - name: Setup\n      ansible.builtin.include_tasks: steps/setup.yml\n';
      writeFileSync(path.join(root, 'site.yml'), withInclude);
      const added = await res.engine.update(path.join(root, 'site.yml'));
      assert.equal(res.engine.index.get('steps/setup.yml')?.kind, 'ansible-tasks');
      assert.ok(added.updated.some((f) => f.relPath === 'steps/setup.yml'));
      writeFileSync(path.join(root, 'site.yml'), '- name: Web\n  hosts: web\n  tasks: []\n');
      await res.engine.update(path.join(root, 'site.yml'));
      assert.equal(res.engine.index.get('steps/setup.yml'), undefined);
      rmSync(path.join(root, 'steps'), { recursive: true });
    });
  });

  describe('ansible/rollback-missing', () => {
    it('offers to wrap the tasks in block/rescue, re-indented', async () => {
      const text = [
        '- name: Deploy api',
        '  hosts: api',
        '  tasks:',
        '    - name: Copy release',
        '      ansible.builtin.copy:',
        '        src: app.tar.gz',
        '        dest: /opt/app/',
        '',
        '    - name: Run script',
        '      ansible.builtin.shell: |',
        '        set -e',
        '        /opt/app/install.sh',
        '      changed_when: true',
        '',
        '- name: Second',
        '  hosts: api',
        '  tasks: []',
        '',
      ].join('\n');
      const res = await lintFixture({ 'deploy.yml': text }, { rule: 'ansible/rollback-missing', config: ROLLBACK_ON });
      const fs = findingsFor(res, 'deploy.yml');
      assert.equal(fs.length, 1);
      assert.deepEqual(rangeOf(fs[0]), [0, 2, 0, 6]);
      const fixed = applyFix(text, fs[0].fixes![0]);
      assert.equal(
        fixed,
        [
          '- name: Deploy api',
          '  hosts: api',
          '  tasks:',
          '    - name: Deploy api (rolls back on failure)',
          '      block:',
          '        - name: Copy release',
          '          ansible.builtin.copy:',
          '            src: app.tar.gz',
          '            dest: /opt/app/',
          '',
          '        - name: Run script',
          '          ansible.builtin.shell: |',
          '            set -e',
          '            /opt/app/install.sh',
          '          changed_when: true',
          '      rescue:',
          '        - name: Roll back (put the rollback steps here)',
          '          ansible.builtin.fail:',
          '            msg: "Deploy failed on {{ inventory_hostname }}. TODO: add rollback steps to this rescue section before this task."',
          '',
          '- name: Second',
          '  hosts: api',
          '  tasks: []',
          '',
        ].join('\n'),
      );
      // The fixed playbook is clean for the rule.
      const again = await lintFixture({ 'deploy.yml': fixed }, { rule: 'ansible/rollback-missing', config: ROLLBACK_ON });
      assert.equal(findingsFor(again, 'deploy.yml').length, 0);
    });

    it('is silent for read-only plays, plays with rescue or always, and rescue in nested blocks', async () => {
      const res = await lintFixture(
        {
          'check.yml': '- name: Check\n  hosts: all\n  tasks:\n    - name: Ping\n      ansible.builtin.ping:\n    - name: Read\n      ansible.builtin.command: uptime\n      changed_when: false\n',
          'always.yml':
            '- name: Maint\n  hosts: all\n  tasks:\n    - name: Outer\n      block:\n        - name: Inner\n          block:\n            - name: Stop\n              service: name=app state=stopped\n          always:\n            - name: Start\n              service: name=app state=started\n',
        },
        { rule: 'ansible/rollback-missing', config: ROLLBACK_ON },
      );
      assert.deepEqual(res.findings, []);
    });
    it('counts writing requests and writing commands as changes, not *_info modules, GET requests, reads, /tmp scratch files or CloudFormation', async () => {
      const play = (task: string) => `- name: P\n  hosts: all\n  tasks:\n${task}`;
      const res = await lintFixture(
        {
          'get.yml': play('    - name: Health\n      ansible.builtin.uri:\n        url: http://x/health\n    - name: Info\n      amazon.aws.ec2_instance_info:\n    - name: Hostname\n      ansible.builtin.shell: hostname && uptime | tail -1\n    - name: Services\n      ansible.windows.win_shell: Get-Service | Format-Table\n    - name: Scratch\n      ansible.builtin.shell: echo probe >> /tmp/probe.log\n'),
          'cfn.yml': play('    - name: Stack\n      amazon.aws.cloudformation:\n        stack_name: shop\n        template: stack.yml\n'),
          'post.yml': play('    - name: Register\n      ansible.builtin.uri:\n        url: http://x/register\n        method: POST\n'),
          'write.yml': play('    - name: Write\n      ansible.builtin.shell: echo 1 > /proc/sys/net/ipv4/ip_forward\n'),
        },
        { rule: 'ansible/rollback-missing', config: ROLLBACK_ON },
      );
      assert.deepEqual(findingsFor(res, 'get.yml'), []);
      assert.deepEqual(findingsFor(res, 'cfn.yml'), []); // CloudFormation rolls a failed stack back itself
      assert.equal(findingsFor(res, 'post.yml').length, 1);
      assert.equal(findingsFor(res, 'write.yml').length, 1);
    });
  });

  describe('ansible/ignore-errors', () => {
    it('accepts a best-effort removal (a task or a block that only deletes), not a change that installs or restarts', async () => {
      const text = [
        '- name: Remove the lab instances',
        '  amazon.aws.ec2_instance:',
        '    instance_ids: "{{ ids }}"',
        '    state: absent',
        '  ignore_errors: true',
        '- name: Disable the container-tools stream',
        '  ansible.builtin.command: dnf module disable container-tools -y',
        '  ignore_errors: true',
        '- when: cleanup',
        '  block:',
        '    - name: Delete the role',
        '      community.aws.iam_role: { name: lab, state: absent }',
        '    - name: Delete the scratch data',
        '      ansible.builtin.shell: rm -rf /srv/scratch && kubectl delete ns lab',
        '  ignore_errors: true',
        '- name: Install the agent',
        '  ansible.builtin.command: /opt/agent/install.sh',
        '  ignore_errors: true',
        '- block:',
        '    - name: Delete the old release',
        '      ansible.builtin.file: { path: /srv/old, state: absent }',
        '    - name: Restart',
        '      ansible.builtin.service: { name: app, state: restarted }',
        '  ignore_errors: true',
        '',
      ].join('\n');
      const res = await lintFixture({ 'roles/lab/tasks/teardown.yml': text }, { rule: 'ansible/ignore-errors' });
      assert.deepEqual(res.findings.map((f) => f.range.start.line), [17, 23]);
    });

    it('accepts an ignore_errors whose comment says why, not one with a tool directive or no comment', async () => {
      const task = (n: number, line: string, above = '') => `- name: T${n}\n  ansible.builtin.command: /usr/bin/cleanup\n${above ? `  ${above}\n` : ''}  ${line}\n`;
      const text = [
        task(0, 'ignore_errors: true  # Required for testing local development'),
        task(1, 'ignore_errors: true', '# Best effort: the VM may already be gone'),
        task(2, 'ignore_errors: true'),
        task(3, 'ignore_errors: true  # noqa ignore-errors'),
        task(4, 'ignore_errors: yes', '# opsreview-disable-next-line ansible/rollback-missing'),
      ].join('');
      const res = await lintFixture({ 'roles/x/tasks/main.yml': text }, { rule: 'ansible/ignore-errors' });
      // T3's `# noqa ignore-errors` is ansible-lint's own suppression of the same check: the
      // engine honours it (suppression.ts), so T3 is not reported, though a directive is no reason.
      assert.deepEqual(res.findings.map((f) => text.split('\n')[f.range.start.line - 2]), ['- name: T2', '  ansible.builtin.command: /usr/bin/cleanup']);
      assert.equal(res.findings.length, 2);
    });
  });

  describe('ansible/serial-missing', () => {
    it('flags a restart on a group and adds serial: 1 under hosts', async () => {
      const text = '- name: Restart api\n  hosts: api_servers\n  tasks:\n    - name: Restart\n      ansible.builtin.systemd:\n        name: api\n        state: restarted\n';
      const res = await lintFixture({ 'restart.yml': text }, { rule: 'ansible/serial-missing' });
      const [f] = findingsFor(res, 'restart.yml');
      assert.deepEqual(rangeOf(f), [1, 2, 1, 20]);
      assert.equal(applyFix(text, f.fixes![0]), text.replace('  hosts: api_servers\n', '  hosts: api_servers\n  serial: 1\n'));
    });

    it('is silent with serial, max_fail_percentage, on localhost, or without restarts', async () => {
      const task = '  tasks:\n    - name: Restart\n      service:\n        name: api\n        state: restarted\n';
      const res = await lintFixture(
        {
          'a.yml': `- name: A\n  hosts: api\n  serial: "25%"\n${task}`,
          'b.yml': `- name: B\n  hosts: api\n  max_fail_percentage: 10\n${task}`,
          'c.yml': `- name: C\n  hosts: localhost\n${task}`,
          'd.yml': '- name: D\n  hosts: api\n  tasks:\n    - name: Facts\n      ansible.builtin.setup:\n',
        },
        { rule: 'ansible/serial-missing' },
      );
      assert.deepEqual(res.findings, []);
    });

    const role = (tasks: string, handlers: string) => ({ 'roles/app/tasks/main.yml': tasks, 'roles/app/handlers/main.yml': handlers });
    const restartHandler = '- name: Restart app\n  ansible.builtin.service:\n    name: app\n    state: restarted\n';
    const install = '- name: Install the runtime\n  ansible.builtin.apt:\n    name: openjdk-17-jre\n    state: present\n';

    it('leaves out provisioning: packages installed, handlers restarting after the first configuration, a tarball unpacked', async () => {
      const tasks = `${install}- name: Unpack the server\n  ansible.builtin.unarchive:\n    src: /opt/app.tgz\n    dest: /srv\n- name: Configure\n  ansible.builtin.template:\n    src: app.conf.j2\n    dest: /etc/app.conf\n  notify: Restart app\n- name: Start\n  ansible.builtin.service:\n    name: app\n    state: started\n- name: Stop the firewall\n  ansible.builtin.service:\n    name: ufw\n    state: stopped\n`;
      const res = await lintFixture({ 'site.yml': '- name: Set up app servers\n  hosts: app\n  roles: [app]\n', ...role(tasks, restartHandler) }, { rule: 'ansible/serial-missing' });
      assert.deepEqual(res.findings, []);
    });

    it('still reports a provisioning play that restarts as a task, or whose release switch notifies a restart', async () => {
      const explicit = `${install}- name: Restart now\n  ansible.builtin.service:\n    name: app\n    state: reloaded\n`;
      const release = `${install}- name: Unpack the release\n  ansible.builtin.unarchive:\n    src: "https://example.com/app-{{ app_version }}.tgz"\n    dest: /srv/releases\n    remote_src: true\n- name: Switch current\n  ansible.builtin.file:\n    src: /srv/releases/app\n    dest: /srv/current\n    state: link\n  notify: Restart app\n`;
      const play = '- name: Deploy\n  hosts: app\n  roles: [app]\n';
      const a = await lintFixture({ 'site.yml': play, ...role(explicit, restartHandler) }, { rule: 'ansible/serial-missing' });
      assert.match(findingsFor(a, 'site.yml')[0]?.message ?? '', /service reload/);
      const b = await lintFixture({ 'site.yml': play, ...role(release, restartHandler) }, { rule: 'ansible/serial-missing' });
      assert.match(findingsFor(b, 'site.yml')[0]?.message ?? '', /deploy \(ansible\.builtin\.unarchive\) and a service restart/);
    });

    it('leaves out hosts another play of the project rolls with serial, single machines (by name or inventory) and molecule scenarios', async () => {
      const deploy = '  tasks:\n    - name: Deploy\n      ansible.builtin.git:\n        repo: https://example.com/app.git\n        dest: /srv/app\n';
      const res = await lintFixture(
        {
          'lamp/site.yml': `- name: Web\n  hosts: webservers\n${deploy}- name: Db\n  hosts: dbservers\n${deploy}`,
          'lamp/rolling_update.yml': `- name: Rolling update\n  hosts: webservers\n  serial: 1\n${deploy}`,
          'one.yml': `- name: One\n  hosts: db1.example.com\n${deploy}`,
          'molecule/default/converge.yml': `- name: Converge\n  hosts: all\n${deploy}`,
          'other/site.yml': `- name: Elsewhere\n  hosts: webservers\n${deploy}`,
          'solo/hosts': '[app]\n# the one server\nhost.example.net\n\n[app:vars]\nansible_user=deploy\n',
          'solo/site.yml': `- name: Solo\n  hosts: all\n${deploy}`,
          'pair/hosts': '[app]\nweb1.example.net\nweb2.example.net\n',
          'pair/site.yml': `- name: Pair\n  hosts: app\n${deploy}`,
        },
        { rule: 'ansible/serial-missing' },
      );
      assert.deepEqual(res.findings.map((f) => `${path.posix.relative(res.engine.index.root, f.path)}:${f.range.start.line}`).sort(), ['lamp/site.yml:8', 'other/site.yml:1', 'pair/site.yml:1']);
    });

    it('leaves out one-host patterns (group[0], localhost, 127.0.0.1, a variable named for one host) and reports groups, slices, lists and plural variables', async () => {
      const restart = '  tasks:\n    - name: Restart\n      ansible.builtin.service:\n        name: api\n        state: restarted\n';
      const play = (hosts: string) => `- name: P\n  hosts: ${hosts}\n${restart}`;
      const quiet = ['dbservers[0]', 'web[-1]', '"{{ groups[\'db\'][0] }}"', '"{{ groups.db | first }}"', 'localhost', '127.0.0.1', '"{{ target_host }}"', '"{{ db_node | default(\'db1\') }}"', '"{{ inventory_hostname }}"'];
      const loud = ['dbservers', 'web[0:2]', '"{{ target_hosts }}"', '"{{ servers }}"', '"{{ target }}"', 'web:&staging', '[mons, osds]'];
      // Two batched plays: the repository rolls out with serial, so each other play is reported.
      const files: Record<string, string> = { 'batched0.yml': play('api\n  serial: 1'), 'batched1.yml': play('workers\n  serial: "25%"') };
      quiet.forEach((h, i) => (files[`quiet${i}.yml`] = play(h)));
      loud.forEach((h, i) => (files[`loud${i}.yml`] = play(h)));
      const res = await lintFixture(files, { rule: 'ansible/serial-missing' });
      assert.deepEqual(res.findings.map((f) => path.posix.basename(f.path)).sort(), loud.map((_, i) => `loud${i}.yml`));
    });

    it('reports once at repository level when no play batches its rollout, and leaves out groups the playbook builds with add_host', async () => {
      const restart = '  tasks:\n    - name: Restart\n      ansible.builtin.service:\n        name: api\n        state: restarted\n';
      const play = (name: string, hosts: string) => `- name: ${name}\n  hosts: ${hosts}\n${restart}`;
      const lab = { 'provision/web.yml': play('Web', 'web'), 'provision/db.yml': play('Db', 'db'), 'provision/cache.yml': play('Cache', 'cache') };
      const none = await lintFixture(lab, { rule: 'ansible/serial-missing' });
      assert.equal(none.findings.length, 1);
      assert.match(none.findings[0].message, /^None of the 3 plays that restart services or deploy to a host group in this repository rolls out in batches/);
      assert.match(none.findings[0].message, /ansible\/serial-missing: off/);
      assert.equal(none.findings[0].fixes![0].edits.length, 3);
      // The repository batches two rollouts: a folder that never does is one finding (the
      // convention pass), a straggler beside batched plays is reported on its own.
      const some = await lintFixture(
        { ...lab, 'rolling/web.yml': play('Rolling web', 'web\n  serial: 1'), 'rolling/db.yml': play('Rolling db', 'db\n  serial: 1'), 'rolling/cache.yml': play('Cache now', 'cache') },
        { rule: 'ansible/serial-missing' },
      );
      assert.deepEqual(some.findings.map((f) => path.posix.relative(some.engine.index.root, f.path)).sort(), ['provision/cache.yml', 'rolling/cache.yml']);
      assert.match(some.findings.find((f) => f.path.includes('provision/'))!.message, /3 plays/);
      // The active member picked at run time (add_host), then the standbys: the play order is the rollout.
      const upgrade = [
        '- name: Pick the active member',
        '  hosts: mds[0]',
        '  tasks:',
        '    - name: Group it',
        '      ansible.builtin.add_host:',
        '        name: "{{ active_name }}"',
        '        groups: active_members',
        '- name: Upgrade the active member',
        '  hosts: active_members',
        restart.trimEnd(),
        '- name: Upgrade the rest',
        '  hosts: mds',
        '  serial: 1',
        restart.trimEnd(),
        '- name: Restart the caches',
        '  hosts: caches',
        restart,
      ].join('\n');
      const built = await lintFixture({ 'rolling_update.yml': upgrade, 'other.yml': play('Other', 'web\n  serial: 2') }, { rule: 'ansible/serial-missing' });
      assert.deepEqual(built.findings.map((f) => f.range.start.line), [23]);
      none.dispose();
      some.dispose();
      built.dispose();
    });

    it('leaves out plays that only stop or disable services, and reports a stop followed by a start', async () => {
      const stop = '    - name: Stop\n      ansible.builtin.systemd:\n        name: api\n        state: stopped\n        enabled: false\n';
      const stopCmd = '    - name: Stop workers\n      ansible.builtin.command: systemctl stop worker\n';
      const start = '    - name: Start\n      ansible.builtin.service:\n        name: api\n        state: started\n';
      const res = await lintFixture(
        {
          'decommission.yml': `- name: Decommission\n  hosts: api\n  tasks:\n${stop}${stopCmd}`,
          'bounce.yml': `- name: Bounce\n  hosts: api\n  tasks:\n${stop}${start}`,
        },
        { rule: 'ansible/serial-missing' },
      );
      assert.deepEqual(res.findings.map((f) => path.posix.basename(f.path)), ['bounce.yml']);
      assert.match(res.findings[0].message, /service stop/);
    });
  });

  describe('ansible/name-missing', () => {
    it('flags unnamed plays, tasks, blocks and includes like ansible-lint 6', async () => {
      const text = [
        '- hosts: web',
        '  tasks:',
        '    - block:',
        '        - ansible.builtin.debug:',
        '            msg: hi',
        '    - ansible.builtin.include_tasks: other.yml',
        '    - name: Named',
        '      ansible.builtin.debug:',
        '        msg: ok',
        '- name: Named play',
        '  hosts: db',
        '  tasks: []',
        '',
      ].join('\n');
      const res = await lintFixture({ 'site.yml': text }, { rule: 'ansible/name-missing' });
      assert.deepEqual(findingsFor(res, 'site.yml').map(rangeOf), [
        [0, 2, 0, 7],
        [2, 6, 2, 11],
        [3, 10, 3, 31],
      ]);
    });

    it('leaves static imports alone (import_playbook, import_tasks, import_role) and include_tasks (the output prints its path), not include_role', async () => {
      const text = [
        '- import_playbook: db.yml',
        '- ansible.builtin.import_playbook: web.yml',
        '- name: Web',
        '  hosts: web',
        '  tasks:',
        '    - import_tasks: setup.yml',
        '    - ansible.builtin.import_role:',
        '        name: nginx',
        '    - include_role:',
        '        name: app',
        '    - include_tasks: other.yml',
        '',
      ].join('\n');
      const res = await lintFixture({ 'site.yml': text }, { rule: 'ansible/name-missing' });
      assert.deepEqual(findingsFor(res, 'site.yml').map((f) => f.range.start.line), [8]);
    });

    it('leaves alone what the run output identifies: blocks of named tasks, meta, self-describing messages, a sole roles-only play', async () => {
      const tasks = [
        '- when: proxy_enabled',
        '  block:',
        '    - name: Write the proxy config',
        '      ansible.builtin.template: { src: proxy.j2, dest: /etc/proxy }',
        '  rescue:',
        '    - ansible.builtin.fail:',
        '        msg: "Writing the proxy configuration failed"',
        '  always:',
        '    - import_tasks: gather_debug.yml',
        '- block:',
        '    - ansible.builtin.command: /opt/app/migrate',
        '- meta: flush_handlers',
        '- ansible.builtin.debug:',
        '    msg: >-',
        '      The reporting module is not supported on {{ ansible_distribution_release }}',
        '  when: ansible_distribution_release == "old"',
        '- ansible.builtin.debug:',
        '    msg: "count: {{ count }}"',
        '- ansible.builtin.debug:',
        '    var: result',
        '- ansible.builtin.assert:',
        '    that: x is defined',
        '',
      ].join('\n');
      const res = await lintFixture({ 'roles/app/tasks/main.yml': tasks }, { rule: 'ansible/name-missing' });
      assert.deepEqual(findingsFor(res, 'roles/app/tasks/main.yml').map((f) => f.range.start.line), [9, 10, 16, 18, 20]);
      const sole = '- hosts: all\n  become: true\n  roles:\n    - common\n    - web\n';
      const two = sole + '- hosts: db\n  roles: [db]\n- name: Named\n  hosts: web\n  tasks: []\n';
      const res2 = await lintFixture({ 'site.yml': sole, 'other.yml': two }, { rule: 'ansible/name-missing' });
      assert.deepEqual(findingsFor(res2, 'site.yml'), []);
      assert.deepEqual(findingsFor(res2, 'other.yml').map((f) => f.range.start.line), [0, 5]);
    });

    it('reports unnamed plays once when no play of the repository is named (one decision), one by one when some are', async () => {
      const play = (hosts: string) => `- hosts: ${hosts}\n  tasks:\n    - name: Ping\n      ansible.builtin.ping:\n    - ansible.builtin.command: /bin/true\n`;
      const files = { 'deploy.yml': play('web'), 'db.yml': play('db') + play('cache'), 'setup.yml': play('all') };
      const none = await lintFixture(files, { rule: 'ansible/name-missing' });
      const plays = none.findings.filter((f) => /^Play|play/.test(f.message) && !/^Task/.test(f.message));
      assert.equal(plays.length, 1, plays.map((f) => f.message).join('\n'));
      assert.match(plays[0].message, /4 plays/);
      // Unnamed tasks are no convention: each is reported.
      assert.equal(none.findings.filter((f) => /^Task/.test(f.message)).length, 4);
      const some = await lintFixture({ ...files, 'named.yml': '- name: Site\n  hosts: all\n  tasks:\n    - name: Ping\n      ansible.builtin.ping:\n' }, { rule: 'ansible/name-missing' });
      assert.equal(some.findings.filter((f) => /^Play on/.test(f.message)).length, 4);
      none.dispose();
      some.dispose();
    });
  });

  describe('ansible/no-log-missing', () => {
    it('adds no_log: true at the task key indentation', async () => {
      const text = [
        '- name: Create db user',
        '  acme.internal.db_user:',
        '    name: app',
        '    password: "{{ vault_app_db_password }}"',
        '  become: true',
        '',
        '- name: Next',
        '  ansible.builtin.debug:',
        '    msg: hi',
        '',
      ].join('\r\n');
      const res = await lintFixture({ 'roles/db/tasks/main.yml': text }, { rule: 'ansible/no-log-missing' });
      const [f] = findingsFor(res, 'roles/db/tasks/main.yml');
      assert.deepEqual(rangeOf(f), [3, 4, 3, 12]);
      assert.match(f.message, /password/);
      assert.equal(applyFix(text, f.fixes![0]), text.replace('  become: true\r\n', '  become: true\r\n  no_log: true\r\n'));
    });

    it('flips an explicit no_log: false', async () => {
      const text = '- name: Login\n  acme.internal.api_login:\n    url: https://x.example\n    api_password: "{{ pw }}"\n  no_log: false\n';
      const res = await lintFixture({ 'roles/x/tasks/main.yml': text }, { rule: 'ansible/no-log-missing' });
      const [f] = findingsFor(res, 'roles/x/tasks/main.yml');
      assert.equal(applyFix(text, f.fixes![0]), text.replace('no_log: false', 'no_log: true'));
    });

    it('leaves out arguments whose value is a path (a key file, a template of a path, a variable named for a location), not the secret itself', async () => {
      const task = (n: number, arg: string) => `- name: T${n}\n  community.general.thing:\n    name: x\n    ${arg}\n`;
      const quiet = [
        'ssl_key: /etc/ssl/private/api.key',
        'client_key: "{{ pki_dir }}/{{ inventory_hostname }}.pem"',
        'private_key: "{{ tls_key_path }}"',
        'api_key: "{{ item.key_file | default(omit) }}"',
        'ssl_key: files/tls/server.key',
        'private_key: ~/.ssh/id_ed25519',
        'secret_key: tls.key',
      ];
      const loud = [
        'private_key: "{{ lookup(\'file\', \'files/tls.key\') }}"',
        'secret_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        'password: "{{ db_password }}"',
        'api_key: "{{ vault_api_key }}"',
        'password: s3cr3t/value',
      ];
      const text = [...quiet, ...loud].map((a, i) => task(i, a)).join('');
      const res = await lintFixture({ 'roles/x/tasks/main.yml': text }, { rule: 'ansible/no-log-missing' });
      assert.deepEqual(res.findings.map((f) => f.range.start.line), loud.map((_, i) => (quiet.length + i) * 4 + 3));
      // A module argument documented as a key file's path (uri's `client_key`) names the file
      // whatever the variable is called; under set_fact the same name is a variable of any content.
      const moduleArg = [
        '- name: Query the API',
        '  ansible.builtin.uri:',
        '    url: https://api.example.com/healthz',
        '    client_cert: "{{ api_client_cert }}"',
        '    client_key: "{{ api_client_key }}"',
        '- name: Keep the key',
        '  ansible.builtin.set_fact:',
        '    client_key: "{{ generated.privatekey }}"',
        '- name: Inline key',
        '  ansible.builtin.uri:',
        '    url: https://api.example.com/healthz',
        '    client_key: "{{ lookup(\'file\', \'files/client.key\') }}"',
        '',
      ].join('\n');
      const m = await lintFixture({ 'roles/z/tasks/main.yml': moduleArg }, { rule: 'ansible/no-log-missing' });
      assert.deepEqual(m.findings.map((f) => f.range.start.line), [7, 11]);
      const cmd = '- name: Join\n  ansible.builtin.command: agent join --tls-key {{ agent_key_path }} --token {{ join_token }}\n';
      const c = await lintFixture({ 'roles/y/tasks/main.yml': cmd }, { rule: 'ansible/no-log-missing' });
      assert.equal(c.findings.length, 1);
      assert.match(c.findings[0].message, /'--token'/);
    });

    it("leaves out a module's masked arguments under their aliases (ec2's secret_key, uri's password, mongodb_user's password), and the AWS access key ID", async () => {
      const task = (n: number, mod: string, arg: string) => `- name: T${n}\n  ${mod}:\n    name: x\n    ${arg}\n`;
      const quiet = [
        ['ec2', 'secret_key: "{{ ec2_secret_key }}"'],
        ['amazon.aws.ec2_instance', 'aws_secret_access_key: "{{ aws_secret }}"'],
        ['ec2_instance', 'ec2_access_key: "{{ ec2_access_key }}"'],
        ['community.aws.s3_sync', 'security_token: "{{ sts_token }}"'],
        ['ansible.builtin.uri', 'password: "{{ api_password }}"'],
        ['get_url', 'password: "{{ repo_password }}"'],
        ['community.mongodb.mongodb_user', 'password: "{{ mongo_admin_password }}"'],
        ['mongodb_user', 'login_password: "{{ mongo_root_password }}"'],
      ];
      const loud = [
        // Not the modules' arguments: a module that declares nothing, and a secret in uri's body.
        ['acme.cloud.launch', 'secret_key: "{{ ec2_secret_key }}"'],
        ['ansible.builtin.uri', 'headers: { X-Api-Token: "{{ api_token }}" }'],
        ['community.general.thing', 'ec2_access_key: "{{ ec2_access_key }}"'],
      ];
      const text = [...quiet, ...loud].map(([m, a], i) => task(i, m, a)).join('');
      const res = await lintFixture({ 'roles/x/tasks/main.yml': text }, { rule: 'ansible/no-log-missing' });
      assert.deepEqual(res.findings.map((f) => f.range.start.line), loud.map((_, i) => (quiet.length + i) * 4 + 3));
      // A loop prints the item label, masked argument or not.
      const looped = '- name: Users\n  mongodb_user:\n    name: "{{ item.name }}"\n    password: "{{ item.password }}"\n  loop: "{{ mongo_users }}"\n';
      const l = await lintFixture({ 'roles/m/tasks/main.yml': looped }, { rule: 'ansible/no-log-missing' });
      assert.equal(l.findings.length, 1);
    });

    it('is silent with no_log on the task, block or play, and for setting-like arguments', async () => {
      const res = await lintFixture(
        {
          'roles/x/tasks/main.yml': [
            '- name: A',
            '  ansible.builtin.user:',
            '    name: a',
            '    password: "{{ h }}"',
            '  no_log: true',
            '- name: B',
            '  no_log: yes',
            '  block:',
            '    - name: C',
            '      mysql_user: name=c password={{ p }}',
            '- name: D',
            '  ansible.builtin.user:',
            '    name: d',
            '    update_password: on_create',
            '    generate_ssh_key: true',
            '    password_lock: true',
            '',
          ].join('\n'),
        },
        { rule: 'ansible/no-log-missing' },
      );
      assert.deepEqual(res.findings, []);
    });
  });

  describe('exercises, demos and test inputs', () => {
    it('leave their lab credentials to the lesson: no secret-plaintext or no-log-missing there, both still in roles', async () => {
      const task = '- name: Log in to the controller\n  ansible.controller.token:\n    controller_host: https://controller.example.com\n    controller_username: admin\n    controller_password: Ansible123!\n';
      const res = await lintFixture({
        'exercises/1.2-controller/login.yml': `- name: Exercise\n  hosts: controller\n  tasks:\n${task.replace(/^/gm, '    ')}`,
        'demos/chatops/roles/setup/tasks/main.yml': task,
        'roles/controller/tasks/main.yml': task,
      });
      const kind = (p: string) => res.engine.index.get(path.posix.join(res.engine.index.root, p))?.kind;
      assert.equal(kind('exercises/1.2-controller/login.yml'), 'ansible-playbook');
      assert.equal(kind('demos/chatops/roles/setup/tasks/main.yml'), 'ansible-tasks');
      const got = res.findings.filter((f) => /secret-plaintext|no-log-missing/.test(f.ruleId)).map((f) => `${path.posix.relative(res.engine.index.root, f.path)} ${f.ruleId}`).sort();
      // In the role, one finding: the plaintext password is the cause, its missing no_log the same line's second symptom (meta.subsumes).
      assert.deepEqual(got, ['roles/controller/tasks/main.yml ansible/secret-plaintext']);
      res.dispose();
    });
  });

  describe('ansible/secret-plaintext', () => {
    it('leaves out values that say they are no secret: a credential object\'s name, the name repeated, a label, a GPG fingerprint, placeholders in role defaults, test inputs', async () => {
      const vars = [
        'credential: "Workshop Credential"', // 0 the name of an AWX credential object
        'scm_credential: git', // 1
        'admin_secret: admin_secret', // 2 the name repeated
        'ssh_signing_key: "Acme-SSH-Signing-Key"', // 3 a label
        'smtp_password: "smtp password"', // 4
        'repo_gpg_key: "7C9E68152594688862D62AF62D9AE806EC1592E2"', // 5 a fingerprint
        'db_password: changeme', // 6 a placeholder: reported outside defaults/
        'api_token: "9f3k2LmQ81xZ"', // 7 a secret
        'aws_credentials: "AKIAIOSFODNN7EXAMPLE0/wJalrXUtnFEMI"', // 8 a secret
      ].join('\n') + '\n';
      const res = await lintFixture(
        {
          'group_vars/all.yml': vars,
          'roles/db/defaults/main.yml': 'db_password: changeme\ndb_root_password: "Xy7!pq2Lr"\n',
          'tests/functional/cluster/group_vars/all': 'dashboard_admin_password: "$sX!cD$rYU6qR^B!"\n',
        },
        { rule: 'ansible/secret-plaintext' },
      );
      assert.deepEqual(findingsFor(res, 'group_vars/all.yml').map((f) => f.range.start.line), [6, 7, 8]);
      assert.deepEqual(findingsFor(res, 'roles/db/defaults/main.yml').map((f) => f.range.start.line), [1]);
      assert.deepEqual(findingsFor(res, 'tests/functional/cluster/group_vars/all'), []);
    });

    it('flags literal secrets in play vars and inventory, not templates or non-secrets', async () => {
      const res = await lintFixture(
        {
          'site.yml': '- name: P\n  hosts: all\n  vars:\n    api_key: "9f8e7d"\n    ssh_key_path: ~/.ssh/id_rsa\n    key_name: deploy\n    api_key_header: X-Key\n    token_ttl: 3600\n    db_password: "{{ lookup(\'env\', \'DB_PW\') }}"\n    feature_token_enabled: true\n  tasks: []\n',
          'inventories/prod/hosts.yml': 'all:\n  hosts:\n    db1:\n      ansible_become_pass: s3cret\n      ansible_user: deploy\n',
        },
        { rule: 'ansible/secret-plaintext' },
      );
      assert.deepEqual(findingsFor(res, 'site.yml').map(rangeOf), [[3, 13, 3, 21]]);
      assert.deepEqual(findingsFor(res, 'inventories/prod/hosts.yml').map(rangeOf), [[3, 27, 3, 33]]);
    });
  });

  describe('locked accounts', () => {
    it("take `password: '!'` or '*' as a lock, not a secret", async () => {
      const res = await lintFixture({ 'roles/x/tasks/main.yml': "- name: Lock\n  ansible.builtin.user:\n    name: legacy\n    password: '!'\n- name: Lock too\n  user: name=old password=*\n" });
      assert.deepEqual(res.findings.filter((f) => /secret-plaintext|no-log-missing/.test(f.ruleId)), []);
    });
  });

  describe('ansible/package-latest', () => {
    it('replaces latest with present (map and free form), also for other collections', async () => {
      const text = '- name: A\n  community.general.pacman:\n    name: vim\n    state: latest\n- name: B\n  yum: name=httpd state=latest\n';
      const res = await lintFixture({ 'roles/x/tasks/main.yml': text }, { rule: 'ansible/package-latest' });
      const fs = findingsFor(res, 'roles/x/tasks/main.yml');
      assert.deepEqual(fs.map(rangeOf), [
        [3, 11, 3, 17],
        [5, 24, 5, 30],
      ]);
      assert.equal(applyFix(text, fs[0].fixes![0]), text.replace('state: latest', 'state: present'));
      assert.equal(applyFix(text, fs[1].fixes![0]), text.replace('state=latest', 'state=present'));
    });

    it('is silent for present, update_only and non-package modules', async () => {
      const res = await lintFixture(
        { 'roles/x/tasks/main.yml': '- name: A\n  ansible.builtin.dnf:\n    name: "*"\n    state: latest\n    update_only: true\n- name: B\n  ansible.builtin.apt:\n    name: nginx\n    state: present\n- name: C\n  ansible.builtin.git:\n    repo: x\n    dest: /x\n    version: latest\n' },
        { rule: 'ansible/package-latest' },
      );
      assert.deepEqual(res.findings, []);
    });

    it('is silent for a cache refresh that names no package (`state: latest` + `update_cache`), not for one that does', async () => {
      const text = [
        '- name: Update the package cache',
        '  ansible.builtin.yum:',
        '    state: latest',
        '    update_cache: true',
        '- name: Refresh apt',
        '  apt: update_cache=yes state=latest',
        '- name: Install the agent',
        '  ansible.builtin.yum:',
        '    name: "{{ agent_packages }}"',
        '    state: latest',
        '    update_cache: true',
      ].join('\n');
      const res = await lintFixture({ 'roles/x/tasks/main.yml': text }, { rule: 'ansible/package-latest' });
      assert.deepEqual(res.findings.map((f) => f.range.start.line), [9]);
    });
  });

  describe('ansible/changed-when-missing where "changed" is the truth', () => {
    it('leaves artifact builds, image-build playbooks and changes before an unconditional reboot alone, not read-only commands there', async () => {
      const build = [
        '- hosts: localhost',
        '  connection: local',
        '  pre_tasks:',
        '    - name: Create the build container',
        '      community.docker.docker_container: { name: builder, image: "debian:12", command: sleep infinity }',
        '    - name: Add it to the inventory',
        '      ansible.builtin.add_host:',
        '        hostname: builder',
        '        ansible_connection: docker',
        '  post_tasks:',
        '    - name: Clean up',
        '      ansible.builtin.shell: apt-get clean && rm -rf /var/lib/apt/lists/*',
        '      delegate_to: builder',
        '    - name: Commit the image',
        '      ansible.builtin.command: docker commit builder acme/app:latest',
        '',
      ].join('\n');
      const node = [
        '- name: Build the image',
        '  ansible.builtin.command: packer build -force image.pkr.hcl',
        '- name: Apply the machine configuration',
        '  ansible.builtin.command: "podman run --rm {{ mcd_image }} start --once-from /tmp/config.json"',
        '- name: Read the node state',
        '  ansible.builtin.command: oc get node {{ ansible_nodename }}',
        '- name: Reboot',
        '  ansible.builtin.reboot:',
        '- name: Relabel after the reboot',
        '  ansible.builtin.command: restorecon -r /var/lib/app',
        '',
      ].join('\n');
      const res = await lintFixture({ 'image/build.yml': build, 'roles/node/tasks/main.yml': node }, { rule: 'ansible/changed-when-missing' });
      assert.deepEqual(findingsFor(res, 'image/build.yml'), []);
      assert.deepEqual(findingsFor(res, 'roles/node/tasks/main.yml').map((f) => f.range.start.line), [5, 9]);
      // Without the reboot and the container connection, the same commands are reported.
      const plain = await lintFixture(
        { 'image/build.yml': build.replace('ansible_connection: docker', 'ansible_host: 10.0.0.5'), 'roles/node/tasks/main.yml': node.replace('ansible.builtin.reboot:', 'ansible.builtin.ping:') },
        { rule: 'ansible/changed-when-missing' },
      );
      assert.deepEqual(findingsFor(plain, 'image/build.yml').map((f) => f.range.start.line), [11]);
      assert.deepEqual(findingsFor(plain, 'roles/node/tasks/main.yml').map((f) => f.range.start.line), [3, 5, 9]);
      res.dispose();
      plain.dispose();
    });
  });

  describe('ansible/changed-when-missing on guarded commands', () => {
    it('accepts a when: on a registered result as the change condition, not other conditions', async () => {
      const text = [
        '- name: Check the database',
        '  ansible.builtin.stat:',
        '    path: /var/lib/app/db.sqlite3',
        '  register: app_db',
        '- name: Create the database',
        '  ansible.builtin.command: rake db:create',
        '  when: not app_db.stat.exists',
        '- name: Start the app',
        '  ansible.builtin.shell: forever start app.js',
        '  when: "\'app.js\' not in running_apps.stdout"',
        '- name: Install gems',
        '  ansible.builtin.command: bundle install',
        '  when:',
        '    - ansible_os_family == "Debian"',
        '    - app_db is defined',
        '- name: On Debian only',
        '  ansible.builtin.command: /usr/local/bin/setup',
        '  when: ansible_os_family == "Debian"',
        '- block:',
        '    - name: Migrate',
        '      ansible.builtin.command: rake db:migrate',
        '  when: checkout.changed',
        '',
      ].join('\n');
      const res = await lintFixture({ 'roles/x/tasks/main.yml': text }, { rule: 'ansible/changed-when-missing' });
      assert.deepEqual(findingsFor(res, 'roles/x/tasks/main.yml').map((f) => f.range.start.line), [16]);
    });

    it('leaves handlers alone: they run only when notified of a change', async () => {
      const handler = '- name: Restart apps\n  ansible.builtin.command: forever restartall\n';
      const res = await lintFixture(
        {
          'roles/x/handlers/main.yml': handler,
          'site.yml': `- name: Play\n  hosts: app\n  handlers:\n    - name: Restart apps\n      ansible.builtin.command: forever restartall\n  tasks:\n    - name: Reindex\n      ansible.builtin.command: /opt/app/reindex\n`,
        },
        { rule: 'ansible/changed-when-missing' },
      );
      assert.deepEqual(res.findings.map((f) => `${path.posix.relative(res.engine.index.root, f.path)}:${f.range.start.line}`), ['site.yml:7']);
    });
  });

  describe('ansible/ignore-errors and ansible/changed-when-missing', () => {
    it('flag ignore_errors True/yes and bare commands; accept register, changed_when and creates', async () => {
      const text = [
        '- name: A',
        '  ansible.builtin.command: /bin/a',
        '  ignore_errors: True',
        '- name: B',
        '  command: /bin/b',
        '  args:',
        '    creates: /tmp/b',
        '  ignore_errors: false',
        '- name: C',
        '  shell: /bin/c removes=/tmp/c',
        '  register: c',
        '  ignore_errors: yes',
        '- name: D',
        '  ansible.legacy.raw: /bin/d',
        '  changed_when: false',
        '- name: E',
        '  ansible.builtin.command:',
        '    cmd: /bin/e',
        '    creates: /tmp/e',
        '',
      ].join('\n');
      const res = await lintFixture({ 'roles/x/tasks/main.yml': text });
      assert.deepEqual(findingsFor(res, 'roles/x/tasks/main.yml', 'ansible/ignore-errors').map(rangeOf), [[2, 2, 2, 21]]);
      assert.deepEqual(findingsFor(res, 'roles/x/tasks/main.yml', 'ansible/changed-when-missing').map(rangeOf), [[1, 2, 1, 25]]);
    });
  });
});
