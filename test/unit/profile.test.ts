import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { builtinChecklists, checklistSchema, evaluateChecklist } from '../../src/engine/checklists';
import { parseConfigText } from '../../src/engine/config/load';
import { Engine } from '../../src/engine/engine';
import { secretEvidence } from '../../src/engine/rules/secretNames';
import { writeWorkspace } from './helpers';
import { effectiveSeverity, inProfile } from '../../src/engine/linter';
import { ALL_RULES, getRuleMeta } from '../../src/engine/rules';
import type { RuleMeta } from '../../src/engine/rules/types';

// Profiles: a rule marked `profile: 'all'` stays off under the default `recommended` profile
// unless `.opsreview.yml` names it; every other rule keeps its default severity.
describe('rule profiles (profile: recommended | all)', () => {
  const rule = ALL_RULES.find((r) => r.meta.id === 'runbook/review-stale')!;
  const meta = rule.meta as { -readonly [K in keyof RuleMeta]: RuleMeta[K] };
  let saved: RuleMeta['profile'];
  beforeEach(() => {
    saved = meta.profile;
    meta.profile = 'all';
  });
  afterEach(() => {
    meta.profile = saved;
  });

  it('defaults to recommended, which leaves a profile-all rule off', () => {
    const { config, errors } = parseConfigText('');
    assert.deepEqual(errors, []);
    assert.equal(config.profile, 'recommended');
    assert.equal(inProfile(meta.id, config), false);
    assert.equal(effectiveSeverity(meta.id, meta.defaultSeverity, config), 'off');
  });

  it('runs a profile-all rule under profile: all, at its default severity', () => {
    const { config } = parseConfigText('profile: all\n');
    assert.equal(effectiveSeverity(meta.id, meta.defaultSeverity, config), meta.defaultSeverity);
  });

  it('runs a profile-all rule that rules: names, at the severity given', () => {
    const { config } = parseConfigText(`rules:\n  ${meta.id}: error\n`);
    assert.equal(effectiveSeverity(meta.id, meta.defaultSeverity, config), 'error');
  });

  it('keeps recommended rules at their default severity', () => {
    const { config } = parseConfigText('');
    const other = ALL_RULES.find((r) => r.meta.id !== meta.id && r.meta.profile !== 'all')!;
    assert.equal(effectiveSeverity(other.meta.id, other.meta.defaultSeverity, config), other.meta.defaultSeverity);
  });

  it('rejects an unknown profile with a message naming the choices', () => {
    const { errors } = parseConfigText('profile: strict\n');
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /profile/);
    assert.match(errors[0].message, /recommended/);
  });
});

describe('rule profiles: a run that names a rule (--rule)', () => {
  // Whichever rules are in profile `all` today (the profile moves with the evidence).
  const inAll = ALL_RULES.filter((r) => r.meta.profile === 'all').map((r) => r.meta);
  it('runs a profile-all rule the run names, and not one it does not', () => {
    assert.ok(inAll.length >= 2, 'some rules are in profile all');
    const [one, other] = inAll;
    const { config } = parseConfigText('');
    assert.equal(effectiveSeverity(one.id, one.defaultSeverity, config, [one.id]), one.defaultSeverity);
    assert.equal(effectiveSeverity(one.id, one.defaultSeverity, config, [other.id]), 'off');
    assert.equal(effectiveSeverity(one.id, one.defaultSeverity, config), 'off');
  });
  it('does not turn on a rule .opsreview.yml switches off', () => {
    const [one] = inAll;
    const { config } = parseConfigText(`rules:\n  ${one.id}: off\n`);
    assert.equal(effectiveSeverity(one.id, one.defaultSeverity, config, [one.id]), 'off');
  });
});

// ---------------------------------------------------------------------------------------------
// Finding-level profile (issue 15): what a repository sees without configuration is mostly
// actionable. A finding whose evidence is weaker than the rule's others carries `profile: 'all'`
// and is reported only under `profile: all`, or when the rule is named (`rules:`, `--rule`).
// ---------------------------------------------------------------------------------------------

