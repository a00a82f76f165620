import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { symlinkSync } from 'node:fs';
import { fileRows } from '../../src/cli/files';
import { Engine } from '../../src/engine/engine';
import { parseYaml } from '../../src/engine/parsers/yaml';
import { textSymlinkTarget } from '../../src/engine/textSymlink';
import { findingsFor, lintFixture, writeWorkspace } from './helpers';

// Issue 15, item 7: parse strictness where nothing needs the file.

describe('parse strictness where nothing needs the file', function () {
  this.timeout(30000);
  const R = 'opsreview/parse-error';

  describe('YAML parse problems', () => {
    const dupKeys = (kind: string) => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: a\n  name: b\n`;
    const tabbed = 'apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: ops\n';

    it('reads duplicate keys and tab indentation leniently when the strict read fails', () => {
      const d = parseYaml(dupKeys('Namespace'));
      assert.ok(d.errors.some((e) => /Map keys must be unique/.test(e.message)));
      assert.equal(d.lenient, true);
      const t = parseYaml(tabbed);
      assert.equal(t.lenient, true);
      assert.equal((t.docs[0].toJS() as { metadata: { name: string } }).metadata.name, 'ops');
      // Still broken when read leniently: the strict read is kept.
      const broken = parseYaml('a: [unclosed\n');
      assert.ok(broken.errors.length > 0);
      assert.equal(broken.lenient, undefined);
      assert.equal(parseYaml('a: 1\n').lenient, undefined);
    });

    it('reports them as info on a manifest of objects no rule reads, and as errors on one a rule reads', async () => {
      const res = await lintFixture(
        {
          'k8s/namespace.yaml': dupKeys('Namespace'),
          'k8s/crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec: [unclosed\n',
          'k8s/tabs.yaml': tabbed,
          'k8s/deploy.yaml': dupKeys('Deployment'),
          'k8s/secret.yaml': 'apiVersion: v1\nkind: Secret\nstringData: [unclosed\n',
        },
        { rule: R },
      );
      const sev = (p: string) => findingsFor(res, p).map((f) => f.severity);
      assert.deepEqual(sev('k8s/namespace.yaml'), ['info']);
      assert.ok(sev('k8s/crd.yaml').length > 0 && sev('k8s/crd.yaml').every((s) => s === 'info'));
      assert.ok(sev('k8s/tabs.yaml').length > 0 && sev('k8s/tabs.yaml').every((s) => s === 'info'));
      assert.deepEqual(sev('k8s/deploy.yaml'), ['error']);
      assert.ok(sev('k8s/secret.yaml').every((s) => s === 'error'));
      assert.match(findingsFor(res, 'k8s/namespace.yaml')[0].message, /no rule checks this file, so this is a note; a lenient read \(duplicate keys, tabs\) got through it/);
      assert.match(findingsFor(res, 'k8s/crd.yaml')[0].message, /a lenient read failed too/);
    });

    it('reports them as info when every rule of the kind is off, or production-only on a test file', async () => {
      const vars = 'db_user: app\ndb_user: other\n';
      const on = await lintFixture({ 'group_vars/all.yml': vars }, { rule: R });
      assert.deepEqual(findingsFor(on, 'group_vars/all.yml').map((f) => f.severity), ['error']);
      const off = await lintFixture({ 'group_vars/all.yml': vars }, { rule: R, config: { rules: { 'ansible/secret-plaintext': 'off' } } });
      assert.deepEqual(findingsFor(off, 'group_vars/all.yml').map((f) => f.severity), ['info']);
      // A workload under tests/: the production-only k8s rules stay silent there, k8s/privileged
      // still runs, so the file is still needed.
      const tests = await lintFixture({ 'tests/deploy.yaml': dupKeys('Deployment') }, { rule: R });
      assert.deepEqual(findingsFor(tests, 'tests/deploy.yaml').map((f) => f.severity), ['error']);
    });
  });

  describe('files that are not the YAML they look like, or YAML a strict reader rejects', () => {
    // A policy template whose quoted description goes on at its key's column: PyYAML, Ansible
    // and Kubernetes read it; a strict YAML 1.2 reader does not.
    const underIndented = [
      'apiVersion: templates.example.com/v1',
      'kind: ConstraintTemplate',
      'spec:',
      '  properties:',
      '    zones:',
      '      type: array',
      '      description: "Zones (or zone patterns) where',
      "      instances may run (e.g. 'eu*', 'us-east1').\"",
      '    hours:',
      "      description: 'Hours of the window, in UTC;",
      "      none means any hour.'",
      '',
    ].join('\n');

    it('reads a quoted value continued on under-indented lines as PyYAML does, folded to one line', () => {
      const y = parseYaml(underIndented);
      assert.deepEqual(y.errors, []);
      const spec = (y.docs[0].toJS() as { spec: { properties: Record<string, { description: string }> } }).spec.properties;
      assert.equal(spec.zones.description, "Zones (or zone patterns) where instances may run (e.g. 'eu*', 'us-east1').");
      assert.equal(spec.hours.description, 'Hours of the window, in UTC; none means any hour.');
      // A quote left open by mistake still is one: joining would swallow the next task.
      const open = parseYaml('- name: a\n  debug:\n    msg: "hello\n- name: b\n  debug:\n    msg: "bye"\n');
      assert.ok(open.errors.length > 0);
      // Positions still point into the file as written.
      const doc = parseYaml(underIndented + 'extra: [\n');
      assert.ok(doc.errors.length > 0);
      assert.deepEqual(doc.errors.map((e) => e.range.start.line), [11]);
    });

    it('gives a file no rule reads one note, on its first problem, with the count of the rest', async () => {
      const notYaml = ['[defaults]', 'x = 1', 'def f(a):', '    return {"a": a}', 'print(f(1))', 'for k in range(3): {', '  "k": k,', '  }', 'a: b: c', '- x'].join('\n');
      const res = await lintFixture({ 'k8s/settings.yaml': `apiVersion: v1\nkind: ConfigMap\n${notYaml}`, 'group_vars/all.yml': notYaml }, { rule: R });
      const note = findingsFor(res, 'k8s/settings.yaml');
      assert.equal(note.length, 1);
      assert.equal(note[0].severity, 'info');
      assert.match(note[0].message, /; \d+ more parse problems? after this one \(no rule checks this file/);
      // A file rules read gets its problems one by one, up to five, then a count.
      const needed = findingsFor(res, 'group_vars/all.yml');
      assert.ok(needed.length > 1 && needed.length <= 5, String(needed.length));
      assert.ok(needed.every((f) => f.severity === 'error'));
      res.dispose();
    });

    it('leaves a script named like an inventory out of the index, with its reason, also through a symlink', async () => {
      const script = '#!/usr/bin/env python3\n"""Dynamic inventory."""\nimport json\n\nprint(json.dumps({"all": {"hosts": []}}))\n';
      const root = await writeWorkspace({
        'contrib/cloud/inventory.py': script,
        'contrib/legacy/hosts': script,
        'playbooks/site.yml': '#!/usr/bin/env ansible-playbook\n- name: Site\n  hosts: web\n  tasks:\n    - name: Ping\n      ansible.builtin.ping:\n',
        'inventory/hosts': 'web1.example.com\nweb2.example.com ansible_become_pass=Sup3rS3cret!\n',
      });
      symlinkSync('inventory.py', path.join(root, 'contrib/cloud/hosts'));
      // `profile: all`: `ansible_become_pass=Sup3rS3cret!` is a secret by its key name only.
      const engine = await Engine.create(root, { profile: 'all' });
      const rows = Object.fromEntries(fileRows(engine).map((r) => [r.file, r]));
      for (const p of ['contrib/legacy/hosts', 'contrib/cloud/hosts']) {
        assert.equal(rows[p]?.code, 'script', p);
        assert.match(rows[p].reason, /dynamic inventory script \(`#!\/usr\/bin\/env python3`\)/);
      }
      const findings = engine.allFindings().map((f) => `${path.posix.relative(engine.index.root, f.path)} ${f.ruleId}`);
      assert.ok(!findings.some((f) => f.startsWith('contrib/')), findings.join('\n'));
      // An executable playbook is YAML all the same; a host list without a section is an INI inventory.
      assert.equal(rows['playbooks/site.yml']?.kind, 'ansible-playbook');
      assert.ok(findings.includes('inventory/hosts ansible/secret-plaintext'), findings.join('\n'));
      assert.ok(!findings.some((f) => f.includes('parse-error')), findings.join('\n'));
    });
  });

  describe('symlinks checked out as text', () => {
    const has = (...paths: string[]) => (p: string) => paths.includes(p);

    it('recognises a one-line relative path to a file or folder the workspace holds', () => {
      assert.equal(textSymlinkTarget('roles/web/tasks/main.yml', '../../common/tasks/main.yml', has('roles/common/tasks/main.yml')), 'roles/common/tasks/main.yml');
      assert.equal(textSymlinkTarget('docs/runbook.md', '../runbooks/api.md\n', has('runbooks/api.md')), 'runbooks/api.md');
      assert.equal(textSymlinkTarget('alerts/shared', '../common/alerts', has('common/alerts')), 'common/alerts');
    });

    it('does not take prose, YAML scalars, absolute paths, URLs or paths to nothing for one', () => {
      assert.equal(textSymlinkTarget('a/b.yml', '../missing.yml', has('x.yml')), undefined);
      assert.equal(textSymlinkTarget('a/b.md', 'See ../x.md', has('x.md')), undefined);
      assert.equal(textSymlinkTarget('a/b.yml', 'enabled', has('a/enabled')), undefined);
      assert.equal(textSymlinkTarget('a/b.yml', '/etc/passwd', () => true), undefined);
      assert.equal(textSymlinkTarget('a/b.md', 'https://example.com/x.md', () => true), undefined);
      assert.equal(textSymlinkTarget('a/b.yml', '../../outside.yml', () => true), undefined);
      assert.equal(textSymlinkTarget('a/b.yml', 'key: ../x.yml', has('x.yml')), undefined);
      assert.equal(textSymlinkTarget('a/b.yml', '../x.yml\nmore: 1\n', has('x.yml')), undefined);
    });

    it('leaves such a file out of the index, on the skip list with its target, and lints the target', async () => {
      const tasks = '- name: Restart\n  ansible.builtin.service:\n    name: app\n    state: restarted\n';
      const res = await lintFixture({
        'roles/common/tasks/main.yml': tasks,
        'roles/web/tasks/main.yml': '../../common/tasks/main.yml',
        'roles/db/tasks/main.yml': '../../common/tasks/gone.yml',
      });
      const idx = res.engine.index;
      const abs = (p: string) => path.posix.join(idx.root, p);
      assert.equal(idx.get(abs('roles/web/tasks/main.yml')), undefined);
      assert.ok(idx.get(abs('roles/common/tasks/main.yml')));
      const skip = idx.skipped.find((s) => s.relPath === 'roles/web/tasks/main.yml');
      assert.equal(skip?.code, 'symlink-text');
      assert.match(skip!.reason, /symlink to roles\/common\/tasks\/main\.yml checked out as text/);
      assert.deepEqual(findingsFor(res, 'roles/web/tasks/main.yml'), []);
      // A one-line path to nothing is a file like any other (here: a YAML string, not a task list).
      assert.ok(idx.get(abs('roles/db/tasks/main.yml')));
      assert.ok(!idx.skipped.some((s) => s.relPath === 'roles/db/tasks/main.yml'));
      // Replaced by real content, it is indexed and leaves the skip list.
      await res.engine.update(abs('roles/web/tasks/main.yml'), tasks);
      assert.ok(idx.get(abs('roles/web/tasks/main.yml')));
      assert.ok(!idx.skipped.some((s) => s.relPath === 'roles/web/tasks/main.yml'));
    });
  });
});
