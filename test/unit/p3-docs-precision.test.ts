import * as assert from 'node:assert/strict';
import { classifyWithReason } from '../../src/engine/classify';
import { defaultConfig } from '../../src/engine/config/schema';
import { classifyLine } from '../../src/engine/runbook/commandEffect';
import { runbookSteps } from '../../src/engine/runbook/steps';
import { parseMarkdown } from '../../src/engine/parsers/markdown';
import { findingsFor, lintFixture } from './helpers';

// Issue 15, round 3 (docs): user documentation of a software product taken for the repository's
// own runbooks, and the steps that are not changes to roll back. Look-alike fixtures.

const lines = (...l: string[]) => l.join('\n') + '\n';

/** A module upgrade guide, as a product's docs/ keep one: titled as an upgrade, steps in a code block. */
const UPGRADE_GUIDE = lines(
  '# Upgrade from v4.x to v5.x',
  '',
  'Version 5 renames the node group resources. Move them in your state before you plan:',
  '',
  '```sh',
  'terraform state mv module.cluster.aws_node_group.this module.cluster.aws_node_group.default',
  'terraform apply',
  '```',
);

/** A troubleshooting page whose sections make it look like a runbook. */
const TROUBLESHOOTING = lines(
  '# Troubleshooting',
  '',
  '## Symptoms',
  '',
  'The installer stops with a permission error.',
  '',
  '## Resolution',
  '',
  '```sh',
  'kubectl delete deployment metrics-server -n kube-system',
  '```',
);

/** An operator's runbook in the same repository, under runbooks/: named by the default glob. */
const OWN_RUNBOOK = lines('# Rotate the database password', '', '## Steps', '', '```sh', 'kubectl -n prod patch secret db -p "{}"', '```');

describe('p3-docs: user documentation of a product is not the repository\'s own runbook', () => {
  const config = defaultConfig();
  const shape = { linked: new Map<string, string>(), alertNames: new Map<string, string>(), shape: true };

  it('in a repository that ships releases, a page recognised by its title or sections is user documentation (indexed, audience users)', () => {
    const product = { ...shape, product: 'CHANGELOG.md at the repository root' };
    for (const [p, text] of [['docs/UPGRADE-5.0.md', UPGRADE_GUIDE], ['docs/troubleshooting.md', TROUBLESHOOTING]] as const) {
      const c = classifyWithReason(p, text, config, product);
      assert.equal(c.kind, 'runbook', `${p} stays a procedure: ${c.reason}`);
      assert.equal(c.audience, 'users', c.reason);
      assert.match(c.reason, /user documentation/);
      // The same page in an operations repository is a runbook for its operators.
      const ops = classifyWithReason(p, text, config, shape);
      assert.equal(ops.kind, 'runbook');
      assert.equal(ops.audience, undefined);
    }
  });

  it('a glob, or a title that calls the page a playbook, keeps it the repository\'s own runbook', () => {
    const product = { ...shape, product: 'go.mod at the repository root' };
    assert.equal(classifyWithReason('runbooks/rotate.md', OWN_RUNBOOK, config, product).audience, undefined);
    const playbooks = lines('# Playbooks', '', '## CortexIngesterUnhealthy', '', '```sh', 'gsutil mv gs://b/t/BLOCK gs://b/t/corrupted-BLOCK', '```', '', '## CortexCompactorHasNotRun', '', 'Check the compactor logs.', '', '## CortexRequestErrors', '', 'Check the ingress.');
    const c = classifyWithReason('mixin/docs/playbooks.md', playbooks, config, product);
    assert.equal(c.kind, 'runbook');
    assert.equal(c.audience, undefined, c.reason);
  });

  it('course material and JSON-schema reference pages are not runbooks', () => {
    const course = lines('# Incident Response Training', '', '1. Open the incident channel', '', '```sh', 'pd incident create', '```');
    assert.equal(classifyWithReason('docs/training/courses/incident_response.md', course, config, shape).code, 'user-doc');
    const schema = lines('# None', '', '## Properties', '', '*additional properties: false*', '', '- **name**: *string*');
    assert.equal(classifyWithReason('tools/harness/playbooks/playbook.schema.md', schema, config, shape).code, 'user-doc', 'even under a playbooks/ folder');
    assert.equal(classifyWithReason('tools/harness/playbooks/format.md', schema, config, shape).code, 'user-doc', 'by its content');
  });

  it('rollback-missing and frontmatter-missing skip a product\'s user documentation; its own runbooks are still checked', async () => {
    const res = await lintFixture({
      'CHANGELOG.md': '# Changelog\n\n## 5.0.0\n- renamed node groups\n',
      'docs/UPGRADE-5.0.md': UPGRADE_GUIDE,
      'docs/troubleshooting.md': TROUBLESHOOTING,
      'runbooks/rotate.md': OWN_RUNBOOK,
    });
    try {
      for (const rel of ['docs/UPGRADE-5.0.md', 'docs/troubleshooting.md']) {
        assert.deepEqual(findingsFor(res, rel).map((f) => f.ruleId).filter((r) => /rollback-missing|frontmatter-missing/.test(r)), [], rel);
        assert.equal(res.engine.index.get(`${res.engine.index.root}/${rel}`)?.kind, 'runbook', `${rel} is still indexed`);
      }
      assert.deepEqual(findingsFor(res, 'runbooks/rotate.md', 'runbook/rollback-missing').length, 1, 'the repository\'s own runbook still needs its rollback');
    } finally {
      res.dispose();
    }
  });

  it('without release notes or a manifest at the root, the same pages are checked as runbooks', async () => {
    const res = await lintFixture({ 'docs/UPGRADE-5.0.md': UPGRADE_GUIDE, 'package.json': '{"private": true}\n' });
    try {
      assert.equal(findingsFor(res, 'docs/UPGRADE-5.0.md', 'runbook/rollback-missing').length, 1);
    } finally {
      res.dispose();
    }
  });
});