type Profile = 'recommended' | 'all';

/** `file:line ruleId` (1-based) of every finding of these rules, sorted. */
async function reported(files: Record<string, string>, ruleIds: string[], opts: { profile?: Profile; config?: object; only?: string[] } = {}): Promise<string[]> {
  const root = await writeWorkspace(files, opts.config);
  const engine = await Engine.create(root, { now: NOW, profile: opts.profile, only: opts.only });
  return engine
    .allFindings()
    .filter((f) => ruleIds.includes(f.ruleId))
    .map((f) => `${path.posix.relative(engine.index.root, f.path)}:${f.range.start.line + 1} ${f.ruleId}`)
    .sort();
}

const NOW = new Date('2026-11-25T00:00:00Z');

describe('profiles: the rules the finding-level tests read', () => {
  it('are in the recommended profile, so what they leave out there is the finding-level profile', () => {
    for (const id of ['terraform/hardcoded-secret', 'ansible/secret-plaintext', 'runbook/rollback-missing', 'alert/severity-missing', 'terraform/module-unpinned']) {
      assert.notEqual(ALL_RULES.find((r) => r.meta.id === id)?.meta.profile, 'all', id);
    }
  });
});

describe('profiles: literal secrets by the strength of their evidence', function () {
  this.timeout(30000);
  // A literal only its key name calls a secret (`changeme`), beside credential-shaped ones: an
  // AWS access key id (not AWS's documented EXAMPLE key), a PEM private key, a GitHub token.
  const PEM = '-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\\n-----END RSA PRIVATE KEY-----\\n';
  const TF = {
    'infra/main.tf': [
      'resource "aws_db_instance" "orders" {', // 1
      '  engine   = "postgres"',
      '  username = "orders"',
      '  password = "changeme"', // 4: a word
      '}',
      '',
      'provider "aws" {',
      '  region     = "eu-west-1"',
      '  access_key = "AKIA2JQX5MZ7R4WN6TBC"', // 9: an AWS access key id
      '}',
      '',
      'resource "tls_locally_signed_cert" "api" {',
      `  ca_private_key_pem = "${PEM}"`, // 13: a PEM private key
      '}',
      '',
    ].join('\n'),
  };
  const ANSIBLE = {
    'group_vars/all.yml': [
      'db_password: changeme', // 1: a word
      'aws_access_key: AKIA2JQX5MZ7R4WN6TBC', // 2
      'github_token: ghp_R7mK2xQ9vL4nT8wJ3pZ6yB1cF5hD0sA2eG7u', // 3
      'ssh_private_key: |', // 4: the PEM armor names the key; it is still the key
      '  -----BEGIN OPENSSH PRIVATE KEY-----',
      '  b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
      '  -----END OPENSSH PRIVATE KEY-----',
      '',
    ].join('\n'),
  };
  const TF_RULE = ['terraform/hardcoded-secret'];
  const ANSIBLE_RULE = ['ansible/secret-plaintext'];

  it('terraform/hardcoded-secret: the default reports the AWS key id and the private key, not `password = "changeme"`; `profile: all` reports all three', async () => {
    assert.deepEqual(await reported(TF, TF_RULE, { profile: 'recommended' }), ['infra/main.tf:13 terraform/hardcoded-secret', 'infra/main.tf:9 terraform/hardcoded-secret']);
    assert.deepEqual(await reported(TF, TF_RULE, { profile: 'all' }), ['infra/main.tf:13 terraform/hardcoded-secret', 'infra/main.tf:4 terraform/hardcoded-secret', 'infra/main.tf:9 terraform/hardcoded-secret']);
    // The config file's `profile: all` and the rule named under `rules:` report it too.
    assert.ok((await reported(TF, TF_RULE, { config: { profile: 'all' } })).includes('infra/main.tf:4 terraform/hardcoded-secret'));
    assert.ok((await reported(TF, TF_RULE, { config: { rules: { 'terraform/hardcoded-secret': 'error' } } })).includes('infra/main.tf:4 terraform/hardcoded-secret'));
  });

  it('ansible/secret-plaintext: the default reports the key id, the token and the private key, not `db_password: changeme`; `profile: all` reports it too', async () => {
    assert.deepEqual(await reported(ANSIBLE, ANSIBLE_RULE, { profile: 'recommended' }), [
      'group_vars/all.yml:2 ansible/secret-plaintext',
      'group_vars/all.yml:3 ansible/secret-plaintext',
      'group_vars/all.yml:4 ansible/secret-plaintext',
    ]);
    assert.deepEqual(await reported(ANSIBLE, ANSIBLE_RULE, { profile: 'all' }), [
      'group_vars/all.yml:1 ansible/secret-plaintext',
      'group_vars/all.yml:2 ansible/secret-plaintext',
      'group_vars/all.yml:3 ansible/secret-plaintext',
      'group_vars/all.yml:4 ansible/secret-plaintext',
    ]);
    // A run that names the rule (`--rule`) reports the weaker finding as well.
    assert.ok((await reported(ANSIBLE, ANSIBLE_RULE, { only: ANSIBLE_RULE })).includes('group_vars/all.yml:1 ansible/secret-plaintext'));
  });

  it('AWS\'s documented example key is not credential-shaped: reported under `profile: all` only', async () => {
    const files = { 'group_vars/all.yml': 'aws_access_key: AKIAIOSFODNN7EXAMPLE\n' };
    assert.deepEqual(await reported(files, ANSIBLE_RULE, { profile: 'recommended' }), []);
    assert.deepEqual(await reported(files, ANSIBLE_RULE, { profile: 'all' }), ['group_vars/all.yml:1 ansible/secret-plaintext']);
  });

  it('secretEvidence: credential-shaped, random-looking or hashed values are strong; words are not', () => {
    for (const strong of ['AKIA2JQX5MZ7R4WN6TBC', 'ghp_R7mK2xQ9vL4nT8wJ3pZ6yB1cF5hD0sA2eG7u', '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----', '3f9a1c0d7e2b4a6f8c1d2e3f4a5b6c7d', '$6$rounds=5000$saltsalt$Zk0bZ1w5l0Cq3cS2vQm4uQxWm6Yv2nD8m2y3x6m1pQ2rS8tV0uW1xY2zA3bC4dE5fG6hH7iJ8kL9mN0oP1qR2s']) {
      assert.deepEqual(secretEvidence(strong), {}, strong);
    }
    for (const weak of ['changeme', 'admin', 'Sup3rS3cret!', 'hunter2-not-vaulted', 'AKIAIOSFODNN7EXAMPLE']) assert.deepEqual(secretEvidence(weak), { profile: 'all' }, weak);
  });
});

