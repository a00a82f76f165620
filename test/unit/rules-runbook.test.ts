import * as assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/engine/engine';
import { parseMarkdown } from '../../src/engine/parsers/markdown';
import { runbookRules } from '../../src/engine/rules/runbook';
import type { Finding } from '../../src/engine/types';
import { loadFixture } from './fixtureFiles';
import { applyFix, findingsFor, lintFixture, rangeOf, writeWorkspace } from './helpers';

const lines = (...l: string[]) => l.join('\n') + '\n';
const NOW = new Date('2026-11-25T00:00:00Z');

/** A runbook every rule of the pack is happy with. */
const CLEAN = lines(
  '---',
  'title: API deploy',
  'owner: sre',
  'service: api',
  'type: deploy',
  'tags: [api, team:sre]',
  'last_reviewed: 2026-10-01',
  '---',
  '# API deploy',
  '',
  '## Steps',
  '',
  '1. Check the [dashboard](https://grafana.example.com/d/api) and the [alerts](#rollback).',
  '2. Apply the release:',
  '',
  '   ```bash',
  '   kubectl -n prod apply -f deploy/api.yaml',
  '   ```',
  '',
  '## Rollback',
  '',
  '1. If the error rate stays above 1% for 5 minutes, roll back:',
  '',
  '   ```bash',
  '   kubectl -n prod rollout undo deployment/api',
  '   ```',
  '',
  '2. Verify the error rate is back to normal. See [escalation](other.md#contacts).',
  '',
  '## References',
  '- <https://wiki.example.com/api> <br>',
  '<details><summary>More</summary>Kept short.</details>',
);
const OTHER = lines('---', 'owner: sre', 'service: api', 'tags: [api, team:sre]', '---', '# Other', '', '## Contacts', '- #sre-oncall');

/** `l,c,l,c` of each finding of `ruleId` in `rel`. */
function ranges(fs: Finding[]): string[] {
  return fs.map((f) => rangeOf(f).join(','));
}

async function run(files: Record<string, string>, rule: string, config?: object, rel = 'runbooks/r.md'): Promise<Finding[]> {
  const res = await lintFixture(files, { rule, config, now: NOW });
  return findingsFor(res, rel, rule);
}

/** The only finding of `rule` on `text` (as runbooks/r.md), and its preferred fix applied. */
async function fixOf(text: string, rule: string, config?: object, extra: Record<string, string> = {}): Promise<{ finding: Finding; fixed: string }> {
  const fs = await run({ ...extra, 'runbooks/r.md': text }, rule, config);
  assert.equal(fs.length, 1, `one ${rule} finding: ${fs.map((f) => f.message).join(' | ')}`);
  const fix = fs[0].fixes?.find((x) => x.isPreferred) ?? fs[0].fixes?.[0];
  assert.ok(fix, 'has a fix');
  return { finding: fs[0], fixed: applyFix(text, fix!) };
}

async function assertSilent(text: string, rule: string, config?: object, extra: Record<string, string> = {}) {
  const fs = await run({ ...extra, 'runbooks/r.md': text }, rule, config);
  assert.deepEqual(fs.map((f) => f.message), []);
}