describe('p3-docs: steps that are no change to roll back', () => {
  const flags = (cmd: string): string => {
    const e = classifyLine(cmd)!;
    return [e.effect, e.restartLike && 'restart', e.reversible === false && 'irreversible', e.backup && 'backup', e.local && 'local', e.housekeeping && 'upkeep'].filter(Boolean).join(' ');
  };

  it('a placeholder in angle brackets is part of the word, not a redirection', () => {
    assert.equal(flags("curl -XPOST -u 'u:p' -d @move.json https://<deployment-id>.es.example:9243/_cluster/reroute?retry_failed=true"), 'changes upkeep');
    assert.equal(classifyLine('kubectl -n <namespace> delete pod <pod>')?.text, 'kubectl -n <namespace> delete pod');
    assert.equal(classifyLine('psql app < migrate.sql')?.effect, 'unknown', 'a real redirection still feeds the file (unseen) to psql');
  });

  it('a POST to a query endpoint reads; deleting a backup cannot be undone', () => {
    assert.equal(flags(`curl -d '[{"type":"gem","name":"rack"}]' https://deps.example.com/api/advisories/q`), 'reads');
    assert.equal(flags('curl -X POST https://es.example/logs/_msearch -d @q.json'), 'reads');
    assert.equal(flags('curl -sX POST "$API_URL/tasks/delete-backup" -d \'{"backup":"b-1"}\''), 'changes irreversible');
    assert.equal(flags('curl -X POST https://api.example/v1/users -d @user.json'), 'changes', 'a POST that creates still changes');
  });

  it('moving objects aside under a backup name is the backup; moving them elsewhere still changes', () => {
    assert.equal(flags('gsutil -m mv gs://metrics/ULID gs://metrics/backup-2024-01-02/ULID'), 'changes backup');
    assert.equal(flags('gsutil mv gs://b/t/BLOCK gs://b/t/corrupted-BLOCK'), 'changes');
  });

  it("a project's package manager changes the checkout, not production", () => {
    assert.equal(flags('bundle install'), 'changes local');
    assert.equal(flags('yarn add sass'), 'changes local');
    assert.equal(flags('apt-get install postgresql-13=13.4-1'), 'changes', 'a pinned system package still changes the host');
  });

  it('commands named in a row in a sentence are not steps; a command in a list item still is', () => {
    const md = parseMarkdown(lines('# X', '', '- The commands `oc logs`, `oc debug`, `oc attach` and `oc exec` will not work.', '- Then run `oc delete pod api-1`.'));
    assert.deepEqual(runbookSteps(md).map((s) => s.text), ['oc delete pod']);
  });

  it('a Result section showing what success returns is the recovery\'s verification', async () => {
    const restore = lines('# Restore a database', '', '## Examples', '', '```sh', 'curl -sX POST "$API/tasks/restore" -d \'{"target":"new-db"}\'', '```', '', '## Result', '', '```json', '{"restored": true}', '```');
    const res = await lintFixture({ 'runbooks/restore.md': restore, 'runbooks/restore-bare.md': restore.replace('## Result', '## Output notes') }, { rule: 'runbook/rollback-missing' });
    try {
      assert.equal(findingsFor(res, 'runbooks/restore.md').length, 0);
      assert.match(findingsFor(res, 'runbooks/restore-bare.md')[0]?.message ?? '', /no verification step/);
    } finally {
      res.dispose();
    }
  });
});