describe('profiles: runbook/rollback-missing by what the runbook declares', function () {
  this.timeout(30000);
  const fm = (extra: string) => `---\nowner: sre\nservice: api\ntags: [api]\n${extra}---\n`;
  const FILES = {
    // Declares itself a change (`type: deploy`) and has no rollback section.
    'runbooks/deploy-api.md': `${fm('type: deploy\n')}# Deploy the API\n\n## Steps\n\n1. Upgrade the release:\n\n   \`\`\`bash\n   helm upgrade api charts/api -n prod --set image.tag=1.4.2\n   \`\`\`\n\n2. Watch the rollout:\n\n   \`\`\`bash\n   kubectl -n prod rollout status deployment/api\n   \`\`\`\n`,
    // Declares no type; its steps change state (a database modification).
    'runbooks/resize-db.md': `${fm('')}# Resize the database volume\n\n## Steps\n\n1. Grow the volume:\n\n   \`\`\`bash\n   aws rds modify-db-instance --db-instance-identifier orders --allocated-storage 500 --apply-immediately\n   \`\`\`\n\n2. Check the status:\n\n   \`\`\`bash\n   aws rds describe-db-instances --db-instance-identifier orders\n   \`\`\`\n`,
  };
  const RULE = ['runbook/rollback-missing'];
  const files = (found: string[]) => found.map((f) => f.split(':')[0]);

  it('a `type: deploy` runbook without a rollback section is reported by default; one without `type:` only under `profile: all`', async () => {
    assert.deepEqual(files(await reported(FILES, RULE, { profile: 'recommended' })), ['runbooks/deploy-api.md']);
    assert.deepEqual(files(await reported(FILES, RULE, { profile: 'all' })), ['runbooks/deploy-api.md', 'runbooks/resize-db.md']);
  });

  it('the undeclared runbook is reported when .opsreview.yml names the rule under `rules:`, or the run does', async () => {
    assert.deepEqual(files(await reported(FILES, RULE, { config: { rules: { 'runbook/rollback-missing': 'warning' } } })), ['runbooks/deploy-api.md', 'runbooks/resize-db.md']);
    assert.deepEqual(files(await reported(FILES, RULE, { only: RULE })), ['runbooks/deploy-api.md', 'runbooks/resize-db.md']);
    // Naming another rule does not.
    assert.deepEqual(files(await reported(FILES, RULE, { config: { rules: { 'runbook/link-broken': 'warning' } } })), ['runbooks/deploy-api.md']);
  });

  it('a change type the config adds counts as declared', async () => {
    const typed = { ...FILES, 'runbooks/resize-db.md': FILES['runbooks/resize-db.md'].replace('tags: [api]\n', 'tags: [api]\ntype: db-change\n') };
    assert.deepEqual(files(await reported(typed, RULE, { profile: 'recommended' })), ['runbooks/deploy-api.md']);
    const changeTypes = [...parseConfigText('').config.runbooks.changeTypes, 'db-change'];
    assert.deepEqual(files(await reported(typed, RULE, { config: { runbooks: { changeTypes } } })), ['runbooks/deploy-api.md', 'runbooks/resize-db.md']);
  });
});

