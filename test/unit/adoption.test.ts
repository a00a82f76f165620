import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { parse as parseYaml } from 'yaml';
import { main } from '../../src/cli/main';
import { escapeData, escapeProperty } from '../../src/cli/formatters/github';
import { formatMarkdown, MARKDOWN_LIMIT } from '../../src/cli/formatters/markdown';
import { ALL_RULE_METAS } from '../../src/engine/rules';
import { Engine } from '../../src/engine/engine';
import { withFingerprints } from '../../src/engine/fingerprint';
import type { Finding } from '../../src/engine/types';
import { baselineFor, fileDiagnostics } from '../../src/server/features/diagnostics';
import { writeWorkspace } from './helpers';

// Adopting OpsReview on a repository with history: the baseline, changed-files mode, the
// pull-request formats, the shipped integrations (GitHub Action, pre-commit hook) and the npm
// package that installs on its own.

const repo = path.resolve(__dirname, '../../..');
const cliBundle = path.join(repo, 'dist', 'cli.js');

async function run(args: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const before = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(args, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  } finally {
    if (cwd) process.chdir(before);
  }
}

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  message: string;
  severity: string;
}

const json = (s: string): JsonFinding[] => JSON.parse(s) as JsonFinding[];

// These tests are about the baseline, the formats and the integrations, not about what the
// default profile reports: their workspaces run every rule (runbook/placeholder is in `all`).
const ALL = { profile: 'all' };

const RUNBOOK = '---\nowner: sre\nservice: db\ntags: [db]\nlast_reviewed: 2026-11-01\n---\n# DB failover\n\n## Steps\n- TODO write the promote command\n- Check the replica lag.\n';
const ALERTS =
  'groups:\n- name: db\n  rules:\n  - alert: DbDown\n    expr: up{job="db"} == 0\n    labels:\n      severity: critical\n      team: db\n  - alert: DbLagHigh\n    expr: pg_lag_seconds > 30\n    labels:\n      team: db\n';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
}

