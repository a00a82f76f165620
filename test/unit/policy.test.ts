import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { ALL_RULE_METAS } from '../../src/engine/rules';
import { applyFix, findingsFor, lintFixture, rangeOf, writeWorkspace } from './helpers';

// Issue 15, items 2-5: the engine mechanisms that apply across rules. References resolved as the
// repository writes them, what the repository already tells other linters, one finding per
// repository-wide decision, and tests/examples left out of production-only rules.

const lines = (...ls: string[]): string => ls.join('\n') + '\n';

/** An alert file whose alerts link their runbooks with `key`. */
function alertFile(alerts: [name: string, link: string][], key = 'runbook_url', extra = ''): string {
  return lines(
    'groups:',
    '  - name: svc',
    '    rules:',
    ...alerts.flatMap(([name, link]) => [
      `      - alert: ${name}`,
      '        expr: up == 0',
      '        for: 5m',
      '        labels: {severity: warning, team: core}',
      `        annotations: {summary: down, ${key}: ${link}${extra}}`,
    ]),
  );
}

const RUNBOOK = '---\nowner: core\nservice: x\ntags: [x]\n---\n# Runbook\n\n## Symptoms\nx\n\n## Mitigation\nx\n';

describe('issue 15: references resolved as the repository writes them', () => {
  it('reads a bare runbook path from the repository root when most links do; never reports or rewrites one that resolves', async () => {
    const res = await lintFixture({
      'monitoring/alerts/svc.yml': alertFile([
        ['ApiDown', 'docs/api/runbook.md'],
        ['DbDown', 'docs/db/runbook.md'],
        ['QueueDown', 'docs/queue/runbook.md'],
        ['CacheDown', 'docs/cahce/runbook.md'],
        ['CacheSlow', 'docs/cache/runbook.md'],
      ]),
      'docs/api/runbook.md': RUNBOOK,
      'docs/db/runbook.md': RUNBOOK,
      'docs/queue/runbook.md': RUNBOOK,
      'docs/cache/runbook.md': RUNBOOK,
    });
    assert.equal(res.engine.config.alerts.runbookPathsFrom, 'root');
    const broken = findingsFor(res, 'monitoring/alerts/svc.yml', 'alert/runbook-broken');
    assert.deepEqual(broken.map((f) => f.message.split(':')[0]), ["Alert 'CacheDown'"]);
    // The fix keeps the repository's way of writing it: a path from the root, not `../../docs/…`.
    assert.match(broken[0].fixes![0].edits[0].newText, /^docs\/cache\/runbook\.md$/);
    res.dispose();
  });

  it('accepts a bare path that resolves from the alert file\'s folder or from the root, whichever the convention', async () => {
    const res = await lintFixture({
      'alerts/svc.yml': alertFile([
        ['A', 'runbooks/a.md'],
        ['B', 'docs/b.md'],
      ]),
      'alerts/runbooks/a.md': RUNBOOK,
      'docs/b.md': RUNBOOK,
    });
    assert.deepEqual(findingsFor(res, 'alerts/svc.yml', 'alert/runbook-broken'), []);
    // A link that names nothing either way is still broken.
    const bad = await lintFixture({ 'alerts/svc.yml': alertFile([['A', 'docs/nothing.md']]), 'docs/b.md': RUNBOOK });
    assert.equal(findingsFor(bad, 'alerts/svc.yml', 'alert/runbook-broken').length, 1);
    res.dispose();
    bad.dispose();
  });

  it('counts a one-line `title` annotation as a summary, not a multi-line one', async () => {
    const text = lines(
      'groups:',
      '  - name: g',
      '    rules:',
      '      - alert: A',
      '        expr: up == 0',
      '        labels: {team: core, severity: warning}',
      '        annotations:',
      '          title: API is down',
      '      - alert: B',
      '        expr: up == 0',
      '        labels: {team: core, severity: warning}',
      '        annotations:',
      '          summary: x',
      '      - alert: C',
      '        expr: up == 0',
      '        labels: {team: core, severity: warning}',
      '        annotations:',
      '          title: |',
      '            line one',
      '            line two',
    );
    const res = await lintFixture({ 'a.yml': text }, { rule: 'alert/summary-missing' });
    assert.deepEqual(findingsFor(res, 'a.yml').map((f) => f.message.split("'")[1]), ['C']);
    res.dispose();
  });

  it('takes `link` and `playbook` annotations as runbook links when the repository uses them', async () => {
    for (const key of ['link', 'playbook']) {
      const res = await lintFixture({
        'alerts/svc.yml': alertFile([
          ['A', 'https://wiki.example.com/a'],
          ['B', 'https://wiki.example.com/b'],
          ['C', 'https://wiki.example.com/c'],
        ], key),
      });
      assert.deepEqual(res.engine.config.alerts.runbookAnnotations, [key], key);
      assert.deepEqual(findingsFor(res, 'alerts/svc.yml', 'alert/runbook-missing'), [], key);
      res.dispose();
    }
  });

  it('says to move a runbook link put under `labels:` to annotations', async () => {
    const text = lines('groups:', '  - name: g', '    rules:', '      - alert: A', '        expr: up == 0', '        labels:', '          severity: warning', '          runbook_url: https://wiki.example.com/a');
    const res = await lintFixture({ 'a.yml': text }, { rule: 'alert/runbook-missing' });
    const [f] = findingsFor(res, 'a.yml');
    assert.match(f.message, /puts its runbook link under `labels:` \(`runbook_url`\): move it to `annotations:`/);
    assert.deepEqual(rangeOf(f), [7, 10, 7, 49]);
    res.dispose();
  });
});