describe('profiles: conventions a repository never adopted', function () {
  this.timeout(30000);
  /** Ten alerts; `labels(i)` gives alert i's labels. */
  const alerts = (labels: (i: number) => string) =>
    ['groups:', '  - name: api', '    rules:', ...Array.from({ length: 10 }, (_, i) => [`      - alert: Api${i}`, `        expr: up{job="api${i}"} == 0`, '        for: 5m', `        labels: ${labels(i)}`, `        annotations: {summary: down, runbook_url: "https://runbooks.example.com/api${i}"}`]).flat()].join('\n') + '\n';

  it('no alert with a severity label: no finding by default, one repository-level finding under `profile: all`', async () => {
    const files = { 'alerts/api.yml': alerts(() => '{team: api}') };
    const RULE = ['alert/severity-missing'];
    assert.deepEqual(await reported(files, RULE, { profile: 'recommended' }), []);
    const root = await writeWorkspace(files);
    const all = (await Engine.create(root, { now: NOW, profile: 'all' })).allFindings().filter((f) => f.ruleId === 'alert/severity-missing');
    assert.equal(all.length, 1, JSON.stringify(all.map((f) => f.message)));
    assert.match(all[0].message, /^None of the 10 alerts in this repository/);
    // Named under `rules:`, or by the run, the repository asks for it.
    assert.equal((await reported(files, RULE, { config: { rules: { 'alert/severity-missing': 'warning' } } })).length, 1);
    assert.equal((await reported(files, RULE, { only: RULE })).length, 1);
  });

  it('a straggler of an adopted convention (9 alerts with a severity, 1 without) is reported by default', async () => {
    const files = { 'alerts/api.yml': alerts((i) => (i === 7 ? '{team: api}' : '{severity: critical, team: api}')) };
    const found = await reported(files, ['alert/severity-missing'], { profile: 'recommended' });
    assert.deepEqual(found, [`alerts/api.yml:${4 + 7 * 5} alert/severity-missing`]);
  });

  it('a hazard that is one decision (no module pinned anywhere) is reported by default (unadoptedInRecommended)', async () => {
    const mod = (n: number) => `module "m${n}" {\n  source = "git::https://github.com/acme/tf-modules.git//m${n}"\n}\n`;
    const files = { 'infra/main.tf': [1, 2, 3].map(mod).join('\n') };
    const found = await reported(files, ['terraform/module-unpinned'], { profile: 'recommended' });
    assert.equal(found.length, 1, found.join('\n'));
  });
});