describe('Adoption: baseline', function () {
  this.timeout(60000);

  it('round trip: write, check clean, lines inserted above old findings, one new problem reported alone', async () => {
    const root = await writeWorkspace({ 'runbooks/db.md': RUNBOOK, 'alerts/db.yml': ALERTS }, ALL);
    const before = json((await run(['check', root, '--format', 'json', '--no-baseline'])).out);
    assert.ok(before.length >= 3, JSON.stringify(before));
    const w = await run(['baseline', root]);
    assert.equal(w.code, 0, w.err);
    const file = path.join(root, '.opsreview-baseline.json');
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).entries.length, before.length);

    const clean = await run(['check', root]);
    assert.equal(clean.code, 0, clean.out + clean.err);
    assert.match(clean.out, /No problems found/);
    assert.match(clean.out, new RegExp(`${before.length} findings in the baseline`));

    // Lines inserted above every old finding, and one new problem (a second placeholder).
    writeFileSync(path.join(root, 'runbooks/db.md'), RUNBOOK.replace('# DB failover\n', '# DB failover\n\nWhen the primary is lost.\n\nRead this first.\n').replace('- Check the replica lag.\n', '- Check the replica lag.\n- TBD: who approves\n'));
    writeFileSync(path.join(root, 'alerts/db.yml'), ALERTS.replace('  rules:\n', '  rules:\n  - record: job:up:sum\n    expr: sum(up) by (job)\n'));
    const after = await run(['check', root, '--format', 'json']);
    const fresh = json(after.out);
    assert.equal(fresh.length, 1, after.out);
    assert.equal(fresh[0].ruleId, 'runbook/placeholder');
    assert.match(fresh[0].message, /TBD/);
    assert.equal(fresh[0].line, 16);
    assert.doesNotMatch(after.err, /match no finding/);
    // --no-baseline shows everything again.
    assert.equal(json((await run(['check', root, '--format', 'json', '--no-baseline'])).out).length, before.length + 1);
  });

  it('one entry hides one finding: a copy of a baselined problem elsewhere (or a duplicate) is new', async () => {
    const root = await writeWorkspace({ 'runbooks/a.md': '# A\n\n## Steps\n- TODO\n', 'runbooks/b.md': '# B\n\n## Steps\n- Restart it.\n' }, ALL);
    await run(['baseline', root]);
    writeFileSync(path.join(root, 'runbooks/a.md'), '# A\n\n## Steps\n- TODO\n- TODO\n');
    writeFileSync(path.join(root, 'runbooks/b.md'), '# B\n\n## Steps\n- TODO\n');
    const fresh = json((await run(['check', root, '--format', 'json', '--rule', 'runbook/placeholder'])).out);
    assert.deepEqual(
      fresh.map((f) => `${f.file}:${f.line}`),
      ['runbooks/a.md:5', 'runbooks/b.md:4'],
    );
  });

  it('reports baseline entries that match nothing any more, and names a broken baseline file', async () => {
    const root = await writeWorkspace({ 'runbooks/a.md': '# A\n\n## Steps\n- TODO\n- fine\n' }, ALL);
    await run(['baseline', root, '--output', path.join(root, 'custom-baseline.json')]);
    writeFileSync(path.join(root, 'runbooks/a.md'), '# A\n\n## Steps\n- Restart the service.\n- fine\n');
    const r = await run(['check', root, '--baseline', path.join(root, 'custom-baseline.json'), '--rule', 'runbook/placeholder']);
    assert.equal(r.code, 0);
    assert.match(r.out, /1 baseline entry matches no finding now/);
    const sarif = JSON.parse((await run(['check', root, '--baseline', path.join(root, 'custom-baseline.json'), '--format', 'sarif', '--rule', 'runbook/placeholder'])).out);
    assert.ok(sarif.runs[0].invocations[0].toolExecutionNotifications.some((n: { descriptor: { id: string } }) => n.descriptor.id === 'baseline/unused-entry'));
    writeFileSync(path.join(root, '.opsreview-baseline.json'), '{"entries": 3');
    const bad = await run(['check', root]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /\.opsreview-baseline\.json: not valid JSON/);
    const missing = await run(['check', root, '--baseline', path.join(root, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /baseline file not found/);
  });

  it('fingerprints: the same line under two alerts differs; a change to the line itself is a new identity', async () => {
    const rules = 'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n  - alert: B\n    expr: up == 0\n';
    const root = await writeWorkspace({ 'alerts/r.yml': rules });
    const engine = await Engine.create(root, { only: ['alert/for-missing'] });
    const fps = withFingerprints(engine.allFindings(), engine.index);
    assert.equal(fps.length, 2);
    assert.notEqual(fps[0].fingerprint, fps[1].fingerprint);
    writeFileSync(path.join(root, 'alerts/r.yml'), rules.replace('  - alert: A\n', '  - alert: Renamed\n'));
    const again = await Engine.create(root, { only: ['alert/for-missing'] });
    const fps2 = withFingerprints(again.allFindings(), again.index);
    assert.notEqual(fps2[0].fingerprint, fps[0].fingerprint);
    assert.equal(fps2[1].fingerprint, fps[1].fingerprint);
  });

  it('editor: baselined findings become hints, or are left out with baseline.hide', async () => {
    const root = await writeWorkspace({ 'runbooks/a.md': '# A\n\n## Steps\n- TODO\n' }, ALL);
    const engine = await Engine.create(root);
    const p = path.posix.join(engine.index.root, 'runbooks/a.md');
    const findings = engine.lintFile(p);
    assert.ok(findings.some((f) => f.ruleId === 'runbook/placeholder'));
    assert.equal(baselineFor(engine.root), undefined);
    await run(['baseline', root]);
    writeFileSync(path.join(root, 'runbooks/a.md'), '# A\n\n## Steps\n- TODO\n- TBD\n');
    await engine.update(p);
    const keys = baselineFor(engine.root);
    assert.ok(keys?.size);
    const shown = fileDiagnostics(engine, engine.lintFile(p), keys, false);
    const placeholders = shown.filter((d) => d.code === 'runbook/placeholder');
    assert.deepEqual(placeholders.map((d) => [d.range.start.line, d.severity]), [
      [3, 4 /* Hint */],
      [4, 3 /* Information */],
    ]);
    const hidden = fileDiagnostics(engine, engine.lintFile(p), keys, true).filter((d) => d.code === 'runbook/placeholder');
    assert.deepEqual(hidden.map((d) => d.range.start.line), [4]);
  });
});