describe('p3-docs: links of a static site resolve as the published site does', () => {
  const page = (href: string) => lines('# Investigate a domain', '', '## Steps', '', `![DNS logs](${href})`, '', '```sh', 'aws logs tail dns', '```');

  it('a link climbing above the site root clamps at the root on a tech-docs (Middleman) site', async () => {
    const res = await lintFixture(
      {
        'config/tech-docs.yml': 'host: https://example.org\n',
        'source/images/dns.png': 'png',
        'source/runbooks/investigate.html.md.erb': page('../../images/dns.png'),
        'source/runbooks/broken.html.md.erb': page('../../images/missing.png'),
      },
      { rule: 'runbook/link-broken' },
    );
    try {
      assert.deepEqual(findingsFor(res, 'source/runbooks/investigate.html.md.erb'), []);
      assert.equal(findingsFor(res, 'source/runbooks/broken.html.md.erb').length, 1, 'a file missing on the site too is still broken');
    } finally {
      res.dispose();
    }
  });

  it('outside a static site, the same link is resolved in the repository and reported', async () => {
    const res = await lintFixture({ 'source/images/dns.png': 'png', 'source/runbooks/investigate.md': page('../../images/dns.png') }, { rule: 'runbook/link-broken' });
    try {
      assert.equal(findingsFor(res, 'source/runbooks/investigate.md').length, 1);
    } finally {
      res.dispose();
    }
  });
});

describe('p3-docs: placeholders of a template the operator copies into a change request', () => {
  it('skips <values> of the copied sections; reports them before the instruction, and TODOs inside', async () => {
    const text = lines(
      '# Upgrade the cluster',
      '',
      '## Before',
      '',
      'Ask <TEAM> first.',
      '',
      '## Procedure',
      '',
      '### Step 0',
      '',
      '* Copy and paste the below sections into a new change request',
      '* Replace `<CLUSTER>` with the cluster name',
      '',
      '### Summary',
      '',
      'Upgrade `<CLUSTER>` to `<VERSION>`. Part of <INSERT LINK TO THE ISSUE>.',
      '',
      '### Step 1',
      '',
      'TODO: say how to drain',
      '',
      '## After',
      '',
      'Tell <CHANNEL>.',
    );
    const res = await lintFixture({ 'runbooks/upgrade.md': text }, { rule: 'runbook/placeholder' });
    try {
      const got = findingsFor(res, 'runbooks/upgrade.md').map((f) => f.range.start.line + 1);
      assert.deepEqual(got, [5, 20, 24]);
    } finally {
      res.dispose();
    }
  });
});

describe('p3-docs: a change the runbook undoes itself', () => {
  it('a temporary mount unmounted further down leaves nothing to roll back; a mount left in place does', async () => {
    const paired = lines('# Test restore', '', '1. Make room:', '    ```', '    mount --rbind /var/opt/app/tmp /tmp', '    ```', '2. Run the restore.', '3. Unmount it with `umount /var/opt/app/tmp`');
    const left = lines('# Add a data disk', '', '```sh', 'mount /dev/sdb1 /var/lib/data', '```');
    const res = await lintFixture({ 'runbooks/paired.md': paired, 'runbooks/left.md': left }, { rule: 'runbook/rollback-missing' });
    try {
      assert.deepEqual(findingsFor(res, 'runbooks/paired.md'), []);
      assert.equal(findingsFor(res, 'runbooks/left.md').length, 1);
    } finally {
      res.dispose();
    }
  });
});

describe('p3-docs: steps that tune the alert itself', () => {
  it('editing the alert definition or disabling the alert is no change to roll back; a mitigation still is', async () => {
    const text = (mitigation: string) =>
      lines('# LatencyHigh', '', '## Mitigation', '', mitigation, '', '### Default definition', '', '```bash', 'oc edit flowcollector cluster', '```', '', '### Disable this alert entirely', '', '```bash', 'oc patch flowcollector cluster --type=json -p "[]"', '```');
    const res = await lintFixture({ 'runbooks/tuned.md': text('Check the flows.'), 'runbooks/mitigated.md': text('```bash\noc scale deploy/collector --replicas=4\n```') }, { rule: 'runbook/rollback-missing' });
    try {
      assert.deepEqual(findingsFor(res, 'runbooks/tuned.md'), []);
      assert.match(findingsFor(res, 'runbooks/mitigated.md')[0]?.message ?? '', /oc scale/);
    } finally {
      res.dispose();
    }
  });
});