describe('profiles: checklist evidence reads hidden findings', function () {
  this.timeout(30000);
  const item = (rule: string) =>
    checklistSchema.parse({ id: 'test', title: 'Test', description: 'A test checklist.', sections: [{ id: 'main', title: 'Main', items: [{ id: 'it', text: 'Checked', why: 'A test item.', evidence: { rules: [rule] } }] }] });

  it('a literal password the default profile does not report still fails the secrets item', async () => {
    const root = await writeWorkspace({ 'infra/main.tf': 'resource "aws_db_instance" "orders" {\n  engine   = "postgres"\n  password = "changeme"\n}\n' });
    const engine = await Engine.create(root, { now: NOW });
    assert.deepEqual(engine.allFindings().filter((f) => f.ruleId === 'terraform/hardcoded-secret'), [], 'hidden by the default profile');
    const r = evaluateChecklist(item('terraform/hardcoded-secret'), engine).items[0];
    assert.equal(r.state, 'fail');
    assert.deepEqual(r.parts[0].refs.map((e) => `${e.file}:${e.line}`), ['infra/main.tf:3']);
    // The built-in security checklist's item does not pass either.
    const builtin = evaluateChecklist(builtinChecklists().find((c) => c.id === 'security')!, engine).items.find((i) => i.id === 'no-hardcoded-secrets')!;
    assert.equal(builtin.state, 'fail');
  });

  it('alerts without any severity label fail the severity item though the repository-level finding is hidden', async () => {
    const rules = ['groups:', '  - name: api', '    rules:', ...[0, 1, 2].flatMap((i) => [`      - alert: Api${i}`, `        expr: up{job="api${i}"} == 0`, '        for: 5m', '        labels: {team: api}', '        annotations: {summary: down}'])].join('\n') + '\n';
    const engine = await Engine.create(await writeWorkspace({ 'alerts/api.yml': rules }), { now: NOW });
    assert.deepEqual(engine.allFindings().filter((f) => f.ruleId === 'alert/severity-missing'), [], 'hidden by the default profile');
    const r = evaluateChecklist(item('alert/severity-missing'), engine).items[0];
    assert.equal(r.state, 'fail');
    assert.deepEqual(r.parts[0].refs.map((e) => e.file), ['alerts/api.yml']);
  });
});