describe('runbook rules', function () {
  this.timeout(20000);

  it('stay silent on a clean runbook', async () => {
    const res = await lintFixture({ 'runbooks/r.md': CLEAN, 'runbooks/other.md': OTHER }, { config: { runbooks: { requiredTags: ['team'] } }, now: NOW });
    assert.deepEqual(
      findingsFor(res, 'runbooks/r.md').map((f) => `${f.ruleId}: ${f.message}`),
      [],
    );
  });

  describe('runbook/frontmatter-invalid', () => {
    const R = 'runbook/frontmatter-invalid';

    it('reports invalid YAML on the line that opens the unclosed collection', async () => {
      const fs = await run({ 'runbooks/r.md': lines('---', 'title: Broken', 'owner: [unclosed', '---', '# Broken') }, R);
      assert.equal(fs.length, 1);
      assert.deepEqual(ranges(fs), ['2,7,2,16']);
      assert.equal(fs[0].severity, 'error');
      assert.match(fs[0].message, /Invalid frontmatter YAML/);
    });

    it('reports an unclosed frontmatter block and duplicate keys', async () => {
      const open = await run({ 'runbooks/r.md': lines('---', 'owner: sre', '# Never closed') }, R);
      assert.deepEqual(ranges(open), ['0,0,0,3']);
      assert.match(open[0].message, /never closed/);
      const dup = await run({ 'runbooks/r.md': lines('---', 'owner: a', 'owner: b', 'service: api', '---', '# D') }, R);
      assert.deepEqual(ranges(dup), ['2,0,2,1']);
      assert.match(dup[0].message, /unique/);
    });

    it('reports keys of the wrong shape at their value', async () => {
      const text = lines(
        '---',
        'owner: {name: sre}', // 1
        'service: api',
        'tags:', // 3
        '  - api',
        '  - {team: sre}',
        'last_reviewed: [2026-01-01]', // 6
        'title: [a, b]', // 7
        '---',
        '# Shapes',
      );
      const fs = await run({ 'runbooks/r.md': text }, R);
      assert.deepEqual(
        fs.map((f) => `${rangeOf(f).join(',')} ${f.message}`),
        [
          '1,7,1,18 Frontmatter `owner` must be a single value (a string), not a map.',
          '4,2,6,0 Frontmatter `tags` must be a list of strings (`[db, team:payments]`) or a map of strings (`{team: payments}`), not a list holding a map.',
          '6,15,6,27 Frontmatter `last_reviewed` must be a date (YYYY-MM-DD), not a list.',
          '7,7,7,13 Frontmatter `title` must be a single value (a string), not a list.',
        ],
      );
    });

    it('accepts tags as a list, a map or a comma-separated string', async () => {
      for (const tags of ['[api, team:sre]', '{team: sre, tier: 1}', 'api, db', '\n  - api\n  - team:sre']) {
        await assertSilent(lines('---', 'owner: sre', 'service: api', `tags: ${tags}`, '---', '# T'), R);
      }
    });

    // Issue 7: valid frontmatter that lacks keys (a Hugo page with `title` and `weight`) is not
    // invalid; runbook/frontmatter-missing reports the keys, once.
    it('is silent on valid frontmatter that only lacks required keys', async () => {
      await assertSilent(lines('---', 'title: KubePodCrashLooping', 'weight: 20', '---', '# KubePodCrashLooping', '', '## Mitigation', '- Look at the logs.'), R);
      await assertSilent(lines('# No frontmatter', '', 'Steps.'), R);
    });

    it('runs on postmortems (invalid YAML) without asking for runbook keys', async () => {
      const pm = lines('---', 'type: postmortem', '---', '# Outage');
      assert.deepEqual(await run({ 'postmortems/p.md': pm }, R, undefined, 'postmortems/p.md'), []);
      const bad = await run({ 'postmortems/p.md': lines('---', 'type: postmortem', 'date: "2026', '---', '# Outage') }, R, undefined, 'postmortems/p.md');
      assert.equal(bad.length, 1);
      assert.equal(bad[0].range.start.line, 2);
    });

    it('is silent on a clean runbook and when switched off', async () => {
      await assertSilent(CLEAN, R, undefined, { 'runbooks/other.md': OTHER });
      await assertSilent(lines('---', 'owner: [x', '---', '# T'), R, { rules: { [R]: 'off' } });
    });
  });

  describe('runbook/frontmatter-missing', () => {
    const R = 'runbook/frontmatter-missing';

    // Issue 7: a Hugo runbook site (title and weight only) used to get three findings on the same
    // line (frontmatter-invalid for `service`, owner-missing, tags-missing): one cause, one finding.
    it('lists every missing key in one finding whose one fix adds them all', async () => {
      const text = lines('---', 'title: KubePodCrashLooping', 'weight: 20', '---', '# KubePodCrashLooping');
      const res = await lintFixture({ 'runbooks/r.md': text }, { now: NOW });
      const fs = findingsFor(res, 'runbooks/r.md');
      assert.deepEqual(fs.map((f) => f.ruleId), [R]);
      assert.deepEqual(rangeOf(fs[0]), [0, 0, 0, 3]);
      assert.equal(fs[0].severity, 'warning');
      assert.match(fs[0].message, /lacks the required keys `owner`, `service`, `tags`: add them/);
      assert.equal(fs[0].fixes!.length, 1);
      const fixed = applyFix(text, fs[0].fixes![0]);
      assert.equal(fixed, lines('---', 'title: KubePodCrashLooping', 'weight: 20', 'owner: <team>', 'service: <service>', 'tags: [<tag>]', '---', '# KubePodCrashLooping'));
      await assertSilent(fixed, R);
    });

    it('reports one missing key on the frontmatter, with a fix', async () => {
      const text = lines('---', 'owner: sre', 'tags: [api]', '---', '# T');
      const { finding, fixed } = await fixOf(text, R);
      assert.deepEqual(rangeOf(finding), [0, 0, 0, 3]);
      assert.match(finding.message, /required key `service`: add it/);
      assert.equal(fixed, lines('---', 'owner: sre', 'tags: [api]', 'service: <service>', '---', '# T'));
      await assertSilent(fixed, R);
    });

    it('completes an empty `owner:` line in place, and an empty tag list', async () => {
      const text = lines('---', 'owner:   # who?', 'service: api', 'tags: [api]', '---', '# T');
      const { finding, fixed } = await fixOf(text, R);
      assert.deepEqual(rangeOf(finding), [1, 0, 1, 5]);
      assert.match(finding.message, /`owner:` is empty/);
      assert.equal(fixed, lines('---', 'owner: <team>   # who?', 'service: api', 'tags: [api]', '---', '# T'));
      const empty = lines('---', 'owner: sre', 'service: api', 'tags: []', '---', '# T');
      const e = await fixOf(empty, R, { runbooks: { requiredTags: ['team'] } });
      assert.deepEqual(rangeOf(e.finding), [3, 0, 3, 4]);
      assert.equal(e.fixed, lines('---', 'owner: sre', 'service: api', 'tags: [team:<team>]', '---', '# T'));
    });

    it('creates the frontmatter on the title when there is none; honours requiredFrontmatter', async () => {
      const text = lines('', '# Restart the API', '', '- Restart it.');
      const { finding, fixed } = await fixOf(text, R);
      assert.deepEqual(rangeOf(finding), [1, 0, 1, 17]);
      assert.match(finding.message, /no frontmatter with the required keys `owner`, `service`, `tags`/);
      assert.equal(fixed, lines('---', 'owner: <team>', 'service: <service>', 'tags: [<tag>]', '---', '', '# Restart the API', '', '- Restart it.'));
      assert.equal(parseMarkdown(fixed).frontmatter?.valid, true);
      const config = { runbooks: { requiredFrontmatter: ['owner', 'service', 'last_reviewed'] } };
      const custom = await fixOf(lines('---', 'owner: sre', '---', '# T'), R, config);
      assert.equal(custom.fixed, lines('---', 'owner: sre', 'service: <service>', 'last_reviewed: <YYYY-MM-DD>', '---', '# T'));
      // lastReviewed counts for last_reviewed.
      await assertSilent(lines('---', 'owner: sre', 'service: a', 'lastReviewed: 2026-01-01', '---', '# T'), R, config);
    });

    it('accepts team for owner; leaves invalid YAML and wrong shapes to frontmatter-invalid; off and not required', async () => {
      await assertSilent(lines('---', 'team: payments', 'service: api', 'tags: [api]', '---', '# T'), R);
      await assertSilent(CLEAN, R, undefined, { 'runbooks/other.md': OTHER });
      await assertSilent(lines('---', 'owner: [x', '---', '# T'), R);
      await assertSilent(lines('---', 'owner: [a, b]', 'service: api', 'tags: 5', '---', '# T'), R);
      await assertSilent(lines('# T'), R, { runbooks: { requiredFrontmatter: [] } });
      await assertSilent(lines('# T'), R, { rules: { [R]: 'off' } });
    });

    it('keeps the retired id runbook/owner-missing working in config and comments, with a config warning', async () => {
      const res = await lintFixture({ 'runbooks/r.md': lines('# T') }, { config: { rules: { 'runbook/owner-missing': 'off' } }, now: NOW });
      assert.deepEqual(findingsFor(res, 'runbooks/r.md', R), []);
      const [warning] = findingsFor(res, '.opsreview.yml', 'opsreview/config-invalid');
      assert.equal(warning.severity, 'warning');
      assert.match(warning.message, /rules\.runbook\/owner-missing: this rule was merged into 'runbook\/frontmatter-missing'.*rename the key/);
      assert.deepEqual(res.engine.configErrors, [], 'a retired id does not invalidate the config');
      const suppressed = await lintFixture({ 'runbooks/r.md': lines('<!-- opsreview-disable runbook/owner-missing -->', '# T') }, { now: NOW });
      assert.deepEqual(findingsFor(suppressed, 'runbooks/r.md').map((f) => f.ruleId), []);
    });
  });

  describe('runbook/tags-missing', () => {
    const R = 'runbook/tags-missing';

    it('leaves a runbook without tags to frontmatter-missing while `tags` is required; else asks for the required keys', async () => {
      const config = { runbooks: { requiredTags: ['team'] } };
      await assertSilent(lines('---', 'owner: sre', '---', '# T'), R, config);
      const own = { runbooks: { requiredTags: ['team'], requiredFrontmatter: ['owner'] } };
      const { finding, fixed } = await fixOf(lines('---', 'owner: sre', '---', '# T'), R, own);
      assert.deepEqual(rangeOf(finding), [0, 0, 0, 3]);
      assert.match(finding.message, /no tags: add `tags:` with `team:…`/);
      assert.equal(fixed, lines('---', 'owner: sre', 'tags: [team:<team>]', '---', '# T'));
      await assertSilent(fixed, R, own);
    });

    it('reports required tag keys missing from a flow list, a block list, a map and a string', async () => {
      const config = { runbooks: { requiredTags: ['team', 'tier'] } };
      const cases: [string[], string, string[]][] = [
        [['tags: [api, team:sre]'], '2,6,2,21', ['tags: [api, team:sre, tier:<tier>]']],
        [['tags:', '  - api', '  - tier:1'], '3,2,5,0', ['tags:', '  - api', '  - tier:1', '  - team:<team>']],
        [['tags:', '  team: sre'], '3,2,4,0', ['tags:', '  team: sre', '  tier: <tier>']],
        [['tags: {team: sre}'], '2,6,2,17', ['tags: {team: sre, tier: <tier>}']],
        [['tags: api, team:sre'], '2,6,2,19', ['tags: api, team:sre, tier:<tier>']],
      ];
      for (const [tagLines, range, fixedLines] of cases) {
        const text = lines('---', 'owner: sre', ...tagLines, '---', '# T');
        const { finding, fixed } = await fixOf(text, R, config);
        assert.equal(rangeOf(finding).join(','), range, tagLines.join('|'));
        assert.equal(fixed, lines('---', 'owner: sre', ...fixedLines, '---', '# T'), tagLines.join('|'));
        assert.equal(parseMarkdown(fixed).frontmatter?.valid, true, fixed);
        await assertSilent(fixed, R, config);
      }
    });

    it('is silent on a clean runbook, when tags are not required, and when off', async () => {
      await assertSilent(CLEAN, R, { runbooks: { requiredTags: ['team'] } }, { 'runbooks/other.md': OTHER });
      await assertSilent(lines('---', 'owner: sre', 'tags: [api]', '---', '# T'), R);
      await assertSilent(lines('---', 'owner: sre', 'tags: [api]', '---', '# T'), R, { runbooks: { requiredTags: ['team'] }, rules: { [R]: 'off' } });
    });
  });

  describe('runbook/review-stale', () => {
    const R = 'runbook/review-stale';
    const at = (d: string) => lines('---', 'owner: sre', `last_reviewed: ${d}`, '---', '# T');

    it('fires on the value when older than reviewMaxAgeDays (default 180)', async () => {
      const fs = await run({ 'runbooks/r.md': at('2026-05-01') }, R);
      assert.deepEqual(ranges(fs), ['2,15,2,25']);
      assert.equal(fs[0].severity, 'info');
      assert.match(fs[0].message, /Last reviewed 2026-05-01, 208 days ago \(review interval: 180 days\)/);
      await assertSilent(at('2026-05-29'), R); // 180 days: still fine
      assert.equal((await run({ 'runbooks/r.md': at('2026-05-28') }, R)).length, 1); // 181 days
    });

    it('honours reviewMaxAgeDays and the rule switch', async () => {
      assert.equal((await run({ 'runbooks/r.md': at('2026-10-01') }, R, { runbooks: { reviewMaxAgeDays: 30 } })).length, 1);
      await assertSilent(at('2026-05-01'), R, { runbooks: { reviewMaxAgeDays: 365 } });
      await assertSilent(at('2026-05-01'), R, { rules: { [R]: 'off' } });
    });

    it('reports a value that is not a date, quoted or not', async () => {
      const fs = await run({ 'runbooks/r.md': at('last spring') }, R);
      assert.deepEqual(ranges(fs), ['2,15,2,26']);
      assert.match(fs[0].message, /is not a date/);
      assert.equal((await run({ 'runbooks/r.md': at('2026-02-30') }, R)).length, 1);
      await assertSilent(at('"2026-11-01"'), R);
    });

    it('does not fire without last_reviewed', async () => {
      await assertSilent(lines('---', 'owner: sre', '---', '# T'), R);
      await assertSilent(lines('# T'), R);
    });
  });

  describe('runbook/rollback-missing', () => {
    const R = 'runbook/rollback-missing';

    it('fires on the type value of a change runbook and inserts the template at the end', async () => {
      const text = lines('---', 'owner: sre', 'type: deploy', '---', '# Deploy', '', '## Steps', '- Press the button.');
      const { finding, fixed } = await fixOf(text, R);
      assert.deepEqual(rangeOf(finding), [2, 6, 2, 12]);
      assert.match(finding.message, /`deploy` runbook but has no rollback section/);
      assert.equal(
        fixed,
        lines(
          '---',
          'owner: sre',
          'type: deploy',
          '---',
          '# Deploy',
          '',
          '## Steps',
          '- Press the button.',
          '',
          '## Rollback',
          '',
          '1. <how to tell the change must be rolled back: the alert, metric or error that says so>',
          '2. <the exact commands that undo the change>',
          '3. <how to verify the rollback worked: dashboards, health checks, error rate back to normal>',
        ),
      );
      await assertSilent(fixed, R);
    });

    it('fires on the first state-changing command and inserts before trailing References/Escalation', async () => {
      const text = lines(
        '# Scale the API', // 0
        '',
        '## Steps',
        '```bash',
        '# kubectl apply is commented out',
        'kubectl -n prod scale deploy/api --replicas=6', // 5
        'helm upgrade api ./chart',
        '```',
        'Keep an eye on it.',
        '## Escalation',
        '- Page #sre.',
        '',
        '## References',
        '- Dashboards.',
      );
      const { finding, fixed } = await fixOf(text, R);
      assert.deepEqual(rangeOf(finding), [5, 0, 5, 21]);
      assert.match(finding.message, /runs `kubectl -n prod scale` and 1 more state-changing step/);
      assert.equal(
        fixed,
        lines(
          '# Scale the API',
          '',
          '## Steps',
          '```bash',
          '# kubectl apply is commented out',
          'kubectl -n prod scale deploy/api --replicas=6',
          'helm upgrade api ./chart',
          '```',
          'Keep an eye on it.',
          '',
          '## Rollback',
          '',
          '1. <how to tell the change must be rolled back: the alert, metric or error that says so>',
          '2. <the exact commands that undo the change, e.g. `kubectl rollout undo`>',
          '3. <how to verify the rollback worked: dashboards, health checks, error rate back to normal>',
          '',
          '## Escalation',
          '- Page #sre.',
          '',
          '## References',
          '- Dashboards.',
        ),
      );
      await assertSilent(fixed, R);
    });

    it('recognises state-changing commands in list items and code blocks', async () => {
      const changing = [
        '- Run `terraform apply -auto-approve` in infra/.',
        '- `ansible-playbook -i prod site.yml`',
        '- sudo iptables -F INPUT',
        '- `alembic upgrade head`',
        '- `bundle exec rails db:migrate`',
        '- `flyway -url=jdbc:x migrate`',
        '- `kubectl set image deploy/api api=api:1.2`',
        '- `kubectl patch deploy/api -p \'{"spec":{"replicas":3}}\'`',
        '- `helm --namespace prod install api ./chart`',
        '- `python manage.py migrate`',
      ];
      for (const step of changing) {
        const fs = await run({ 'runbooks/r.md': lines('# T', '', step) }, R);
        assert.equal(fs.length, 1, step);
        assert.equal(fs[0].range.start.line, 2, step);
      }
      for (const step of ['- `kubectl get pods`', '- `helm status api`', '- `terraform plan`', '- `ansible-playbook site.yml --check`', '- `systemctl status nginx`', '- Restart the pods with kubectl.', '- Check `values.yaml` and `kubectl`.']) {
        await assertSilent(lines('# T', '', step), R);
      }
    });

    it('is silent on restarts, pod and lease deletions, failed-pod cleanup and rollbacks: there is nothing to roll back', async () => {
      const restarts = lines(
        '---',
        'type: maintenance',
        '---',
        '# Restart the ingress',
        '',
        '```bash',
        'kubectl -n ingress rollout restart deployment/ingress-nginx',
        'kubectl -n ingress delete pod ingress-nginx-7f9c',
        'kubectl -n kube-system delete lease kube-controller-manager',
        'kubectl delete pods -A --field-selector=status.phase=Failed',
        'sudo systemctl restart nginx',
        'kubectl get deploy ingress-nginx -o yaml > before.yaml',
        'kubectl -n ingress rollout undo deployment/ingress-nginx',
        'helm rollback ingress-nginx 41',
        '```',
        '',
        '- sudo systemctl reload haproxy',
      );
      await assertSilent(restarts, R);
      // A real change next to the restarts still asks for a rollback, on that change.
      const fs = await run({ 'runbooks/r.md': restarts.replace('```bash\n', '```bash\nkubectl -n ingress set image deployment/ingress-nginx nginx=nginx:1.27\n').replace('type: maintenance\n', '') }, R);
      assert.deepEqual(fs.map((f) => [f.range.start.line, f.message]), [[5, 'This runbook runs `kubectl -n ingress set image` but has no rollback section: add a "## Rollback" section that says when and how to undo the change, and how to verify it.']]);
    });

    // Issue 15 (round 1): steps with nothing to undo were asked for a rollback: a service stopped
    // or started, a throw-away pod, a short-lived token, planner statistics, a tool installed, old
    // kernels purged, a runtime kernel setting, a shard reroute, a restart by patch, a download.
    it('is silent on upkeep with nothing to undo: stop/start, throw-away pods, tokens, statistics, tools, retries, downloads', async () => {
      const upkeep = lines(
        '# Unstick the cluster',
        '',
        '```bash',
        'sudo systemctl stop redis-bigkeys-extract.service',
        'systemctl enable patroni && systemctl start patroni',
        'kubectl -n debug run shell --rm -i --tty --image busybox -- sh',
        'kubectl debug node/worker-1 -it --image=busybox',
        'TOKEN=$(kubectl -n app create token test-client --duration=10m)',
        'apt-get update && apt-get install -y pigz',
        "dpkg -l | grep linux-image | awk '{print $2}' | xargs apt-get -y purge",
        'brew install tcpflow',
        'sysctl -w vm.max_map_count=262144',
        "curl -XPOST https://es.example.com:9243/_cluster/reroute?retry_failed=true",
        'kubectl patch statefulset web -p "{\\"spec\\":{\\"template\\":{\\"metadata\\":{\\"labels\\":{\\"date\\":\\"`date +%s`\\"}}}}}"',
        'scp db-1.internal:/var/log/postgresql/postgresql.csv ./logs/',
        'docker run --rm -v "$PWD:/out" postgres:15 pg_dump -h db -f /out/app.sql app',
        '```',
        '',
        '```sql',
        'ANALYZE VERBOSE orders;',
        "COPY (SELECT * FROM pg_stat_activity) TO '/tmp/queries.csv' WITH CSV;",
        '```',
      );
      await assertSilent(upkeep, R);
      // A clean redeploy of the same manifests is the fix itself; deleting them alone is a change.
      await assertSilent(lines('# Clean deploy', '', '```', 'kubectl delete -f kubernetes-manifests', 'kubectl apply -f kubernetes-manifests', '```'), R);
      assert.equal((await run({ 'runbooks/r.md': lines('# Remove', '', '```', 'kubectl delete -f kubernetes-manifests', '```') }, R)).length, 1);
      // An upgrade pinned to a version, or a throw-away container that runs a migration, is a change.
      const pinned = await run({ 'runbooks/r.md': lines('# Upgrade', '', '```bash', 'apt-get install -y postgresql-13=13.14-1', '```') }, R);
      assert.match(pinned[0]?.message ?? '', /runs `apt-get install` but has no rollback section/);
      const migrate = await run({ 'runbooks/r.md': lines('# Migrate', '', '```bash', 'docker run --rm app:2.0 psql -h db -c "ALTER TABLE orders ADD COLUMN note text"', '```') }, R);
      assert.equal(migrate.length, 1);
      // Objects deleted from a bucket cannot come back: a backup or verification is asked for.
      const rm = await run({ 'runbooks/r.md': lines('# Free space', '', '```bash', 'gsutil rm -r gs://metrics-prod/01EKFRDZ/', '```') }, R);
      assert.match(rm[0]?.message ?? '', /cannot be undone \(deletes objects or buckets\)/);
    });

    // Issue 15 (round 1): the way back given in prose, or a backup of the state taken first.
    it('accepts a way back given in prose, or a backup of what the steps change taken before them', async () => {
      const tune = lines('# Set a runtime parameter', '', '```bash', 'mysql -e "SET GLOBAL max_connections = 500"', '```');
      assert.equal((await run({ 'runbooks/r.md': tune }, R)).length, 1);
      await assertSilent(tune + '\nA restart or failover reverts the change.\n', R);
      await assertSilent(tune + '\nTo roll back, set the value from `/etc/mysql/my.cnf` again.\n', R);
      const state = lines('# Move the cluster in the state', '', '1. Pull the state: `terraform state pull > default.tfstate`', '2. Edit it, then push it: `terraform state push default.tfstate`');
      await assertSilent(state, R);
      // Without the pull first, state surgery still asks for a way back; a database backup does not cover it.
      const rm = lines('# Drop the module from the state', '', '1. `pg_dump -Fc -f app.dump app`', '2. Run `terraform state rm module.asm`');
      assert.match((await run({ 'runbooks/r.md': rm }, R))[0]?.message ?? '', /runs `terraform state rm` but has no rollback section/);
    });

    it('asks for a backup or verification step, not a rollback, for a change that cannot be undone', async () => {
      const grow = lines('# Grow the data volume', '', '```bash', 'kubectl -n db patch pvc data-pg-0 -p \'{"spec":{"resources":{"requests":{"storage":"500Gi"}}}}\'', 'sudo resize2fs /dev/nvme1n1', '```');
      const { finding, fixed } = await fixOf(grow, R);
      assert.deepEqual(rangeOf(finding), [3, 0, 3, 23]);
      assert.equal(
        finding.message,
        'This runbook runs `kubectl -n db patch pvc`, which cannot be undone (grows a volume (it cannot shrink back)), but has no backup or verification step: take a backup or snapshot before it, and add a "## Verification" section that says how to check the result.',
      );
      assert.ok(fixed.endsWith('## Verification\n\n1. <the backup or snapshot to take before the change, and how to restore from it>\n2. <how to verify the change worked: the query, dashboard or health check, and what it should show>\n'), fixed);
      await assertSilent(fixed, R);
      // A verification section, a backup step, or a rollback section each answer it.
      await assertSilent(grow + '\n## Verify\n\n- `df -h /var/lib/postgresql` shows 500G.\n', R);
      await assertSilent(grow.replace('```bash\n', '```bash\naws ec2 create-snapshot --volume-id vol-0abc\n'), R);
      await assertSilent(grow + '\n## Rollback\n\n- Restore the snapshot.\n', R);
    });

    it('still fires for DROP, DELETE FROM, TRUNCATE and kubectl delete crds without a rollback, backup or verification', async () => {
      const cases: [string, string][] = [
        ['```sql\n-- clean up\nDROP TABLE legacy_events;\n```', '`DROP TABLE legacy_events`, which cannot be undone (drops the table and its data)'],
        ['```bash\npsql -h db -c "DELETE FROM jobs WHERE state = \'dead\'"\n```', 'which cannot be undone (deletes rows)'],
        ['```bash\nmysql -e "TRUNCATE TABLE sessions"\n```', 'which cannot be undone (deletes every row of a table)'],
        ['- `kubectl delete crds certificates.cert-manager.io`', '`kubectl delete crds`, which cannot be undone (deletes resource definitions and every object of them)'],
      ];
      for (const [step, expected] of cases) {
        const text = lines('# Clean up', '', step);
        const fs = await run({ 'runbooks/r.md': text }, R);
        assert.equal(fs.length, 1, step);
        assert.ok(fs[0].message.includes(expected), fs[0].message);
        assert.match(fs[0].message, /no backup or verification step/);
        await assertSilent(lines('# Clean up', '', '```bash', 'pg_dump -Fc -f /backup/app.dump app', '```', '', step), R);
      }
      // A `--persist` change is an ordinary change: a rollback section is asked for.
      const persist = await run({ 'runbooks/r.md': lines('# Tune', '', '```bash', 'mysql -e "SET PERSIST max_connections = 500"', '```') }, R);
      assert.match(persist[0]?.message ?? '', /runs `mysql -e "SET PERSIST max_connections = 500"` but has no rollback section/);
      // Mixed with an undoable change, the rollback section is what is asked for.
      const mixed = await run({ 'runbooks/r.md': lines('# Migrate', '', '```bash', 'psql -c "DROP TABLE old"', 'helm upgrade api ./chart', '```') }, R);
      assert.match(mixed[0]?.message ?? '', /runs `helm upgrade` but has no rollback section/);
    });

    it('accepts the configured rollback heading words, case-insensitively, as words', async () => {
      const body = (h: string) => lines('---', 'type: release', '---', '# T', '', `## ${h}`, '- Redeploy the previous tag.');
      for (const h of ['Rollback', 'How to roll back', 'Roll-back plan', 'REVERT', 'Back out']) await assertSilent(body(h), R);
      assert.equal((await run({ 'runbooks/r.md': body('Rollbacks are hard') }, R)).length, 1, 'not a word match');
      // Custom words replace the defaults, and name the inserted section.
      const config = { runbooks: { rollbackHeadings: ['Undo'] } };
      await assertSilent(body('Undo the release'), R, config);
      const { fixed } = await fixOf(body('Rollback'), R, config);
      assert.match(fixed, /\n## Undo\n\n1\. </);
    });

    it('honours changeTypes, and is silent on read-only runbooks and when off', async () => {
      const text = lines('---', 'type: maintenance', '---', '# T', '', '- Look at the graphs.');
      assert.equal((await run({ 'runbooks/r.md': text }, R)).length, 1);
      await assertSilent(text, R, { runbooks: { changeTypes: ['deploy'] } });
      await assertSilent(lines('---', 'type: incident', '---', '# T', '', '- `kubectl get pods`'), R);
      await assertSilent(text, R, { rules: { [R]: 'off' } });
      await assertSilent(CLEAN, R, undefined, { 'runbooks/other.md': OTHER });
    });

    it('keeps CRLF line endings in the inserted template', async () => {
      const text = '# T\r\n\r\n- `helm upgrade api ./chart`\r\n\r\n## See also\r\n- x\r\n';
      const { fixed } = await fixOf(text, R);
      assert.equal(
        fixed,
        '# T\r\n\r\n- `helm upgrade api ./chart`\r\n\r\n## Rollback\r\n\r\n' +
          '1. <how to tell the change must be rolled back: the alert, metric or error that says so>\r\n' +
          '2. <the exact commands that undo the change, e.g. `helm rollback <release> <revision>`>\r\n' +
          '3. <how to verify the rollback worked: dashboards, health checks, error rate back to normal>\r\n\r\n## See also\r\n- x\r\n',
      );
    });

    it('inserts with a blank line when the file does not end with a newline', async () => {
      const text = '# T\n\n- `terraform apply`';
      const { fixed } = await fixOf(text, R);
      assert.ok(fixed.startsWith('# T\n\n- `terraform apply`\n\n## Rollback\n\n1. <how'), fixed);
      assert.ok(fixed.endsWith('normal>\n'));
    });
  });

  describe('runbook/rollback-empty', () => {
    const R = 'runbook/rollback-empty';

    it('fires on the heading of an empty or placeholder-only rollback section', async () => {
      const cases: [string[], RegExp][] = [
        [['## Rollback', '', '## Contacts', '- #sre'], /holds nothing/],
        [['## Rollback', '- TODO', '- TBD: <command>'], /holds only placeholders/],
        [['## Rollback', 'Roll back if needed.'], /no concrete step/],
        [['## Rollback', '```', 'TODO', '```'], /holds only placeholders/],
      ];
      for (const [section, msg] of cases) {
        const fs = await run({ 'runbooks/r.md': lines('# T', '', ...section) }, R);
        assert.deepEqual(ranges(fs), ['2,0,2,11'], section.join('|'));
        assert.match(fs[0].message, msg);
      }
      // Issue 15 (round 1): a sentence that says how to undo it, or why there is no way back.
      await assertSilent(lines('# T', '', '## Rollback', 'Put the previous token back in Vault and restart Gitaly.'), R);
      await assertSilent(lines('# T', '', '## Rollback', 'A control-plane upgrade cannot be downgraded; open a support case with the vendor instead.'), R);
    });

    it('accepts a list item, a code block or a link to the procedure', async () => {
      await assertSilent(lines('# T', '## Rollback', '- Redeploy the previous tag.'), R);
      await assertSilent(lines('# T', '## Rollback', '```', 'helm rollback api', '```'), R);
      await assertSilent(lines('# T', '## Rollback', 'Follow [the rollback runbook](rollback.md).'), R);
      await assertSilent(lines('# T', '## Rollback', '### Database', '- Restore the snapshot.'), R);
      await assertSilent(CLEAN, R, undefined, { 'runbooks/other.md': OTHER });
    });

    it('uses the configured heading words and can be switched off', async () => {
      const text = lines('# T', '## Unwind', '', '## Next');
      await assertSilent(text, R);
      assert.deepEqual(ranges(await run({ 'runbooks/r.md': text }, R, { runbooks: { rollbackHeadings: ['unwind'] } })), ['1,0,1,9']);
      // `Undo` is one of the built-in words.
      assert.deepEqual(ranges(await run({ 'runbooks/r.md': lines('# T', '## Undo', '', '## Next') }, R)), ['1,0,1,7']);
      await assertSilent(lines('# T', '## Rollback'), R, { rules: { [R]: 'off' } });
    });
  });

  describe('runbook/placeholder', () => {
    const R = 'runbook/placeholder';

    it('reports postmortem template leftovers (HH:mm, XX:XX, ??, TBA, YYYY-MM-DD, 2022-05-??) and not filled-in dates, format descriptions, code or `??` inside words', async () => {
      const text = lines(
        '---',
        'type: postmortem',
        '---',
        '# Queue outage',
        '## Timeline',
        '| Time | Event |',
        '|---|---|',
        '| 2022-06-02 HH:mm | Pods were OOM killed |', // 7
        '| 2022-02-?? ??:?? | Nobody knows when |', // 8
        '| 14:?? | Scaled down |', // 9
        '| 20xx-MM-DD XX:XX | Short event description |', // 10
        '| 2022-05-25 14:10 | Investigation started |', // 11
        '| 2022-05-?? HH:mm | Detected on an unknown date in May |', // 12: the row says it is not known
        '## Impact',
        'Duration: ??. Fix: TBA. Date YYYY-MM-DD.', // 14
        'Timestamps use the format YYYY-MM-DD HH:mm (UTC). What happened??', // 15
        '`date -d "yyyy-MM-dd HH:mm"` and `a ?? b` are code; version 1.2.3 and 10:30 are not placeholders.', // 16
        '## Detection',
        'Paged at 2022-06-02 HH:mm.', // 18: alone in its section
      );
      const res = await lintFixture({ 'postmortems/2022-06-02-queue.md': text }, { rule: R });
      const fs = res.findings;
      // The timeline's template times are one cause (a timeline written a day at a time): one
      // finding on its heading, naming the lines. A single one, or several on one line, stay each.
      assert.deepEqual(
        fs.map((f) => `${f.range.start.line}:${text.split('\n')[f.range.start.line].slice(f.range.start.character, f.range.end.character)}`),
        ['4:## Timeline', '14:??', '14:TBA', '14:YYYY-MM-DD', '18:HH:mm'],
      );
      assert.match(fs[0].message, /^4 entries under "Timeline" keep a template date or time \(`HH:mm`, `2022-02-\?\? \?\?:\?\?`, `14:\?\?`, … on lines 8, 9, 10 and 1 more\): write the real times/);
      assert.match(fs[1].message, /`\?\?` is a template value that was never filled in: write the real value \(or say it is not known, and why\)/);
      assert.match(fs[2].message, /TBA left in the postmortem/);
      assert.match(fs[4].message, /`HH:mm` is a template value that was never filled in: write the real time \(or say it is not known, and why\)/);
    });

    it('leaves a postmortem\'s open value alone when the line says why it is open (TBA: …), and reports a bare TBA', async () => {
      const text = lines('---', 'type: postmortem', '---', '# Lag', '## Timeline', '| 2022-02-09 13:08 | Upgraded the exporter |', '| 2022-02-?? ??:?? | TBA: the problem remains until the consumers are reworked |', '## Impact', 'Duration: TBA');
      const res = await lintFixture({ 'postmortems/2022-02-09-lag.md': text }, { rule: R });
      assert.deepEqual(res.findings.map((f) => f.range.start.line), [8]);
    });

    it('leaves a template file alone, and TBD/TODO inside a postmortem\'s action items (the open question the item is about)', async () => {
      const pm = lines('---', 'type: postmortem', '---', '# Outage', '## Impact', 'Duration: TBD', '## Action items', "- Alert on consumer groups (what 'high' is: TBD), OPS-1 @sre", '## Lessons', 'TODO');
      const res = await lintFixture({ 'postmortems/2022-01-01-outage.md': pm, 'postmortems/PMyyyy-nnn - Postmortem template.md': pm }, { rule: R });
      assert.deepEqual(findingsFor(res, 'postmortems/2022-01-01-outage.md').map((f) => f.range.start.line), [5, 9]);
      assert.deepEqual(findingsFor(res, 'postmortems/PMyyyy-nnn - Postmortem template.md'), []);
    });

    it('reports each placeholder with its exact range', async () => {
      const text = lines(
        '---',
        'owner: <team>', // 1
        '---',
        '# Restart TODO', // 3
        '',
        '- Ticket INC-xxx, FIXME later', // 5
        '- Escalate to <team name> in #ops', // 6
        '```',
        'curl https://<host>/healthz  # TBD', // 8
        '```',
        'A <br> line, <details>, <https://example.com>, <ops@example.com>, List<String>, cat <<EOF and a TODOS list.', // 10
        '<!-- TODO: hidden note for authors -->', // 11
      );
      const fs = await run({ 'runbooks/r.md': text }, R);
      assert.deepEqual(
        fs.map((f) => `${rangeOf(f).join(',')} ${text.split('\n')[f.range.start.line].slice(f.range.start.character, f.range.end.character)}`),
        ['1,7,1,13 <team>', '3,10,3,14 TODO', '5,13,5,16 xxx', '5,18,5,23 FIXME', '6,14,6,25 <team name>', '8,31,8,34 TBD'],
      );
      assert.ok(fs.every((f) => f.severity === 'info'));
    });

    // Issue 15 (round 1): `<env>`, `<pod-name>` and `xxxx` in commands are the values a step takes
    // (the runner asks for them), `<none>` in sample output is what kubectl prints, and a quoted
    // error says `<project-id>` in the tool's words: none is a value someone forgot.
    it('reads code as code: parameters, sample output and quoted errors are not placeholders; TODO comments and template instructions are', async () => {
      const text = lines(
        '# Restart the API',
        '',
        'Run `kubectl logs <pod-name>` and `knife ssh roles:<env>-base-db` to see it.', // 2
        '```',
        'kubectl -n <namespace> rollout restart deploy/api', // 4
        'gcloud projects describe <project-id> --billing xxxxxx-yyyyyy', // 5
        '# TODO: check the replica lag first', // 6
        '<insert the failover command>', // 7
        '```',
        '```',
        'NAME         TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)', // 10
        'accounts-db  ClusterIP   10.48.23.153   <none>        5432/TCP', // 11
        'ERROR: the user does not have permission to access project <project-id>', // 12
        'WARN backup.go:12 see README: TODO about pg_cancel_backup', // 13
        '```',
        '    FIXME', // 15: an indented code block holding only a leftover
        '',
        'Details in [the runbook](TBD).', // 17: runbook/link-broken reports the link
      );
      const fs = await run({ 'runbooks/r.md': text }, R);
      assert.deepEqual(
        fs.map((f) => `${f.range.start.line}:${text.split('\n')[f.range.start.line].slice(f.range.start.character, f.range.end.character)}`),
        ['6:TODO', '7:<insert the failover command>', '15:FIXME'],
      );
    });

    // Issue 7: a generic runbook (one per alert, for every cluster) writes `<pod>` for "the pod the
    // alert names"; when the text says how to fill a placeholder in, it is not "never filled in".
    it('skips placeholders the runbook explains; keeps TODOs, template instructions and unexplained ones', async () => {
      const files = loadFixture('precision/generic-runbooks');
      const res = await lintFixture(files, { rule: R, now: NOW });
      const rel = 'content/runbooks/kubernetes/VolumeFillingUp.md';
      const text = files[rel];
      assert.deepEqual(
        findingsFor(res, rel).map((f) => `${f.range.start.line} ${text.split('\n')[f.range.start.line].slice(f.range.start.character, f.range.end.character)}`),
        ['25 TODO', '29 <Insert site specific measures, for example how to add a volume.>'],
      );
    });

    // Issue 7 (openshift/runbooks after runbook recognition): a repository of generic runbooks
    // writes `<namespace>` throughout; that is its notation, not 484 forgotten values.
    it('treats angle placeholders as notation where a quarter of ten or more runbooks use them in commands', async () => {
      const rb = (i: number, extra = ''): string => lines(`# R${i}`, '', '## Steps', '- Look at the dashboard.', extra);
      const files: Record<string, string> = {};
      for (let i = 0; i < 10; i++) files[`runbooks/r${i}.md`] = rb(i);
      for (let i = 0; i < 3; i++) files[`runbooks/r${i}.md`] = rb(i, '```sh\nkubectl -n <namespace> get pods\n```');
      files['runbooks/r3.md'] = rb(3, 'Check the logs of <cluster-name>.\n\nTODO\n\n<Insert site specific measures.>');
      files['runbooks/r4.md'] = lines('---', 'owner: <team>', '---') + rb(4, 'Logs show `node ip-10-0-1-2.xxxx-xxxx` and pod web-xxxxx.');
      const res = await lintFixture(files, { rule: R, now: NOW });
      const got = res.findings.map((f) => `${path.posix.basename(f.path)}:${f.range.start.line} ${f.message.slice(0, 24)}`).sort();
      assert.deepEqual(got, ['r3.md:6 TODO left in the runbook', 'r3.md:8 Placeholder `<Insert sit', 'r4.md:1 Placeholder `<team>` was']);
      // Two of ten is a forgotten value here and there: the one in prose is reported (those in
      // commands are parameters either way).
      delete files['runbooks/r2.md'];
      const few = await lintFixture({ ...files, 'runbooks/r2.md': rb(2) }, { rule: R, now: NOW });
      assert.deepEqual(few.findings.filter((f) => /^Placeholder `</.test(f.message)).map((f) => f.message.slice(0, 27)), ['Placeholder `<cluster-name>', 'Placeholder `<Insert site s', 'Placeholder `<team>` was ne']);
    });

    it('flags the placeholders of the inserted rollback template', async () => {
      const fs = await run({ 'runbooks/r.md': lines('# T', '## Rollback', '1. <how to verify the rollback worked: dashboards, health checks>') }, R);
      assert.deepEqual(ranges(fs), ['2,3,2,65']);
    });

    it('runs on postmortems; silent on clean text and when off', async () => {
      const pm = await run({ 'postmortems/p.md': lines('---', 'type: postmortem', '---', '# Outage', '- Root cause: TBD') }, R, undefined, 'postmortems/p.md');
      assert.deepEqual(ranges(pm), ['4,14,4,17']);
      await assertSilent(CLEAN, R, undefined, { 'runbooks/other.md': OTHER });
      await assertSilent(lines('# T', '- TODO'), R, { rules: { [R]: 'off' } });
    });
  });

  describe('runbook/link-broken', () => {
    it('accepts a documentation site link to the rendered page whose source the repository has, and still checks its anchor', async () => {
      const page = (body: string) => `---\ntitle: Rotate\nowner: sre\nservice: api\ntags: [api]\n---\n# Rotate keys\n\n## Steps\n${body}\n`;
      const res = await lintFixture(
        {
          'runbooks/index.md': page('See [rotate](rotate-keys.html), [restore](restore), [the steps](rotate-keys.html#steps), [nope](rotate-keys.html#nowhere) and [gone](gone.html).'),
          'runbooks/rotate-keys.html.md.erb': page('Rotate them.'),
          'runbooks/restore.md': page('Restore it.'),
        },
        { rule: 'runbook/link-broken' },
      );
      const msgs = findingsFor(res, 'runbooks/index.md', 'runbook/link-broken').map((f) => f.message);
      assert.equal(msgs.length, 2, msgs.join(' | '));
      assert.ok(msgs.some((m) => /gone\.html/.test(m) && /does not exist/.test(m)));
      assert.ok(msgs.some((m) => /nowhere/.test(m)));
    });

    const R = 'runbook/link-broken';
    const FAILOVER = lines('---', 'owner: dba', '---', '# DB failover', '', '## Promote the replica', '', '## Verify writes');

    it('reports a missing file at the link target and points it at the closest runbook', async () => {
      const text = lines('# T', '', 'First [fail over](./db-failovr.md#verify-writes).');
      const { finding, fixed } = await fixOf(text, R, undefined, { 'runbooks/db-failover.md': FAILOVER });
      assert.deepEqual(rangeOf(finding), [2, 18, 2, 47]);
      assert.match(finding.message, /Link target `\.\/db-failovr\.md` does not exist \(runbooks\/db-failovr\.md\); did you mean runbooks\/db-failover\.md\?/);
      assert.equal(fixed, lines('# T', '', 'First [fail over](./db-failover.md#verify-writes).'));
      await assertSilent(fixed, R, undefined, { 'runbooks/db-failover.md': FAILOVER });
    });

    // Issue 15 (round 1): a tech-docs site's renderer slugs `'` as `-39-` (`&#39;`).
    it('accepts the anchor a Redcarpet-style renderer makes of a heading with an apostrophe', async () => {
      const text = lines('# T', '', "- [The director's database is gone](#the-director-39-s-database-is-gone)", "- [Nope](#the-directors-db)", '', "## The director's database is gone");
      const fs = await run({ 'runbooks/r.md': text }, R);
      assert.deepEqual(fs.map((f) => f.range.start.line), [3]);
    });

    // Issue 15 (round 1): links of another rendered copy of the page, inside a Liquid conditional.
    it('does not judge links inside a Jekyll/Liquid conditional', async () => {
      const text = lines('# T', '', "{% if page.url contains 'rhel_90' %}", '[Next](../4-variables/README.md)', '{% else %}', '[Next](../1.4-variables/README.md)', '{% endif %}', '[Broken](../nowhere.md)');
      const fs = await run({ 'runbooks/r.md': text }, R);
      assert.deepEqual(fs.map((f) => f.range.start.line), [7]);
    });

    it('finds a runbook moved to another folder by its file name', async () => {
      const text = lines('# T', '', 'See [failover](db-failover.md).');
      const { fixed } = await fixOf(text, R, undefined, { 'runbooks/db/db-failover.md': FAILOVER });
      assert.equal(fixed, lines('# T', '', 'See [failover](db/db-failover.md).'));
    });

    it('offers no fix when nothing is close, and reports missing images and other files', async () => {
      const text = lines('# T', '', '[x](completely-different.md) ![graph](img/graph.png) [script](../scripts/run.sh) [dir](../scripts/)');
      const fs = await run({ 'runbooks/r.md': text, 'runbooks/db-failover.md': FAILOVER, 'scripts/run.sh': 'echo\n' }, R);
      assert.deepEqual(ranges(fs), ['2,4,2,27', '2,38,2,51']);
      assert.equal(fs[0].fixes, undefined);
      assert.match(fs[1].message, /^Image target `img\/graph\.png` does not exist/);
    });

    it('positions an image inside a link, and both when both are missing', async () => {
      const text = lines('# T', '', '[![status](img/status.svg)](status.md) and [ok](#t)');
      const fs = await run({ 'runbooks/r.md': text }, R);
      assert.deepEqual(ranges(fs), ['2,11,2,25', '2,28,2,37']);
      assert.deepEqual(fs.map((f) => f.message.split(' ')[0]), ['Image', 'Link']);
    });

    // Round 3: GitHub keeps the marks of keycap emoji (1️⃣) in its slugs and drops other emoji.
    it('accepts anchors of headings with keycap digits and emoji, as GitHub slugs them, and still reports a missing one', async () => {
      const text = loadFixture('runbook-emoji-anchors')['migration.md'];
      const fs = await run({ 'runbooks/migration.md': text }, R, undefined, 'runbooks/migration.md');
      assert.deepEqual(fs.map((f) => f.range.start.line), [9]);
      assert.match(fs[0].message, /No heading `#3️⃣-drain-the-old-cache`/);
    });

    it('reports an anchor that is no heading of the target, in another file or this one', async () => {
      const text = lines('# T', '', '## Steps', '', 'See [verify](db-failover.md#verify-write) and [steps](#step) and [ok](#steps) and [ok2](db-failover.md#promote-the-replica).');
      const fs = await run({ 'runbooks/r.md': text, 'runbooks/db-failover.md': FAILOVER }, R);
      assert.deepEqual(ranges(fs), ['4,13,4,40', '4,54,4,59']);
      assert.match(fs[0].message, /No heading `#verify-write` in runbooks\/db-failover\.md; did you mean #verify-writes\?/);
      assert.match(fs[1].message, /No heading `#step` in this file; did you mean #steps\?/);
      assert.equal(applyFix(text, fs[0].fixes![0]), text.replace('#verify-write)', '#verify-writes)'));
      assert.equal(applyFix(text, fs[1].fixes![0]), text.replace('(#step)', '(#steps)'));
    });

    it('knows duplicate-heading slugs and HTML anchors, and ignores external links and unread files', async () => {
      const text = lines(
        '# T',
        '## Check',
        '## Check',
        '<a id="custom"></a>',
        '[a](#check-1) [b](#custom) [c](https://example.com/x.md) [d](mailto:sre@example.com) [e](../README.md#anything) [f](/abs/path.md)',
      );
      await assertSilent(text, R, undefined, { 'README.md': '# Readme\n' });
    });

    it('re-raises the finding when the target is renamed, through the index', async () => {
      const A = lines('# A', '', 'See [restart](restart.md#steps).');
      const root = await writeWorkspace({ 'runbooks/a.md': A, 'runbooks/restart.md': lines('# Restart', '## Steps', '- x') });
      const engine = await Engine.create(root, { only: [R], now: NOW });
      assert.deepEqual(engine.lintFile('runbooks/a.md'), []);
      renameSync(path.join(root, 'runbooks/restart.md'), path.join(root, 'runbooks/restarts.md'));
      const change = await engine.rename(path.join(root, 'runbooks/restart.md'), path.join(root, 'runbooks/restarts.md'));
      assert.ok(change.relint.some((p) => p.endsWith('runbooks/a.md')), 'a.md is re-linted');
      const after = engine.lintFile('runbooks/a.md');
      assert.equal(after.length, 1);
      assert.deepEqual(rangeOf(after[0]), [2, 14, 2, 30]);
      assert.equal(applyFix(A, after[0].fixes![0]), lines('# A', '', 'See [restart](restarts.md#steps).'));
      // Re-creating the target clears it; editing the target's headings re-checks the anchor.
      writeFileSync(path.join(root, 'runbooks/restart.md'), lines('# Restart', '## Procedure'));
      const back = await engine.update(path.join(root, 'runbooks/restart.md'));
      assert.ok(back.relint.some((p) => p.endsWith('runbooks/a.md')));
      const anchor = engine.lintFile('runbooks/a.md');
      assert.equal(anchor.length, 1);
      assert.match(anchor[0].message, /No heading `#steps` in runbooks\/restart\.md/);
      writeFileSync(path.join(root, 'runbooks/restart.md'), lines('# Restart', '## Steps'));
      const edited = await engine.update(path.join(root, 'runbooks/restart.md'));
      assert.ok(edited.relint.some((p) => p.endsWith('runbooks/a.md')));
      assert.deepEqual(engine.lintFile('runbooks/a.md'), []);
    });

    it('is silent on a clean runbook and when off', async () => {
      await assertSilent(CLEAN, R, undefined, { 'runbooks/other.md': OTHER });
      await assertSilent(lines('# T', '[x](missing.md)'), R, { rules: { [R]: 'off' } });
    });
  });

  it('registers every rule of the pack', () => {
    assert.deepEqual(runbookRules.map((r) => r.meta.id).sort(), [
      'runbook/escalation-missing',
      'runbook/frontmatter-invalid',
      'runbook/frontmatter-missing',
      'runbook/link-broken',
      'runbook/placeholder',
      'runbook/review-stale',
      'runbook/rollback-empty',
      'runbook/rollback-missing',
      'runbook/tags-missing',
    ]);
    for (const r of runbookRules) assert.ok(r.meta.kinds.includes('runbook'), r.meta.id);
  });
});

describe('runbook/link-broken: an anchor left to fill in', () => {
  it('leaves `#TODO-url` to runbook/placeholder, and still reports a real missing anchor', async () => {
    const md = '---\nowner: sre\n---\n# Lost laptop\n\n## Steps\n\n1. Open a ticket, see [reference](#TODO-url).\n2. Follow [escalation](#escalation).\n';
    const r = await lintFixture({ 'runbooks/lost-laptop.md': md });
    const broken = findingsFor(r, 'runbooks/lost-laptop.md', 'runbook/link-broken');
    assert.deepEqual(broken.map((f) => f.message.match(/#[\w-]+/)?.[0]), ['#escalation']);
  });
});
