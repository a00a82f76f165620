import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { classify, classifyWithReason } from '../../src/engine/classify';
import { defaultConfig } from '../../src/engine/config/schema';
import { resolveRole, roleOfPath } from '../../src/engine/ansibleRoles';
import { learnSectionVocabulary, runbookSections } from '../../src/engine/conventions/markdownShape';
import { blankErb, blankMdx, parseFile } from '../../src/engine/parsers';
import type { MarkdownFile } from '../../src/engine/parsers/markdown';
import { ciJobs, deployCommand, executedText, productionDeploy } from '../../src/engine/rules/deploy/ciJobs';
import { roleFiles } from '../../src/engine/rules/ansible/ansibleUtil';
import { blankTemplateActions, parseYaml } from '../../src/engine/parsers/yaml';
import { fileRows } from '../../src/cli/files';
import { findingsFor, lintFixture, rangeOf } from './helpers';
import { loadFixture } from './fixtureFiles';

// Issue 15 item 1: files recognised by what they hold, wherever they live, and every markdown,
// YAML and HCL file listed by `opsreview files` (indexed with its kind, or not with its reason).
// Fixture: test/fixtures/recognition, a look-alike operations repository.

describe('recognition by content, at any depth', () => {
  let res: Awaited<ReturnType<typeof lintFixture>>;
  before(async () => {
    // (profile `all`: deploy/gate-missing and deploy/rollback-missing are off by default.)
    res = await lintFixture(loadFixture('recognition'), { config: { rules: { 'deploy/gate-missing': 'warning', 'deploy/rollback-missing': 'warning' } } });
  });
  const kindOf = (rel: string): string | undefined => res.engine.index.get(rel)?.kind;

  it('indexes every role file at any depth, and a collection role, by its part', () => {
    assert.equal(kindOf('ansible/roles/web/nginx/tasks/main.yml'), 'ansible-tasks');
    assert.equal(kindOf('ansible/roles/web/nginx/tasks/install/packages.yml'), 'ansible-tasks');
    assert.equal(kindOf('ansible/roles/web/nginx/handlers/main.yml'), 'ansible-tasks');
    assert.equal(kindOf('ansible/roles/web/nginx/defaults/main.yml'), 'ansible-vars');
    assert.equal(kindOf('collections/ansible_collections/acme/platform/roles/firewall/tasks/main.yml'), 'ansible-tasks');
    // A role's templates/ and meta/ are data, not tasks.
    assert.equal(kindOf('ansible/roles/web/nginx/templates/upstreams.yml'), undefined);
    assert.equal(kindOf('ansible/roles/web/nginx/meta/main.yml'), undefined);
  });

  it('resolves `role: group/role` by its path, a collection role by its name, a short name only when unique', () => {
    const files = (role: string) => roleFiles(res.engine.index, role, path.posix.join(res.engine.index.root, 'ansible/site.yml')).map((f) => f.relPath);
    assert.deepEqual(files('web/nginx'), ['ansible/roles/web/nginx/tasks/install/packages.yml', 'ansible/roles/web/nginx/tasks/main.yml', 'ansible/roles/web/nginx/handlers/main.yml']);
    assert.deepEqual(files('nginx'), files('web/nginx'), 'the short name is unique');
    assert.deepEqual(files('acme.platform.firewall'), ['collections/ansible_collections/acme/platform/roles/firewall/tasks/main.yml']);
    assert.deepEqual(files('common'), [], 'two roles are called common: the short name says neither');
    assert.deepEqual(files('db/common'), ['ansible/roles/db/common/tasks/main.yml']);
  });

  it('reads the roles a play applies for its rules (ansible/rollback-missing, named in .opsreview.yml)', async () => {
    const on = await lintFixture(loadFixture('recognition'), { rule: 'ansible/rollback-missing', config: { rules: { 'ansible/rollback-missing': 'warning' } } });
    assert.deepEqual(findingsFor(on, 'ansible/site.yml', 'ansible/rollback-missing').length, 1);
    assert.deepEqual(findingsFor(on, 'ansible/db.yml', 'ansible/rollback-missing'), [], 'an ambiguous role is not guessed');
    on.dispose();
  });

  it('roleOfPath and resolveRole: grouped roles, collections, nearest roles path', () => {
    assert.deepEqual(roleOfPath('roles/web/nginx/tasks/main.yml'), { name: 'web/nginx', dir: 'roles/web/nginx', part: 'tasks', isMain: true, fqcn: undefined });
    assert.equal(roleOfPath('x/ansible_collections/ns/coll/roles/r/handlers/main.yml')?.fqcn, 'ns.coll.r');
    assert.equal(roleOfPath('roles/r/files/tasks/x.yml')?.part, 'files');
    const dirs = ['a/roles/app', 'b/roles/app'].map((d) => roleOfPath(`${d}/tasks/main.yml`)!);
    assert.equal(resolveRole('app', dirs, 'b/site.yml'), 'b/roles/app', 'the roles path nearest the playbook');
    assert.equal(resolveRole('{{ role_name }}', dirs), undefined);
  });

  it('recognises pipelines by content wherever they live, and files a pipeline includes', () => {
    assert.equal(kindOf('build/templates/deploy-workflow.yml'), 'github-workflow');
    assert.equal(kindOf('ci/deploy.gitlab-ci.yml'), 'gitlab-ci');
    assert.equal(kindOf('ci/jobs/release.yml'), 'gitlab-ci');
    assert.match(res.engine.index.get('ci/jobs/release.yml')!.reason!, /include: local/);
    assert.equal(kindOf('cloudbuild.yaml'), 'cloud-build');
    assert.equal(kindOf('ci/cloudbuild-canary.yaml'), 'cloud-build');
  });

  it('runs the deploy rules on them: wrappers and Cloud Build steps deploy, printed commands do not', () => {
    const deploy = res.findings
      .filter((f) => ['deploy/gate-missing', 'deploy/rollback-missing', 'deploy/scan-missing'].includes(f.ruleId))
      .map((f) => `${path.posix.relative(res.engine.index.root, f.path)} ${f.ruleId} ${rangeOf(f).join(',')}`)
      .sort();
    assert.deepEqual(deploy, [
      // (Terraform applies through a wrapper, `make apply` or Terragrunt need a gate; their way
      // back is re-applying the previous commit, so no rollback job is asked of them.)
      'build/templates/deploy-workflow.yml deploy/gate-missing 5,2,5,18',
      'cloudbuild.yaml deploy/gate-missing 7,4,7,6',
      'cloudbuild.yaml deploy/rollback-missing 7,4,7,6',
      'cloudbuild.yaml deploy/scan-missing 4,4,4,6',
    ]);
    assert.match(findingsFor(res, 'build/templates/deploy-workflow.yml', 'deploy/gate-missing')[0].message, /tf-wrapper\.sh apply/);
    assert.match(findingsFor(res, 'cloudbuild.yaml', 'deploy/gate-missing')[0].message, /^Step 'deploy'.*waitFor/);
  });

  it('Cloud Build steps: command from entrypoint or image, waitFor, substitutions', () => {
    const y = parseYaml(
      'steps:\n  - id: tf\n    name: hashicorp/terraform:1.7.5\n    args: ["apply", "-auto-approve"]\n  - id: later\n    name: gcr.io/cloud-builders/kubectl\n    args: ["apply", "-f", "k8s/"]\n    waitFor: ["-"]\nsubstitutions:\n  _DEPLOY_ENV: production\n',
    );
    const jobs = ciJobs(y, 'cloud-build');
    assert.deepEqual(
      jobs.map((j) => [j.id, j.script, j.needs]),
      [
        ['tf', 'terraform apply -auto-approve', []],
        ['later', 'kubectl apply -f k8s/', []],
      ],
    );
    assert.equal(jobs[0].variables.DEPLOY_ENV, 'production');
    assert.match(productionDeploy(jobs[0])!, /terraform apply.*DEPLOY_ENV: production/);
  });

  it('a deploy command must run: echo, printf and comments only print it', () => {
    assert.equal(executedText('echo "terraform apply"').trim(), '');
    assert.equal(executedText('make build && echo done # then make apply').includes('apply'), false);
    assert.match(executedText('cd infra && terragrunt apply'), /terragrunt apply/);
    assert.match(executedText('bash -c "terraform apply -auto-approve"'), /terraform apply/);
    const job = (script: string) => ({ id: 'j', name: 'j', needs: [], script, steps: [], conditions: [], whens: [], hasNeeds: false, variables: {}, matrix: {}, inputs: {} }) as never;
    assert.equal(deployCommand(job('echo "run terraform apply"')), undefined);
    assert.equal(deployCommand(job('./tf-wrapper.sh apply prod')), './tf-wrapper.sh apply');
    assert.equal(deployCommand(job('make -C infra apply')), 'make -C infra apply');
    assert.equal(deployCommand(job('make test')), undefined);
  });

  it('reads markdown variants: ERB pages (tags blanked, positions kept), MDX, a README an alert links to', () => {
    assert.equal(kindOf('docs/source/runbooks/db-restore.html.md.erb'), 'runbook');
    assert.equal(kindOf('docs/guides/cache-flush.mdx'), 'runbook');
    assert.equal(kindOf('services/payments/README.md'), 'runbook');
    assert.equal(kindOf('services/billing/README.md'), undefined);
    const md = res.engine.index.get('docs/source/runbooks/db-restore.html.md.erb')!.parsed as MarkdownFile;
    const h1 = md.headings.find((h) => h.level === 1)!;
    assert.equal(h1.text, 'Restore the database');
    assert.equal(h1.range.start.line, 5, 'the line of the heading in the file');
    // MDX components and imports are markup, not placeholders.
    assert.deepEqual(findingsFor(res, 'docs/guides/cache-flush.mdx', 'runbook/placeholder'), []);
  });

  it('blankErb and blankMdx keep every offset', () => {
    const erb = 'a <%= x %>\n<% if y %>\n# H\n<% end %>\n';
    assert.equal(blankErb(erb).length, erb.length);
    assert.equal(blankErb(erb), 'a         \n          \n# H\n         \n');
    assert.equal(blankErb('unclosed <% x\nmore'), 'unclosed     \n    ');
    const mdx = "import X from './x';\n\n<Tabs>\n# Title\n</Tabs>\n```\n<Keep>\n```\n";
    const out = blankMdx(mdx);
    assert.equal(out.length, mdx.length);
    assert.match(out, /^ +\n\n +\n# Title\n +\n```\n<Keep>\n```\n$/);
    const parsed = parseFile('runbook', '<%# note %>\n# Title\n', 'x.html.md.erb') as MarkdownFile;
    assert.equal(parsed.headings[0].range.start.line, 1);
  });

  it('recognises Docker Compose files by name and by content, and runs the compose rules', () => {
    assert.equal(kindOf('deploy/docker-compose.prod.yml'), 'compose');
    assert.equal(kindOf('stack/app-stack.yml'), 'compose');
    const compose = res.findings
      .filter((f) => f.ruleId.startsWith('compose/'))
      .map((f) => `${path.posix.relative(res.engine.index.root, f.path)} ${f.ruleId} ${rangeOf(f).join(',')}`)
      .sort();
    assert.deepEqual(compose, [
      'deploy/docker-compose.prod.yml compose/image-unpinned 5,11,5,16',
      'deploy/docker-compose.prod.yml compose/image-unpinned 7,11,7,23',
      'deploy/docker-compose.prod.yml compose/privileged 8,4,8,20',
      'deploy/docker-compose.prod.yml compose/secret-literal 12,25,12,39',
      'deploy/docker-compose.prod.yml compose/secret-literal 18,8,18,32',
    ]);
  });

  it('runs the container rules on Terraform kubernetes_* workloads', () => {
    const k8s = findingsFor(res, 'infra/k8s.tf')
      .filter((f) => f.ruleId.startsWith('k8s/'))
      .map((f) => `${f.ruleId} ${rangeOf(f).join(',')}`)
      .sort();
    assert.deepEqual(k8s, ['k8s/image-latest 12,18,12,35', 'k8s/privileged 17,12,17,29', 'k8s/probes-missing 11,18,11,23', 'k8s/resources-missing 10,8,10,17']);
  });

  it('maps Grafana-managed alert rules into the alert model; lists contact points as not checked', () => {
    assert.equal(kindOf('grafana/provisioning/alerting/rules.yaml'), 'alert-rules');
    assert.deepEqual(res.engine.index.get('grafana/provisioning/alerting/rules.yaml')!.alerts!.map((a) => [a.name, a.labels.severity]), [['CheckoutLatencyHigh', 'critical']]);
    const alert = findingsFor(res, 'grafana/provisioning/alerting/rules.yaml')
      .map((f) => `${f.ruleId} ${rangeOf(f).join(',')}`)
      .sort();
    assert.deepEqual(alert, ['alert/for-missing 20,13,20,15', 'alert/owner-missing 8,8,8,34', 'alert/runbook-missing 8,8,8,34']);
    assert.equal(fileRows(res.engine).find((r) => r.file === 'grafana/provisioning/alerting/contact-points.yaml')?.code, 'grafana-provisioning');
  });

  it('`files` lists every markdown, YAML and HCL file: indexed with its kind, or not with a reason code', () => {
    const rows = fileRows(res.engine);
    const by = Object.fromEntries(rows.map((r) => [r.file, r]));
    for (const rel of Object.keys(loadFixture('recognition'))) assert.ok(by[rel], `${rel} is listed`);
    assert.equal(by['live/prod/terragrunt.hcl'].code, 'not-terraform');
    assert.equal(by['config/app.yml'].code, 'no-known-kind');
    assert.equal(by['ansible/roles/web/nginx/meta/main.yml'].code, 'role-meta');
    assert.equal(by['ansible/roles/web/nginx/templates/upstreams.yml'].code, 'role-data');
    assert.equal(by['services/billing/README.md'].code, 'project-doc');
    assert.ok(rows.every((r) => r.kind !== 'not indexed' || r.code), 'every row not indexed has a code');
  });
});

describe('classification look-alikes', () => {
  const config = defaultConfig();
  const cases: [string, string, string | undefined][] = [
    // A workflow template outside .github/workflows; a composite action is not a workflow.
    ['ci/templates/release.yaml', 'on:\n  workflow_call: {}\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n', 'github-workflow'],
    ['action.yml', 'name: x\nruns:\n  using: composite\n  steps:\n    - run: echo\n      shell: bash\n', undefined],
    // GitLab jobs by content; Bitbucket Pipelines are not GitLab.
    ['.gitlab/ci/build.yml', 'build:\n  stage: build\n  script:\n    - make\n', 'gitlab-ci'],
    ['bitbucket-pipelines.yml', 'pipelines:\n  default:\n    - step:\n        script:\n          - make\n', undefined],
    // Cloud Build, but not Drone or Woodpecker.
    ['deploy/cloudbuild.prod.yaml', 'steps:\n- name: gcr.io/cloud-builders/gcloud\n  args: [app, deploy]\n', 'cloud-build'],
    ['.woodpecker.yml', 'steps:\n  - name: build\n    image: golang:1.22\n    commands:\n      - go build\n', undefined],
    // Compose: by name, by content; a Helm values file with `services:` is not Compose.
    ['compose.yaml', 'services:\n  web:\n    image: nginx:1.25\n', 'compose'],
    ['chart/values.yaml', 'services:\n  web:\n    port: 80\n', undefined],
    // A standalone role's tasks, and a task folder beside playbooks; a Tekton task is a manifest.
    ['tasks/main.yml', '- name: Install\n  ansible.builtin.package:\n    name: git\n', 'ansible-tasks'],
    ['tekton/tasks/build.yaml', 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: b\n', 'k8s-manifest'],
    ['docs/tasks/list.yml', '- title: a\n  done: false\n', undefined],
    ['exercises/solutions/selinux_meta/tasks/main.yml', '---\n- name: Enforce\n  selinux:\n    state: enforcing\n', 'ansible-tasks'],
    ['compose.extras.yaml', '# extra services, commented out\n# services:\n', 'compose'],
    // Grouped roles at any depth.
    ['playbooks/roles/web/nginx/handlers/main.yml', '- name: restart\n  service: name=nginx state=restarted\n', 'ansible-tasks'],
    ['roles/app/vars/main/secrets.yml', 'x: 1\n', 'ansible-vars'],
    ['roles/app/files/tasks/copy.yml', '- name: a\n  copy: {}\n', undefined],
  ];
  for (const [p, text, kind] of cases) {
    it(`${p} -> ${kind ?? '(not indexed)'}`, () => assert.equal(classify(p, text, config), kind));
  }

  it('a README is a runbook only when an alert links to it or a glob names it', () => {
    const text = '# Payments\n\n## Mitigation\nFail over.\n';
    assert.equal(classify('svc/README.md', text, config), undefined);
    assert.equal(classify('svc/README.md', text, { ...config, runbooks: { ...config.runbooks, globs: ['svc/README.md'] } }), 'runbook');
    const hints = { linked: new Map([['svc/README.md', 'alert X (a.yml)']]), alertNames: new Map(), shape: true };
    assert.equal(classifyWithReason('svc/README.md', text, config, hints).kind, 'runbook');
    assert.equal(classifyWithReason('svc/CHANGELOG.md', text, config, { ...hints, linked: new Map([['svc/CHANGELOG.md', 'x']]) }).kind, undefined);
  });

  it('unknown YAML says why, with a code', () => {
    assert.equal(classifyWithReason('group_vars/all/vault.yml', '$ANSIBLE_VAULT;1.1;AES256\n01\n', config).code, 'vault-encrypted');
    assert.equal(classifyWithReason('secrets/prod.yml', '$ANSIBLE_VAULT;1.1;AES256\n01\n', config).code, 'vault-encrypted');
    assert.equal(classifyWithReason('x/empty.yml', '# nothing yet\n---\n', config).code, 'empty');
    assert.equal(classifyWithReason('x/app.yml', 'a: 1\n', config).code, 'no-known-kind');
  });
});

describe('templates read as YAML once their unquoted actions are blanked', () => {
  it('blankTemplateActions keeps quoted actions and every offset', () => {
    const text = 'metadata:\n  labels:\n    {{- include "labels" . | nindent 4 }}\n  namespace: {{ .Values.ns }}\nspec:\n  summary: "{{ $labels.job }} down"\n';
    const out = blankTemplateActions(text);
    assert.equal(out.length, text.length);
    assert.match(out, /^metadata:\n  labels:\n +\n  namespace: +\nspec:\n  summary: "\{\{ \$labels\.job \}\} down"\n$/);
  });

  it('a PrometheusRule in a chart\'s templates/ is checked; a template that breaks structure is still skipped', async () => {
    const res = await lintFixture({
      'chart/templates/rules.yaml':
        'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  labels:\n    {{- include "labels.common" . | nindent 4 }}\n  name: api\n  namespace: {{ .Values.namespace }}\nspec:\n  groups:\n  - name: api\n    rules:\n    - alert: ApiDown\n      expr: up{job="api"} == 0\n      labels:\n        severity: critical\n      annotations:\n        summary: \'{{`{{ $labels.instance }} is down`}}\'\n',
      'chart/templates/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n{{- range .Values.items }}\n  {{ .name }}: [\n{{- end }}\n',
    });
    assert.equal(res.engine.index.get('chart/templates/rules.yaml')?.kind, 'alert-rules');
    assert.deepEqual(res.engine.index.skipped.filter((s) => s.relPath === 'chart/templates/rules.yaml'), []);
    const rules = findingsFor(res, 'chart/templates/rules.yaml').map((f) => `${f.ruleId} ${rangeOf(f).join(',')}`);
    assert.ok(rules.includes('alert/for-missing 11,6,11,20'), rules.join('\n'));
    assert.ok(res.engine.index.skipped.some((s) => s.relPath === 'chart/templates/broken.yaml' && s.code === 'template'));
  });
});

describe('operations procedures recognised by their title', () => {
  const hints = { linked: new Map<string, string>(), alertNames: new Map<string, string>(), shape: true };
  const config = defaultConfig();
  const kind = (p: string, text: string) => classifyWithReason(p, text, config, hints);
  it('a title naming a procedure, with steps, is a runbook', () => {
    assert.equal(kind('docs/db/restore.md', '# Orders DB Restore Runbook\n\n## Inputs\n\n```sh\npg_restore -d orders x.dump\n```\n').kind, 'runbook');
    assert.equal(kind('guide/rotate.html.md.erb', '---\ntitle: Rotating access keys\n---\n# <%= current_page.data.title %>\n\n1. Create a new key\n2. Delete the old one\n').kind, 'runbook');
    assert.match(kind('ops/Troubleshooting.md', '# Troubleshooting the queue\n\n## Background\n\n```\nkubectl get pods\n```\n').reason, /titled as an operations procedure/);
  });
  it('but not without steps, not an index of runbooks, not agent instructions', () => {
    assert.equal(kind('docs/upgrade.md', '# Upgrade notes\n\nWe upgraded in May.\n\n## History\nProse only.\n').kind, undefined);
    assert.equal(kind('docs/index.md', '# Runbooks\n\n- [Disk full](disk.md)\n- [Node down](node.md)\n').kind, undefined);
    assert.equal(kind('AGENTS.md', '# db-runbooks\n\n## Layout\n## Tests\n## Style\n\n```\nmake\n```\n').kind, undefined);
  });
  it('a page of alert playbooks keyed by alert name; not a catalogue of the rules', () => {
    const page = '# Operations\n\n### QueueBacklogGrowing\nCheck consumers.\n\n### QueueConsumerCrashLooping\nRestart.\n\n### QueueDiskAlmostFull\nGrow the disk.\n';
    assert.match(kind('docs/ops.md', page).reason, /an alert playbook/);
    assert.equal(kind('site/queue.md', page.replace('Check consumers.', '```yaml\n- alert: QueueBacklogGrowing\n```')).kind, undefined);
    assert.equal(kind('docs/db.md', '# Databases\n\n#### PostgreSQL\n#### MariaDB\n#### MySQL\n').kind, undefined);
  });
});

describe('runbook section vocabulary', () => {
  it('widens the built-in titles', () => {
    assert.deepEqual(runbookSections('# X\n## Troubleshooting\n## Verification\n## Remediation\n'), ['Troubleshooting', 'Remediation', 'Verification']);
  });

  it('learns the titles the alert-linked pages share, and counts them', () => {
    const page = (extra: string) => `# Alert\n## Dashboards\nlink\n## Useful queries\nq\n${extra}`;
    const learned = learnSectionVocabulary([page(''), page('## Notes\n'), page(''), '# Other\n## Dashboards\n']);
    assert.deepEqual(learned, ['dashboards', 'useful queries']);
    assert.deepEqual(learnSectionVocabulary([page(''), page('')]), [], 'two pages are too few to learn from');
    assert.deepEqual(runbookSections('# Y\n## Dashboards\n## Useful queries\n', learned), ['dashboards', 'useful queries']);
    assert.deepEqual(runbookSections('# Y\n## Dashboards\n## Useful queries\n'), []);
  });

  it('recognises an unlinked page written in the repository\'s own vocabulary', async () => {
    const page = (name: string) => `# ${name}\n\n## Dashboards\nThe overview board.\n\n## Useful queries\n\`up == 0\`\n`;
    const alert = (name: string) => `      - alert: ${name}\n        expr: up == 0\n        labels:\n          severity: warning\n        annotations:\n          runbook_url: ../pages/${name}.md\n`;
    const res = await lintFixture({
      'rules/a.yml': `groups:\n  - name: g\n    rules:\n${['DiskFull', 'NodeDown', 'CertExpiring'].map(alert).join('')}`,
      'pages/DiskFull.md': page('DiskFull'),
      'pages/NodeDown.md': page('NodeDown'),
      'pages/CertExpiring.md': page('CertExpiring'),
      'pages/queue-backlog.md': page('Queue backlog'),
      'pages/notes.md': '# Notes\n\n## Dashboards\nOnly one section in common.\n',
    });
    assert.equal(res.engine.index.get('pages/queue-backlog.md')?.kind, 'runbook');
    assert.match(res.engine.index.get('pages/queue-backlog.md')!.reason!, /dashboards, useful queries/);
    assert.equal(res.engine.index.get('pages/notes.md'), undefined);
  });
});