describe('profiles: opsreview check --profile', function () {
  this.timeout(30000);
  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(args, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  }
  const FILES = {
    // runbook/placeholder is a rule of the `all` profile; `changeme` a finding of it.
    'runbooks/db.md': '---\nowner: sre\nservice: db\ntags: [db]\nlast_reviewed: 2026-11-01\n---\n# DB failover\n\n## Steps\n- TODO write the promote command\n',
    'infra/main.tf': 'resource "aws_db_instance" "orders" {\n  engine   = "postgres"\n  password = "changeme"\n  storage_encrypted = true\n  backup_retention_period = 7\n}\n',
  };
  const rules = (out: string) => (JSON.parse(out) as { file: string; line: number; ruleId: string }[]).map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();

  it('--profile all reports the rules and findings the default leaves out; --profile recommended overrides the config', async () => {
    const root = await writeWorkspace(FILES);
    const byDefault = rules((await cli(['check', root, '--format', 'json'])).out);
    const all = rules((await cli(['check', root, '--format', 'json', '--profile', 'all'])).out);
    for (const f of ['runbooks/db.md:10 runbook/placeholder', 'infra/main.tf:3 terraform/hardcoded-secret']) {
      assert.ok(!byDefault.includes(f), `${f} by default: ${byDefault.join(', ')}`);
      assert.ok(all.includes(f), `${f} under --profile all: ${all.join(', ')}`);
    }
    // Everything the default reports, `all` reports.
    for (const f of byDefault) assert.ok(all.includes(f), f);
    // The same workspace saying `profile: all` in .opsreview.yml, checked with --profile recommended.
    const configured = await writeWorkspace(FILES, { profile: 'all' });
    assert.deepEqual(rules((await cli(['check', configured, '--format', 'json'])).out), all);
    assert.deepEqual(rules((await cli(['check', configured, '--format', 'json', '--profile', 'recommended'])).out), byDefault);
  });

  it('--cache keys on the profile: a --profile all run after a default one is not served the default results', async () => {
    const root = await writeWorkspace(FILES);
    const cache = path.join(root, '.cache-test', 'cache.json');
    const first = rules((await cli(['check', root, '--format', 'json', '--cache', '--cache-location', cache])).out);
    const second = rules((await cli(['check', root, '--format', 'json', '--cache', '--cache-location', cache, '--profile', 'all'])).out);
    assert.ok(second.includes('infra/main.tf:3 terraform/hardcoded-secret'), second.join(', '));
    assert.ok(!first.includes('infra/main.tf:3 terraform/hardcoded-secret'), first.join(', '));
  });

  it('--profile strict is a usage error naming the choices (exit 2)', async () => {
    const root = await writeWorkspace(FILES);
    const r = await cli(['check', root, '--profile', 'strict']);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /--profile must be recommended or all \(got 'strict'\)/);
    const missing = await cli(['check', root, '--profile']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--profile/);
  });
});

describe('rule profiles: checklist evidence from rules out of the profile', () => {
  const PUBLIC = 'resource "aws_s3_bucket_acl" "site" {\n  bucket = "site"\n  acl    = "public-read"\n}\n';
  const PRIVATE = 'resource "aws_s3_bucket_acl" "site" {\n  bucket = "site"\n  acl    = "private"\n}\n';
  const only = (rule: string) =>
    checklistSchema.parse({ id: 't', title: 'T', description: 'A test checklist.', sections: [{ id: 'main', title: 'Main', items: [{ id: 'one', text: 'One', why: 'It matters.', evidence: { rules: [rule] } }] }] });
  const stateOf = async (files: Record<string, string>, config?: object) => {
    const engine = await Engine.create(await writeWorkspace(files, config), { now: new Date('2026-11-25T00:00:00Z') });
    return { engine, item: evaluateChecklist(only('terraform/public-bucket'), engine).items[0] };
  };

  it('fails an item on a finding the default profile does not report', async () => {
    assert.equal(getRuleMeta('terraform/public-bucket')?.profile, 'all');
    const { engine, item } = await stateOf({ 'main.tf': PUBLIC });
    assert.equal(engine.allFindings().filter((f) => f.ruleId === 'terraform/public-bucket').length, 0, 'not reported by default');
    assert.equal(item.state, 'fail');
  });

  it('passes it when the bucket is private, and gives n/a when .opsreview.yml switches the rule off', async () => {
    assert.equal((await stateOf({ 'main.tf': PRIVATE })).item.state, 'pass');
    const off = await stateOf({ 'main.tf': PUBLIC }, { rules: { 'terraform/public-bucket': 'off' } });
    assert.equal(off.item.state, 'na');
  });
});