describe('Adoption: --changed-since', function () {
  this.timeout(60000);

  it('reports only files changed since a revision: edits, renames, staged and untracked files', async () => {
    const root = await writeWorkspace({
      'runbooks/edited.md': '# Edited\n\n## Steps\n- TODO one\n',
      'runbooks/renamed.md': '# Renamed\n\n## Steps\n- TODO two\n',
      'runbooks/untouched.md': '# Untouched\n\n## Steps\n- TODO three\n',
      'runbooks/deleted.md': '# Deleted\n\n## Steps\n- TODO four\n',
    });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');
    git(root, 'checkout', '-qb', 'feature');
    writeFileSync(path.join(root, 'runbooks/edited.md'), '# Edited\n\nIntro.\n\n## Steps\n- TODO one\n');
    git(root, 'mv', 'runbooks/renamed.md', 'runbooks/moved.md');
    git(root, 'rm', '-q', 'runbooks/deleted.md');
    git(root, 'commit', '-qam', 'change');
    writeFileSync(path.join(root, 'runbooks/staged.md'), '# Staged\n\n## Steps\n- TODO five\n');
    git(root, 'add', 'runbooks/staged.md');
    writeFileSync(path.join(root, 'runbooks/untracked.md'), '# Untracked\n\n## Steps\n- TODO six\n');
    const r = await run(['check', root, '--changed-since', 'main', '--rule', 'runbook/placeholder', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual([...new Set(json(r.out).map((f) => f.file))].sort(), ['runbooks/edited.md', 'runbooks/moved.md', 'runbooks/staged.md', 'runbooks/untracked.md']);
    // Combined with the baseline: entries of files outside the change are not judged.
    await run(['baseline', root]);
    writeFileSync(path.join(root, 'runbooks/untouched.md'), '# Untouched\n\n## Steps\n- done\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'fix untouched');
    const text = await run(['check', root, '--changed-since', 'HEAD', '--rule', 'runbook/placeholder']);
    assert.match(text.out, /No problems found in 0 files/);
    assert.doesNotMatch(text.out, /match no finding/);
  });

  it('says what to do outside a repository, for an unknown revision and in a shallow clone', async () => {
    const plain = await writeWorkspace({ 'runbooks/a.md': '# A\n' });
    const outside = await run(['check', plain, '--changed-since', 'main']);
    assert.equal(outside.code, 2);
    assert.match(outside.err, /needs a git repository/);

    const origin = await writeWorkspace({ 'runbooks/a.md': '# A\n', 'runbooks/b.md': '# B\n' });
    git(origin, 'init', '-q');
    git(origin, 'add', '-A');
    git(origin, 'commit', '-qm', 'one');
    writeFileSync(path.join(origin, 'runbooks/a.md'), '# A\n\nMore.\n');
    git(origin, 'commit', '-qam', 'two');
    const unknown = await run(['check', origin, '--changed-since', 'no-such-branch']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /does not know the revision 'no-such-branch'/);

    const shallow = mkdtempSync(path.join(tmpdir(), 'opsreview-shallow-'));
    try {
      git(tmpdir(), 'clone', '-q', '--depth', '1', `file://${origin}`, shallow);
      const r = await run(['check', shallow, '--changed-since', 'HEAD~1']);
      assert.equal(r.code, 2);
      assert.match(r.err, /shallow clone/);
      assert.match(r.err, /fetch-depth: 0/);
      assert.match(r.err, /git fetch --unshallow/);
    } finally {
      rmSync(shallow, { recursive: true, force: true });
    }
  });
});

describe('Adoption: formats for pull requests', function () {
  this.timeout(60000);
  let root: string;
  before(async () => {
    root = await writeWorkspace({ 'runbooks/db.md': RUNBOOK, 'alerts/db.yml': ALERTS, 'k8s/bad.yaml': 'apiVersion: apps/v1\nkind: Deployment\nspec: [unclosed\n' }, ALL);
  });

  it('SARIF validates, and its partialFingerprints survive lines inserted above', async () => {
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, logger: false }).compile(schema);
    const ws = await writeWorkspace({ 'runbooks/db.md': RUNBOOK }, ALL);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const first: any = JSON.parse((await run(['check', ws, '--format', 'sarif'])).out);
    const valid = validate(JSON.parse(JSON.stringify(first)));
    assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5)));
    writeFileSync(path.join(ws, 'runbooks/db.md'), RUNBOOK.replace('# DB failover\n', '# DB failover\n\nIntro line.\n'));
    const second = JSON.parse((await run(['check', ws, '--format', 'sarif'])).out);
    const fp = (s: { runs: { results: { ruleId: string; partialFingerprints: Record<string, string>; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] }) =>
      s.runs[0].results.map((x) => `${x.ruleId} ${x.partialFingerprints['opsreview/v2']}`).sort();
    assert.ok(first.runs[0].results.length > 0);
    assert.deepEqual(fp(second), fp(first));
    assert.notDeepEqual(
      second.runs[0].results.map((x: { locations: { physicalLocation: { region: { startLine: number } } }[] }) => x.locations[0].physicalLocation.region.startLine),
      first.runs[0].results.map((x: { locations: { physicalLocation: { region: { startLine: number } } }[] }) => x.locations[0].physicalLocation.region.startLine),
    );
  });

  it('GitLab Code Quality: every field GitLab reads, with its type and allowed values, unique fingerprints', async () => {
    const r = await run(['check', root, '--format', 'gitlab']);
    const issues = JSON.parse(r.out) as Record<string, unknown>[];
    const plain = json((await run(['check', root, '--format', 'json'])).out);
    assert.equal(issues.length, plain.length);
    assert.ok(issues.length >= 3);
    for (const i of issues) {
      assert.equal(typeof i.description, 'string');
      assert.ok(ALL_RULE_METAS.some((m) => m.id === i.check_name), String(i.check_name));
      assert.match(String(i.fingerprint), /^[0-9a-f]{16}(-\d+)?$/);
      assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(String(i.severity)));
      const loc = i.location as { path: string; lines: { begin: number } };
      assert.equal(typeof loc.path, 'string');
      assert.ok(!path.isAbsolute(loc.path));
      assert.ok(Number.isInteger(loc.lines.begin) && loc.lines.begin >= 1);
    }
    assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length);
    const parse = issues.find((i) => i.check_name === 'opsreview/parse-error') as { severity: string; location: { path: string; lines: { begin: number } } };
    assert.deepEqual([parse.severity, parse.location.path, parse.location.lines.begin], ['major', 'k8s/bad.yaml', 3]);
  });

  it('GitHub annotations: one workflow command per finding that parses back to the finding', async () => {
    const r = await run(['check', root, '--format', 'github']);
    const plain = json((await run(['check', root, '--format', 'json'])).out);
    const commands = r.out.split('\n').filter((l) => l.startsWith('::'));
    assert.equal(commands.length, plain.length);
    const unescape = (s: string): string => s.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
    const parsed = commands.map((c) => {
      const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(c);
      assert.ok(m, c);
      const props = Object.fromEntries(m[2].split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, unescape(v)]));
      return { level: m[1], props, message: unescape(m[3]) };
    });
    for (const [i, f] of plain.entries()) {
      assert.equal(parsed[i].props.file, f.file);
      assert.equal(Number(parsed[i].props.line), f.line);
      assert.equal(parsed[i].message, f.message);
      assert.equal(parsed[i].props.title, `OpsReview ${f.ruleId}`);
      assert.equal(parsed[i].level, { error: 'error', warning: 'warning', info: 'notice' }[f.severity]);
    }
    // The runner's escaping, on the characters that would end a property or the command.
    assert.equal(escapeProperty('a:b,c%d\ne'), 'a%3Ab%2Cc%25d%0Ae');
    assert.equal(escapeData('50%\r\nx: y, z'), '50%25%0D%0Ax: y, z');
  });

  it('markdown summary of more than 1,000 findings stays under 60,000 characters', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) {
      const steps = Array.from({ length: 20 }, (_, k) => `- TODO step ${k} of the procedure for service number ${i} with a long description of what to do`).join('\n');
      files[`runbooks/a-very-long-folder-name-for-the-team-${i}/service-${i}-failover-and-recovery.md`] = `# Service ${i}\n\n## Steps\n${steps}\n`;
    }
    const ws = await writeWorkspace(files, ALL);
    const count = json((await run(['check', ws, '--format', 'json'])).out).length;
    assert.ok(count > 1000, `${count} findings`);
    const md = (await run(['check', ws, '--format', 'markdown'])).out;
    assert.ok(md.length < 60000, `${md.length} characters`);
    assert.match(md, new RegExp(`\\*\\*${count} problems\\*\\*`));
    assert.match(md, /and \d+ more/);
    assert.match(md, /\| \[runbook\/placeholder\]\(.*\) \| info \| 1200 \|/);
  });

  it('markdown stays under the limit by construction, whatever the findings', () => {
    // A worst case no repository reaches: 30,000 findings of 3,000 rules with long paths and messages.
    const findings: Finding[] = [];
    for (let i = 0; i < 30000; i++) {
      findings.push({
        ruleId: `cat${i % 3000}/rule-${'x'.repeat(80)}`,
        severity: i % 3 ? 'warning' : 'error',
        path: `/ws/${'deep/'.repeat(60)}file-${i % 5000}.md`,
        range: { start: { line: i % 900, character: 0 }, end: { line: i % 900, character: 4 } },
        message: `Problem ${i} | with [brackets] and <html> and ${'words '.repeat(100)}`,
      });
    }
    const md = formatMarkdown({ root: '/ws', findings, rules: ALL_RULE_METAS, filesChecked: 5000, toolVersion: '0' });
    assert.ok(md.length < MARKDOWN_LIMIT, `${md.length}`);
    assert.match(md, /not listed to keep this summary short/);
    assert.doesNotMatch(md, /<html>/);
    // And a tiny limit still holds (everything counted, little listed).
    assert.ok(formatMarkdown({ root: '/ws', findings, rules: ALL_RULE_METAS, filesChecked: 5000, toolVersion: '0' }, 3000).length < 3000);
  });

  it('one run writes several formats with FORMAT=FILE', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opsreview-out-'));
    try {
      const r = await run(['check', root, '--format', 'github', '--format', `sarif=${dir}/o.sarif`, '--format', `markdown=${dir}/o.md`]);
      assert.equal(r.code, 1);
      assert.match(r.out, /^::error file=k8s\/bad\.yaml/m);
      assert.equal(JSON.parse(readFileSync(`${dir}/o.sarif`, 'utf8')).version, '2.1.0');
      assert.match(readFileSync(`${dir}/o.md`, 'utf8'), /^## OpsReview/);
      const two = await run(['check', root, '--format', 'json', '--format', 'text']);
      assert.equal(two.code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Adoption: shipped integrations', function () {
  this.timeout(120000);

  it('action.yml is a composite action whose declared inputs are exactly those it uses, with scripts bash accepts', () => {
    const text = readFileSync(path.join(repo, 'action.yml'), 'utf8');
    const action = parseYaml(text) as { inputs: Record<string, { description: string }>; runs: { using: string; steps: { run?: string; uses?: string; shell?: string }[] } };
    assert.equal(action.runs.using, 'composite');
    const declared = Object.keys(action.inputs).sort();
    const used = [...new Set([...text.matchAll(/inputs\.([a-z-]+)/g)].map((m) => m[1]))].sort();
    assert.deepEqual(used, declared);
    for (const i of ['path', 'config', 'baseline', 'changed-since', 'fail-level', 'checklist', 'checklist-run']) assert.ok(declared.includes(i), i);
    for (const [name, input] of Object.entries(action.inputs)) assert.ok(input.description, name);
    assert.ok(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@')));
    assert.ok(action.runs.steps.some((s) => s.uses?.startsWith('actions/setup-node@')));
    for (const s of action.runs.steps.filter((x) => x.run)) {
      assert.equal(s.shell, 'bash');
      assert.doesNotMatch(s.run!, /\$\{\{/, 'inputs reach scripts through env, not spliced into them');
      const r = spawnSync('bash', ['-n'], { input: s.run });
      assert.equal(r.status, 0, r.stderr.toString());
    }
  });

  it('the action check step runs: annotations, SARIF, job summary, exit code by fail level', async () => {
    assert.ok(existsSync(cliBundle), 'dist/cli.js missing: run `node esbuild.mjs` first');
    const action = parseYaml(readFileSync(path.join(repo, 'action.yml'), 'utf8')) as { runs: { steps: { id?: string; run?: string }[] } };
    const script = action.runs.steps.find((s) => s.id === 'check')!.run!;
    const ws = await writeWorkspace({ 'runbooks/db.md': RUNBOOK, 'k8s/bad.yaml': 'apiVersion: apps/v1\nkind: Deployment\nspec: [unclosed\n' });
    const tmp = mkdtempSync(path.join(tmpdir(), 'opsreview-action-'));
    try {
      const step = (inputs: Record<string, string>) => {
        writeFileSync(path.join(tmp, 'out'), '');
        writeFileSync(path.join(tmp, 'summary'), '');
        const r = spawnSync('bash', ['-c', script], {
          cwd: ws,
          encoding: 'utf8',
          env: { ...process.env, ACTION_PATH: repo, RUNNER_TEMP: tmp, GITHUB_OUTPUT: path.join(tmp, 'out'), GITHUB_STEP_SUMMARY: path.join(tmp, 'summary'), INPUT_PATH: '.', INPUT_CONFIG: '', INPUT_BASELINE: '', INPUT_CHANGED_SINCE: '', INPUT_FAIL_LEVEL: 'error', INPUT_VERSION: '', ...inputs },
        });
        return { ...r, outputs: readFileSync(path.join(tmp, 'out'), 'utf8'), summary: readFileSync(path.join(tmp, 'summary'), 'utf8') };
      };
      const r = step({});
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^::error file=k8s\/bad\.yaml,line=3/m);
      assert.match(r.outputs, /^exit-code=1$/m);
      const sarifPath = /^sarif=(.*)$/m.exec(r.outputs)![1];
      assert.equal(JSON.parse(readFileSync(sarifPath, 'utf8')).version, '2.1.0');
      assert.match(r.summary, /^## OpsReview/);
      const bad = step({ INPUT_FAIL_LEVEL: 'sometimes' });
      assert.equal(bad.status, 2);
      const none = step({ INPUT_BASELINE: 'none', INPUT_CONFIG: 'missing.yml' });
      assert.equal(none.status, 2, 'a configuration error fails the step at once');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  /** The YAML block that follows `marker` in the README. */
  function readmeYaml(marker: string): unknown {
    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    const at = readme.indexOf(marker);
    assert.ok(at >= 0, marker);
    const block = /```yaml\n([\s\S]*?)```/.exec(readme.slice(at));
    assert.ok(block, `a yaml block after ${marker}`);
    return parseYaml(block[1]);
  }

  it('README recipes: the GitHub workflow passes only inputs the action declares; the GitLab job script runs', async () => {
    assert.ok(existsSync(cliBundle), 'dist/cli.js missing: run `node esbuild.mjs` first');
    const action = parseYaml(readFileSync(path.join(repo, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> };
    const workflow = readmeYaml('**GitHub Actions**, with the action') as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }> };
    const step = Object.values(workflow.jobs)[0].steps.find((x) => x.uses?.startsWith('opsreview/opsreview@'));
    assert.ok(step?.with);
    for (const k of Object.keys(step.with)) assert.ok(k in action.inputs, `input ${k} is not declared in action.yml`);

    const job = (readmeYaml('**GitLab CI**') as Record<string, { script: string[]; artifacts: { reports: { codequality: string } } }>).opsreview;
    const ws = await writeWorkspace({ 'runbooks/db.md': RUNBOOK }, ALL);
    for (const line of job.script) {
      const cmd = line.replace(/^npx --yes opsreview /, `"${process.execPath}" "${cliBundle}" `);
      assert.notEqual(cmd, line, 'the recipe runs opsreview through npx');
      const r = spawnSync('bash', ['-c', cmd], { cwd: ws, encoding: 'utf8', env: { ...process.env, CI_PROJECT_DIR: ws, CI_PROJECT_URL: 'https://gitlab.example.com/team/ops', CI_COMMIT_SHA: 'abc123' } });
      assert.equal(r.status, 0, r.stderr);
    }
    const report = JSON.parse(readFileSync(path.join(ws, job.artifacts.reports.codequality), 'utf8')) as { check_name: string; location: { path: string } }[];
    assert.ok(report.some((i) => i.check_name === 'runbook/placeholder' && i.location.path === 'runbooks/db.md'));
    assert.match(readFileSync(path.join(ws, 'opsreview.md'), 'utf8'), /\(https:\/\/gitlab\.example\.com\/team\/ops\/-\/blob\/abc123\/runbooks\/db\.md#L10\)/);
  });

  it('the pre-commit hook checks the staged files only', async () => {
    assert.ok(existsSync(cliBundle), 'dist/cli.js missing: run `node esbuild.mjs` first');
    const hooks = parseYaml(readFileSync(path.join(repo, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; files: string; pass_filenames: boolean; language: string }[];
    const hook = hooks.find((h) => h.id === 'opsreview')!;
    assert.ok(hook && hook.pass_filenames);
    const [bin, ...entryArgs] = hook.entry.split(' ');
    assert.equal(bin, 'opsreview');
    const ws = await writeWorkspace({
      'runbooks/ok.md': '---\nowner: sre\nservice: api\ntags: [api]\nlast_reviewed: 2026-11-01\n---\n# OK\n\n## Steps\n- Restart.\n',
      'README.txt': 'not checked\n',
    });
    git(ws, 'init', '-q');
    git(ws, 'add', '-A');
    git(ws, 'commit', '-qm', 'init');
    mkdirSync(path.join(ws, 'k8s'));
    writeFileSync(path.join(ws, 'k8s/bad.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nspec: [unclosed\n');
    writeFileSync(path.join(ws, 'k8s/unstaged.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nspec: [unclosed\n');
    writeFileSync(path.join(ws, 'notes.txt'), 'staged, not a kind the hook takes\n');
    git(ws, 'add', 'k8s/bad.yaml', 'notes.txt');
    // What pre-commit passes: staged added/changed files matching the hook's `files`.
    const files = new RegExp(hook.files);
    const staged = git(ws, 'diff', '--cached', '--name-only', '--diff-filter=ACMR').split('\n').filter((f) => f && files.test(f));
    assert.deepEqual(staged, ['k8s/bad.yaml']);
    const r = spawnSync(process.execPath, [cliBundle, ...entryArgs, ...staged], { cwd: ws, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^k8s\/bad\.yaml:3:\d+ error .*opsreview\/parse-error$/m);
    assert.doesNotMatch(r.stdout, /unstaged/);
    git(ws, 'reset', '-q');
    git(ws, 'add', 'runbooks/ok.md');
    const clean = spawnSync(process.execPath, [cliBundle, ...entryArgs, 'runbooks/ok.md'], { cwd: ws, encoding: 'utf8' });
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
  });

  it('the npm package installs alone from its tarball, offline, and `npx opsreview check` runs', async () => {
    assert.ok(existsSync(cliBundle), 'dist/cli.js missing: run `node esbuild.mjs` first');
    const tmp = mkdtempSync(path.join(tmpdir(), 'opsreview-pack-'));
    try {
      const npmEnv = { ...process.env, npm_config_cache: path.join(tmp, 'cache'), npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_loglevel: 'error' };
      const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: repo, encoding: 'utf8', env: npmEnv })) as { filename: string; size: number; files: { path: string }[] }[];
      const tarball = path.join(tmp, packed[0].filename);
      const size = statSync(tarball).size;
      assert.ok(size <= 8 * 1024 * 1024, `${size} bytes packed`);
      const paths = packed[0].files.map((f) => f.path);
      for (const need of ['dist/cli.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-terraform.wasm', 'opsreview.schema.json', 'checklist.schema.json', 'README.md', 'LICENSE', 'package.json', 'docs/rules/runbook/placeholder.md']) assert.ok(paths.includes(need), `missing ${need}`);
      for (const p of paths) assert.doesNotMatch(p, /^(src|test|out|bench|scripts|node_modules)\/|\.map$|\.ts$|fixtures/, `${p} should not ship`);
      // The bundle needs nothing from node_modules at run time: every require is a Node built-in.
      const requires = [...readFileSync(cliBundle, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
      const builtins = new Set(require('node:module').builtinModules as string[]);
      assert.deepEqual([...new Set(requires.filter((r) => !builtins.has(r.replace(/^node:/, ''))))], []);
      const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
      assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], 'the bundle holds every dependency');

      const project = path.join(tmp, 'project');
      mkdirSync(project);
      writeFileSync(path.join(project, 'package.json'), '{"name":"someone-elses-repo","private":true}\n');
      execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--save-dev', tarball], { cwd: project, encoding: 'utf8', env: npmEnv });
      mkdirSync(path.join(project, 'runbooks'));
      writeFileSync(path.join(project, 'runbooks/db.md'), RUNBOOK);
      writeFileSync(path.join(project, 'main.tf'), 'resource "aws_ebs_volume" "logs" {\n  size = 10\n}\n');
      // `--profile all`: runbook/placeholder is outside the default profile.
      const r = spawnSync('npx', ['--offline', 'opsreview', 'check', '--format', 'json', '--profile', 'all'], { cwd: project, encoding: 'utf8', env: npmEnv });
      assert.equal(r.status, 0, r.stderr);
      const found = json(r.stdout);
      assert.ok(found.some((f) => f.file === 'runbooks/db.md' && f.ruleId === 'runbook/placeholder'), r.stdout);
      assert.ok(found.some((f) => f.file === 'main.tf'), 'Terraform parsed with the shipped grammar: ' + r.stdout);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
