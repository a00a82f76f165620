import * as assert from 'node:assert/strict';
import { classify, classifyWithReason } from '../../src/engine/classify';
import { defaultConfig } from '../../src/engine/config/schema';

describe('classify', () => {
  const config = defaultConfig();
  const cases: [string, string, string | undefined][] = [
    ['runbooks/db-failover.md', '# Failover\n', 'runbook'],
    ['docs/ops/playbooks/cache.md', '# Cache\n', 'runbook'],
    ['docs/notes.md', '# Notes\n', undefined],
    ['docs/notes.md', '---\nowner: sre\nservice: checkout\n---\n# Notes\n', 'runbook'],
    ['runbooks/README.md', '# About these runbooks\n', undefined],
    ['runbooks/postmortems/2026-01-02-outage.md', '# Outage\n', 'postmortem'],
    ['docs/incident.md', '---\ntype: postmortem\n---\n# X\n', 'postmortem'],
    ['infra/main.tf', 'resource "x" "y" {}\n', 'terraform'],
    ['infra/prod.tfvars', 'a = 1\n', 'terraform-vars'],
    ['.github/workflows/deploy.yml', 'on: push\n', 'github-workflow'],
    ['.gitlab-ci.yml', 'stages: [test]\n', 'gitlab-ci'],
    ['alerts/api.yml', 'groups:\n  - name: api\n    rules:\n      - alert: High\n        expr: up == 0\n', 'alert-rules'],
    ['k8s/rules.yaml', 'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: x\n', 'alert-rules'],
    ['k8s/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n', 'k8s-manifest'],
    ['ansible/site.yml', '- hosts: web\n  tasks: []\n', 'ansible-playbook'],
    ['ansible/roles/web/tasks/main.yml', '- name: Install\n  apt: name=nginx\n', 'ansible-tasks'],
    ['ansible/roles/web/handlers/main.yml', '- name: restart\n  service: name=nginx state=restarted\n', 'ansible-tasks'],
    ['ansible/roles/web/defaults/main.yml', 'port: 80\n', 'ansible-vars'],
    ['ansible/group_vars/all.yml', 'x: 1\n', 'ansible-vars'],
    ['ansible/inventory/hosts', '[web]\nweb1\n', 'ansible-inventory'],
    // Ansible's own layout: extension-less vars files (host names may hold dots), indented plays.
    ['group_vars/all', 'x: 1\n', 'ansible-vars'],
    ['lamp/group_vars/dbservers', 'upassword: abc\n', 'ansible-vars'],
    ['group_vars/web/vars', 'x: 1\n', 'ansible-vars'],
    ['host_vars/db1.example.com', 'x: 1\n', 'ansible-vars'],
    ['group_vars/web/vault', '$ANSIBLE_VAULT;1.1;AES256\n6231\n', undefined],
    ['group_vars/README.md', '# Vars\n', undefined],
    ['group_vars/all.j2', 'x: {{ y }}\n', undefined],
    ['site.yml', '---\n# plays\n  - hosts: all\n    tasks: []\n', 'ansible-playbook'],
    ['site.yml', '  - name: Web\n    hosts: web\n    roles: [web]\n', 'ansible-playbook'],
    ['chart/values.yaml', 'ingress:\n  tls:\n    - hosts:\n        - example.local\n', undefined],
    ['config/list.yml', '- name: a\n  port: 1\n- name: b\n  tags:\n    - hosts: x\n', undefined],
    ['.opsreview.yml', 'rules: {}\n', 'opsreview-config'],
    ['config/app.yml', 'port: 8080\n', undefined],
    ['src/index.ts', 'export {}\n', undefined],
  ];
  for (const [p, text, kind] of cases) {
    it(`${p} -> ${kind ?? '(not indexed)'}`, () => {
      assert.equal(classify(p, text, config), kind);
    });
  }

  it('honours configured runbook globs', () => {
    const c = { ...config, runbooks: { ...config.runbooks, globs: ['ops/*.md'] } };
    assert.equal(classify('ops/restart.md', '# Restart\n', c), 'runbook');
    assert.equal(classify('runbooks/restart.md', '# Restart\n', c), undefined);
  });
});

describe('classification: templates, guides and decision records are not runbooks or postmortems', () => {
  const config = defaultConfig();
  const shape = { linked: new Map<string, string>(), alertNames: new Map<string, string>(), shape: true };
  const pm = '# Title (incident)\n\n## Summary\n\n## Impact\n\n## Timeline\n\n## Action items\n';

  it('a postmortem template of a template collection is a template, a postmortem is still one', () => {
    assert.equal(classifyWithReason('templates/postmortem-template-acme.md', pm, config, shape).code, 'template-or-guide');
    assert.equal(classifyWithReason('docs/runbook_template_db.md', '# DB\n\n## Steps\n\n```sh\npsql -c "select 1"\n```\n', config, shape).code, 'template-or-guide');
    assert.equal(classify('postmortems/2024-03-01-queue-outage.md', pm, config, shape), 'postmortem');
  });

  it('a guide to writing postmortems is a guide', () => {
    assert.equal(classifyWithReason('docs/how_to_write/effective_postmortems.md', '# Effective postmortems\n\n## Do\n\n- say "human error" never\n', config, shape).code, 'template-or-guide');
  });

  it('an ADR that reads like a procedure is a decision record; the same text under runbooks/ stays a runbook', () => {
    const adr = '# Migration strategy for tools\n\n## Status\n\nAccepted\n\n## Context\n\nWe run tools.\n\n## Decision\n\nMigrate.\n\n```sh\nkubectl apply -f x.yaml\n```\n';
    assert.equal(classifyWithReason('adrs/20260101-tools-migration.md', adr, config, shape).code, 'decision-record');
    assert.equal(classifyWithReason('docs/design/tools-migration.md', adr, config, shape).code, 'decision-record');
    assert.equal(classify('runbooks/tools-migration.md', adr, config, shape), 'runbook');
  });

  // Issue 15 (round 1): an implementation plan titled like a procedure was linted as a runbook.
  it('a plan, specification or RFC titled like a procedure is not a runbook by its shape', () => {
    const plan = '# Test Framework Migration — Implementation Plan\n\n## Task 1\n\n```sh\nkubectl -n app create token test-client\n```\n';
    assert.equal(classify('docs/superpowers/plans/2026-05-23-migration.md', plan, config, shape), undefined);
    assert.equal(classify('docs/specs/2026-05-23-migration-design.md', plan, config, shape), undefined);
    assert.equal(classify('runbooks/migration.md', plan, config, shape), 'runbook');
  });
});

describe('classification: runbook globs written for .md match markdown variants', () => {
  const config = defaultConfig();
  it('finds tech-docs, MDX and .markdown pages under runbooks/ by the default glob', () => {
    const text = '# Rotate the database credentials\n\nSteps to follow.\n';
    assert.equal(classify('source/runbooks/rotate-credentials.html.md.erb', text, config), 'runbook');
    assert.equal(classify('docs/runbooks/restore.mdx', text, config), 'runbook');
    assert.equal(classify('ops/runbooks/failover.markdown', text, config), 'runbook');
    assert.equal(classify('source/guides/rotate-credentials.html.md.erb', text, config), undefined);
  });
});