describe('issue 15: what the repository already tells other linters', () => {
  const TASKS = lines(
    '- name: Migrate  # noqa no-changed-when',
    '  ansible.builtin.command: /opt/app/migrate',
    '',
    '- name: Reindex',
    '  ansible.builtin.command: /opt/app/reindex',
  );

  it('honours `# noqa <id>` on the task\'s first line for the rules whose crosswalk names it, and records who suppressed it', async () => {
    const res = await lintFixture({ 'roles/app/tasks/main.yml': TASKS }, { rule: 'ansible/changed-when-missing' });
    assert.deepEqual(findingsFor(res, 'roles/app/tasks/main.yml').map((f) => f.range.start.line), [4]);
    const [s] = res.engine.externallySuppressed();
    assert.equal(s.ruleId, 'ansible/changed-when-missing');
    assert.equal(s.range.start.line, 1);
    assert.deepEqual({ ...s.suppressedBy, path: path.posix.basename(s.suppressedBy.path) }, { tool: 'ansible-lint', id: 'no-changed-when', text: '# noqa no-changed-when', path: 'main.yml', line: 0 });
    // A noqa naming another check suppresses nothing here.
    const other = await lintFixture({ 'roles/app/tasks/main.yml': TASKS.replace('no-changed-when', 'risky-shell-pipe') }, { rule: 'ansible/changed-when-missing' });
    assert.equal(other.findings.length, 2);
    res.dispose();
    other.dispose();
  });

  it('honours `# noqa` on any line of the task, also after a module that takes a nested mapping', async () => {
    // The module's arguments (`msg:`) are indented deeper than the `ignore_errors:` line: the
    // comment still belongs to the task, not to the module's mapping above it.
    const text = lines(
      '- name: Stop when unsupported',
      '  ansible.builtin.fail:',
      '    msg: unsupported',
      '  ignore_errors: true  # noqa ignore-errors',
      '- name: Warm the cache',
      '  ansible.builtin.uri:',
      '    url: http://localhost/warm',
      '    method: POST',
      '  ignore_errors: true',
      '- name: Packages',
      '  ansible.builtin.apt:',
      '    name:',
      '      - curl',
      '      - git  # noqa package-latest',
      '    state: latest',
    );
    const res = await lintFixture({ 'roles/app/tasks/main.yml': text });
    const got = (fs: { ruleId: string; range: { start: { line: number } } }[]) => fs.filter((f) => /ignore-errors|package-latest/.test(f.ruleId)).map((f) => `${f.ruleId}@${f.range.start.line}`).sort();
    assert.deepEqual(got(findingsFor(res, 'roles/app/tasks/main.yml')), ['ansible/ignore-errors@8']);
    assert.deepEqual(got(res.engine.externallySuppressed()), ['ansible/ignore-errors@3', 'ansible/package-latest@14']);
    res.dispose();
  });

  it('honours the `skip_ansible_lint` tag (list, flow or scalar) on the task it tags, for every rule with an ansible-lint equivalent', async () => {
    const text = lines(
      '- name: Set up the repository server',
      '  ansible.builtin.command: gitolite setup -pk admin.pub',
      '  tags:',
      '    - setup',
      '    - skip_ansible_lint',
      '- name: Copy the sync tool',
      '  ansible.builtin.command: cp -r /opt/src /opt/dst',
      '  tags: [sync, skip_ansible_lint]',
      '- ansible.builtin.shell: ./reindex.sh',
      '  tags: skip_ansible_lint',
      '- name: Reindex again',
      '  ansible.builtin.command: /opt/app/reindex',
      '  tags:',
      '    - reindex',
      '- name: Skip list in a var is no tag',
      '  ansible.builtin.command: /opt/app/other',
      '  vars:',
      '    notes:',
      '      - skip_ansible_lint',
    );
    const res = await lintFixture({ 'roles/app/tasks/main.yml': text });
    const got = (fs: { ruleId: string; range: { start: { line: number } } }[]) => fs.filter((f) => /changed-when|name-missing/.test(f.ruleId)).map((f) => `${f.ruleId}@${f.range.start.line}`).sort();
    assert.deepEqual(got(findingsFor(res, 'roles/app/tasks/main.yml')), ['ansible/changed-when-missing@11', 'ansible/changed-when-missing@15']);
    assert.deepEqual(got(res.engine.externallySuppressed()), ['ansible/changed-when-missing@1', 'ansible/changed-when-missing@6', 'ansible/changed-when-missing@8', 'ansible/name-missing@8']);
    const s = res.engine.externallySuppressed().find((f) => f.range.start.line === 1)!;
    assert.equal(s.suppressedBy.tool, 'ansible-lint');
    assert.equal(s.suppressedBy.text, 'tags: skip_ansible_lint');
    assert.equal(s.suppressedBy.line, 4);
    // A blanket opt-out is no decision about a credential shown in the run output.
    const secret = await lintFixture({ 'roles/app/tasks/main.yml': lines('- name: Register the client', '  ansible.builtin.command: app-register --password {{ client_password }}', '  changed_when: false', '  tags: [skip_ansible_lint]') });
    assert.deepEqual(findingsFor(secret, 'roles/app/tasks/main.yml').map((f) => f.ruleId), ['ansible/no-log-missing']);
    secret.dispose();
    res.dispose();
  });

  it('honours .ansible-lint `skip_list` everywhere and `exclude_paths` for its files', async () => {
    const noNoqa = TASKS.replace('  # noqa no-changed-when', '');
    const skip = await lintFixture({ '.ansible-lint': 'skip_list:\n  - no-changed-when\n', 'roles/app/tasks/main.yml': noNoqa }, { rule: 'ansible/changed-when-missing' });
    assert.deepEqual(skip.findings, []);
    assert.equal(skip.engine.externallySuppressed()[0].suppressedBy.line, -1);
    assert.ok(skip.engine.externallySuppressed()[0].suppressedBy.path.endsWith('/.ansible-lint'));
    const exclude = await lintFixture({ '.ansible-lint': 'exclude_paths:\n  - legacy/\n', 'legacy/tasks/main.yml': noNoqa, 'roles/app/tasks/main.yml': noNoqa }, { rule: 'ansible/changed-when-missing' });
    assert.deepEqual([...new Set(exclude.findings.map((f) => path.posix.relative(exclude.engine.index.root, f.path)))], ['roles/app/tasks/main.yml']);
    skip.dispose();
    exclude.dispose();
  });

  it('honours tflint-ignore, checkov:skip and trivy/tfsec:ignore on the block they annotate', async () => {
    const tf = lines(
      '# tflint-ignore: terraform_module_pinned_source',
      'module "vpc" {',
      '  source = "git::https://example.com/vpc.git"',
      '}',
      '',
      'module "db" {',
      '  source = "git::https://example.com/db.git"',
      '}',
      '',
      'resource "aws_s3_bucket" "site" {',
      '  #checkov:skip=CKV_AWS_20: a public website',
      '  bucket = "site"',
      '  acl    = "public-read"',
      '}',
      '',
      '#trivy:ignore:AVD-AWS-0107',
      'resource "aws_security_group_rule" "ssh" {',
      '  type        = "ingress"',
      '  from_port   = 22',
      '  to_port     = 22',
      '  protocol    = "tcp"',
      '  cidr_blocks = ["0.0.0.0/0"]',
      '}',
    );
    const res = await lintFixture({ 'main.tf': tf });
    const ids = (fs: { ruleId: string; range: { start: { line: number } } }[]) => fs.filter((f) => ['terraform/module-unpinned', 'terraform/public-bucket', 'terraform/open-ingress'].includes(f.ruleId)).map((f) => `${f.ruleId}@${f.range.start.line}`);
    assert.deepEqual(ids(findingsFor(res, 'main.tf')), ['terraform/module-unpinned@6']);
    assert.deepEqual(ids(res.engine.externallySuppressed()).sort(), ['terraform/module-unpinned@2', 'terraform/open-ingress@21', 'terraform/public-bucket@12']);
    assert.deepEqual(res.engine.externallySuppressed().map((s) => s.suppressedBy.tool).sort(), ['checkov', 'tflint', 'trivy']);
    res.dispose();
  });

  it('honours `# pint disable` for the rule it precedes and kube-linter\'s ignore-check annotation for its object', async () => {
    const rules = lines(
      'groups:',
      '  - name: g',
      '    rules:',
      '      # pint disable alerts/for',
      '      - alert: Flappy',
      '        expr: up == 0',
      '        labels: {severity: warning, team: core}',
      '        annotations: {summary: x, runbook_url: https://wiki.example.com/x}',
      '      - alert: Other',
      '        expr: up == 0',
      '        labels: {severity: warning, team: core}',
      '        annotations: {summary: x, runbook_url: https://wiki.example.com/x}',
    );
    const res = await lintFixture({ 'alerts.yml': rules }, { rule: 'alert/for-missing' });
    assert.deepEqual(findingsFor(res, 'alerts.yml').map((f) => f.message.split("'")[1]), ['Other']);
    const deploy = (annotation: string) =>
      lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  annotations:', `    ${annotation}`, 'spec:', '  template:', '    spec:', '      containers:', '        - name: web', '          image: nginx:latest');
    const k = await lintFixture({ 'k8s/web.yaml': deploy('ignore-check.kube-linter.io/latest-tag: "rolled by CD"') }, { rule: 'k8s/image-latest' });
    assert.deepEqual(k.findings, []);
    assert.equal(k.engine.externallySuppressed()[0].suppressedBy.tool, 'kube-linter');
    const unrelated = await lintFixture({ 'k8s/web.yaml': deploy('ignore-check.kube-linter.io/no-anti-affinity: "one replica"') }, { rule: 'k8s/image-latest' });
    assert.equal(unrelated.findings.length, 1);
    res.dispose();
    k.dispose();
    unrelated.dispose();
  });

  it('keeps them auditable: SARIF lists them with an external suppression, --verbose prints who suppressed them', async () => {
    const root = await writeWorkspace({ 'roles/app/tasks/main.yml': TASKS });
    let out = '';
    await main(['check', root, '--format', 'sarif', '--rule', 'ansible/changed-when-missing'], (s) => (out += s), () => undefined);
    const results = JSON.parse(out).runs[0].results as { suppressions?: { kind: string; justification: string }[]; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
    const suppressed = results.filter((r) => r.suppressions);
    assert.equal(results.length, 2);
    assert.equal(suppressed.length, 1);
    assert.equal(suppressed[0].suppressions![0].kind, 'external');
    assert.match(suppressed[0].suppressions![0].justification, /ansible-lint `# noqa no-changed-when` \(roles\/app\/tasks\/main\.yml:1\)/);
    let text = '';
    await main(['check', root, '--verbose', '--rule', 'ansible/changed-when-missing'], (s) => (text += s), () => undefined);
    assert.match(text, /suppressed roles\/app\/tasks\/main\.yml:2:\d+ ansible\/changed-when-missing by ansible-lint `# noqa no-changed-when`/);
    let quiet = '';
    await main(['check', root, '--rule', 'ansible/changed-when-missing'], (s) => (quiet += s), () => undefined);
    assert.match(quiet, /Suppressed 1 finding by other tools' comments or config \(ansible-lint\); --verbose lists them\./);
  });
});

describe('issue 15: one decision is one finding (the convention pass)', () => {
  const pm = (title: string, impact: boolean) =>
    lines(`# ${title}`, '', '## Summary', 'x', ...(impact ? ['', '## Impact', 'x'] : []), '', '## Timeline', 'x', '', '## Root cause', 'x', '', '## Action items', '- Fix it (owner: @sre, OPS-1)');

  it('reports a section no postmortem has once, naming the template, with a fix that adds it everywhere', async () => {
    const res = await lintFixture(
      { 'postmortems/2026-01-a.md': pm('A', false), 'postmortems/2026-02-b.md': pm('B', false), 'postmortems/template.md': pm('Template', false) },
      { rule: 'postmortem/section-missing' },
    );
    assert.equal(res.findings.length, 1);
    const [f] = res.findings;
    // The template is read, not checked (it is not a postmortem): the finding is on the first
    // postmortem in path order and names the template to start with.
    assert.ok(f.path.endsWith('postmortems/2026-01-a.md'));
    assert.match(f.message, /None of the 2 postmortems in this repository has a "Impact" or "Affected users" section in 2 files/);
    assert.match(f.message, /postmortems\.requiredSections.*Start with the template postmortems\/template\.md/);
    assert.equal(new Set(f.fixes![0].edits.map((e) => e.path)).size, 2);
    res.dispose();
  });

  it('names only a template of the same family as the subjects (a markdown template is no start for workflows)', async () => {
    const wf = (name: string) => lines(`name: ${name}`, 'on: push', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', '      - uses: some-org/some-action@v1');
    const res = await lintFixture(
      { '.github/workflows/a.yml': wf('a'), '.github/workflows/b.yml': wf('b'), 'RUNBOOK_TEMPLATE.md': lines('# Runbook template', '', '## Symptoms', 'x', '', '## Mitigation', 'x') },
      { rule: 'deploy/action-unpinned' },
    );
    assert.equal(res.findings.length, 1);
    assert.match(res.findings[0].message, /None of the \d+ /);
    assert.doesNotMatch(res.findings[0].message, /Start with the template/);
    res.dispose();
  });

  it('reports each straggler again as soon as one postmortem follows it', async () => {
    const res = await lintFixture(
      { 'postmortems/2026-01-a.md': pm('A', true), 'postmortems/2026-02-b.md': pm('B', false), 'postmortems/2026-03-c.md': pm('C', false) },
      { rule: 'postmortem/section-missing' },
    );
    assert.deepEqual(res.findings.map((f) => path.posix.basename(f.path)), ['2026-02-b.md', '2026-03-c.md']);
    assert.match(res.findings[0].message, /This postmortem has no "Impact" or "Affected users" section/);
    const fixed = applyFix(pm('B', false), res.findings[0].fixes![0]);
    assert.match(fixed, /## Impact/);
    res.dispose();
  });

  it('one item among many that happens to follow it does not make a convention (two, or one in five, do)', async () => {
    const items = (owned: number, n: number) =>
      lines('# Outage', '', '## Summary', 'x', '', '## Impact', 'x', '', '## Timeline', 'x', '', '## Root cause', 'x', '', '## Action items', ...Array.from({ length: n }, (_, i) => (i < owned ? `- Fix ${i} (owner: @sre, OPS-${i + 1})` : `- Fix ${i}`)));
    const one = await lintFixture({ 'postmortems/2026-01-a.md': items(1, 6), 'postmortems/2026-02-b.md': items(0, 6) }, { rule: 'postmortem/action-item-owner-missing' });
    assert.equal(one.findings.length, 1);
    assert.match(one.findings[0].message, /^Only 1 of the 12 postmortem action items in this repository follows the convention \(each names an owner/);
    const two = await lintFixture({ 'postmortems/2026-01-a.md': items(2, 6), 'postmortems/2026-02-b.md': items(0, 6) }, { rule: 'postmortem/action-item-owner-missing' });
    assert.equal(two.findings.length, 10);
    one.dispose();
    two.dispose();
  });

  it('an edit that adopts or drops the convention re-lints the other files', async () => {
    const alerts = (owner: boolean) => lines('groups:', '  - name: g', '    rules:', '      - alert: A', '        expr: up == 0', `        labels: {severity: warning${owner ? ', team: core' : ''}}`, '      - alert: B', '        expr: up == 0', '        labels: {severity: warning}');
    const res = await lintFixture({ 'a.yml': alerts(false), 'b.yml': alerts(false) }, { rule: 'alert/owner-missing' });
    const owner = () => [...res.engine.lintAll()].flatMap(([p, fs]) => fs.map((f) => `${path.posix.basename(p)}:${f.range.start.line}${f.message.startsWith('None') ? ' repo' : ''}`));
    assert.deepEqual(owner(), ['a.yml:3 repo']);
    const change = await res.engine.update(path.join(res.root, 'b.yml'), alerts(true));
    assert.ok(change.relint.some((p) => p.endsWith('/a.yml')), 'a.yml is re-linted: its stragglers are reported again');
    assert.deepEqual(owner(), ['a.yml:3', 'a.yml:6', 'b.yml:6']);
    const back = await res.engine.update(path.join(res.root, 'b.yml'), alerts(false));
    assert.ok(back.relint.some((p) => p.endsWith('/a.yml')));
    assert.deepEqual(owner(), ['a.yml:3 repo']);
    // An edit that changes no convention finding keeps the repository finding (the pass is reused).
    const comment = await res.engine.update(path.join(res.root, 'a.yml'), alerts(false) + '# reviewed\n');
    assert.deepEqual(comment.relint.map((p) => path.posix.basename(p)), ['a.yml']);
    assert.deepEqual(owner(), ['a.yml:3 repo']);
    const moved = await res.engine.update(path.join(res.root, 'b.yml'), '# moved down\n' + alerts(false));
    assert.deepEqual(owner(), ['a.yml:3 repo']);
    assert.ok(res.engine.lintFile(path.join(res.root, 'a.yml'))[0].fixes![0].edits.some((e) => e.path!.endsWith('/b.yml') && e.range.start.line === 6), 'the repository fix follows the edited file');
    void moved;
    res.dispose();
  });

  it('reports a default tag key no resource carries once, with the option to set', async () => {
    const tf = (n: number) => Array.from({ length: n }, (_, i) => `resource "aws_sqs_queue" "q${i}" {\n  tags = { Name = "q${i}" }\n}\n`).join('');
    const provider = 'provider "aws" {\n  region = "eu-west-1"\n}\n';
    const res = await lintFixture({ 'live/a/main.tf': provider + tf(2), 'live/b/main.tf': provider + tf(3) }, { rule: 'terraform/tags-missing' });
    assert.equal(res.findings.length, 1);
    assert.match(res.findings[0].message, /None of the 5 taggable resources .*`terraform\.requiredTags`/);
    res.dispose();
  });
});

describe('issue 15: tests and examples are not production', () => {
  const PLAY = lines(
    '- name: Deploy api',
    '  hosts: api_servers',
    '  vars:',
    '    db_password: "hunter2hunter2"',
    '  tasks:',
    '    - name: Migrate',
    '      ansible.builtin.command: /opt/api/migrate',
    '    - name: Restart',
    '      ansible.builtin.systemd:',
    '        name: api',
    '        state: restarted',
  );
  const PRODUCTION_ONLY = ['ansible/serial-missing', 'ansible/changed-when-missing', 'ansible/rollback-missing'];

  it('keeps production-only rules silent in Molecule scenarios, tests/, test-infra/, testdata/ and fixtures/, and security rules running', async () => {
    const res = await lintFixture({
      'site.yml': PLAY,
      'roles/api/molecule/default/converge.yml': PLAY,
      'test-infra/deploy.yml': PLAY,
      'tests/deploy.yml': PLAY,
      'fixtures/deploy.yml': PLAY,
      // ansible/rollback-missing and serial-missing are in the `all` profile: named here to show where they run.
      '.opsreview.yml': 'rules:\n  ansible/rollback-missing: warning\n  ansible/serial-missing: info\n',
    });
    const ids = (p: string) => [...new Set(findingsFor(res, p).map((f) => f.ruleId))].filter((id) => PRODUCTION_ONLY.includes(id) || id === 'ansible/secret-plaintext').sort();
    assert.deepEqual(ids('site.yml'), ['ansible/changed-when-missing', 'ansible/rollback-missing', 'ansible/secret-plaintext', 'ansible/serial-missing']);
    // Off production (Molecule scenarios, test infrastructure, tests/, fixtures/) the literal-secret
    // rules report only credential-shaped values (the non-production policy, nonProduction.ts):
    // a throwaway password there is part of the test.
    for (const p of ['roles/api/molecule/default/converge.yml', 'test-infra/deploy.yml', 'tests/deploy.yml', 'fixtures/deploy.yml']) assert.deepEqual(ids(p), [], p);
    res.dispose();
  });

  it('marks release gates, deploy rollback and runbook rollback as production-only, and the globs are configurable', async () => {
    for (const id of ['deploy/gate-missing', 'deploy/rollback-missing', 'runbook/rollback-missing', 'ansible/changed-when-missing', 'ansible/serial-missing']) {
      assert.equal(ALL_RULE_METAS.find((m) => m.id === id)?.productionOnly, true, id);
    }
    const res = await lintFixture({ 'molecule/default/converge.yml': PLAY }, { config: { nonProduction: [] }, rule: 'ansible/changed-when-missing' });
    assert.equal(res.findings.length, 1);
    res.dispose();
  });
});
