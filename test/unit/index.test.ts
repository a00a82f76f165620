import * as assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultConfig } from '../../src/engine/config/schema';
import { discover } from '../../src/engine/discovery';
import { Engine } from '../../src/engine/engine';
import { writeWorkspace } from './helpers';

const RUNBOOK = (service: string, owner: string, tags: string[]) =>
  `---\ntitle: ${service} restart\nservice: ${service}\nowner: ${owner}\ntags: [${tags.join(', ')}]\n---\n# ${service} restart\n\n## Steps\n- restart\n`;

describe('discovery', () => {
  it('honours .gitignore (nested too), include/exclude globs and skips dependency folders', async () => {
    const root = await writeWorkspace({
      '.gitignore': 'generated/\n*.secret.yml\n',
      'runbooks/a.md': '# A\n',
      'generated/runbooks/b.md': '# B\n',
      'infra/main.tf': '',
      'infra/.gitignore': 'scratch.tf\n',
      'infra/scratch.tf': '',
      'infra/.terraform/modules/x/main.tf': '',
      'node_modules/pkg/runbooks/c.md': '# C\n',
      'vars/db.secret.yml': 'x: 1\n',
      'vendor/runbooks/d.md': '# D\n',
    });
    const config = { ...defaultConfig(), exclude: ['vendor/**'] };
    const found = await discover(root, config);
    assert.deepEqual(found.candidates.map((c) => c.relPath), ['infra/main.tf', 'runbooks/a.md']);
    assert.ok(found.allPaths.has('runbooks'));
    assert.ok(!found.allPaths.has('generated/runbooks/b.md'));
  });

  it('skips files over the size limit with a note, without reading them', async () => {
    const root = await writeWorkspace({ 'runbooks/huge.md': '# H\n' + 'x'.repeat(3 * 1024), 'runbooks/ok.md': '# ok\n' });
    const found = await discover(root, { ...defaultConfig(), maxFileSizeKb: 2 });
    assert.deepEqual(found.candidates.map((c) => c.relPath), ['runbooks/ok.md']);
    assert.equal(found.skipped.length, 1);
    assert.equal(found.skipped[0].relPath, 'runbooks/huge.md');
    assert.match(found.skipped[0].reason, /maxFileSizeKb/);
  });
});

describe('workspace index', () => {
  it('indexes each kind and answers queries by service, owner, tag and kind', async () => {
    const root = await writeWorkspace({
      'runbooks/api.md': RUNBOOK('api', 'sre', ['http', 'tier1']),
      'runbooks/db.md': RUNBOOK('db', 'dba', ['database', 'tier1']),
      'infra/main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n',
      'alerts/api.yml': 'groups:\n  - name: api\n    rules:\n      - alert: ApiDown\n        expr: up == 0\n',
      'k8s/api.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n',
    });
    const engine = await Engine.create(root);
    const idx = engine.index;
    assert.deepEqual(idx.runbooks().map((f) => f.relPath), ['runbooks/api.md', 'runbooks/db.md']);
    assert.deepEqual(idx.runbooks({ service: 'db' }).map((f) => f.relPath), ['runbooks/db.md']);
    assert.deepEqual(idx.runbooks({ owner: 'SRE' }).map((f) => f.relPath), ['runbooks/api.md']);
    assert.deepEqual(idx.runbooks({ tag: 'tier1' }).map((f) => f.relPath), ['runbooks/api.md', 'runbooks/db.md']);
    assert.deepEqual(idx.byKind('terraform').map((f) => f.relPath), ['infra/main.tf']);
    assert.equal(idx.get(path.join(root, 'runbooks/api.md'))?.runbook?.owner, 'sre');
    assert.equal(idx.get('alerts/api.yml')?.alerts?.[0].name, 'ApiDown');
    assert.deepEqual(idx.stats(), { runbook: 2, terraform: 1, 'alert-rules': 1, 'k8s-manifest': 1 });
    assert.deepEqual(idx.inDir(path.join(root, 'runbooks')).map((f) => f.relPath), ['runbooks/api.md', 'runbooks/db.md']);
    // Cached answers follow changes to the index.
    await engine.update(path.join(root, 'infra/extra.tf'), 'variable "x" {}\n');
    assert.deepEqual(idx.byKind('terraform').map((f) => f.relPath), ['infra/extra.tf', 'infra/main.tf']);
    assert.deepEqual(idx.inDir(path.join(root, 'infra')).map((f) => f.relPath), ['infra/extra.tf', 'infra/main.tf']);
    await engine.remove(path.join(root, 'runbooks/db.md'));
    assert.deepEqual(idx.inDir(path.join(root, 'runbooks')).map((f) => f.relPath), ['runbooks/api.md']);
  });

  it('re-parses only the changed file and reports it', async () => {
    const root = await writeWorkspace({ 'runbooks/a.md': RUNBOOK('a', 'x', []), 'runbooks/b.md': RUNBOOK('b', 'y', []) });
    const engine = await Engine.create(root);
    const a = engine.index.get('runbooks/a.md')!;
    const b = engine.index.get('runbooks/b.md')!;
    writeFileSync(path.join(root, 'runbooks/a.md'), RUNBOOK('a', 'new-owner', []));
    const change = await engine.update(path.join(root, 'runbooks/a.md'));
    assert.deepEqual(change.updated.map((f) => f.relPath), ['runbooks/a.md']);
    assert.equal(engine.index.get('runbooks/a.md')!.runbook?.owner, 'new-owner');
    assert.ok(engine.index.get('runbooks/a.md')!.version > a.version);
    assert.equal(engine.index.get('runbooks/b.md'), b, 'the other file keeps its very same entry');
    // Saving the same text again re-parses nothing.
    const again = await engine.update(path.join(root, 'runbooks/a.md'));
    assert.equal(again.updated.length, 0);
  });

  it('indexes created files, drops deleted ones and follows renames', async () => {
    const root = await writeWorkspace({ 'runbooks/a.md': RUNBOOK('a', 'x', []) });
    const engine = await Engine.create(root);
    writeFileSync(path.join(root, 'runbooks/new.md'), RUNBOOK('n', 'x', []));
    await engine.update(path.join(root, 'runbooks/new.md'));
    assert.ok(engine.index.get('runbooks/new.md'));
    renameSync(path.join(root, 'runbooks/new.md'), path.join(root, 'runbooks/renamed.md'));
    await engine.rename(path.join(root, 'runbooks/new.md'), path.join(root, 'runbooks/renamed.md'));
    assert.equal(engine.index.get('runbooks/new.md'), undefined);
    assert.ok(engine.index.get('runbooks/renamed.md'));
    assert.ok(!engine.index.exists('runbooks/new.md'));
    assert.ok(engine.index.exists('runbooks/renamed.md'));
    rmSync(path.join(root, 'runbooks'), { recursive: true });
    const gone = await engine.remove(path.join(root, 'runbooks'));
    assert.deepEqual(gone.removed.map((p) => path.posix.basename(p)).sort(), ['a.md', 'renamed.md']);
    assert.equal(engine.index.size, 0);
  });

  it('keeps reverse references: a link target change re-checks the file that links to it', async () => {
    const root = await writeWorkspace({
      'runbooks/a.md': RUNBOOK('a', 'x', []) + '\nSee [b](b.md).\n',
      'runbooks/b.md': RUNBOOK('b', 'x', []),
      'alerts/x.yml': 'groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: up == 0\n        annotations:\n          runbook_url: ../runbooks/b.md\n',
    });
    const engine = await Engine.create(root);
    const b = path.posix.join(engine.index.root, 'runbooks/b.md');
    assert.deepEqual(engine.index.referrers(b).map((f) => f.relPath).sort(), ['alerts/x.yml', 'runbooks/a.md']);
    rmSync(path.join(root, 'runbooks/b.md'));
    const change = await engine.remove(b);
    assert.deepEqual(change.affected.map((f) => f.relPath).sort(), ['alerts/x.yml', 'runbooks/a.md']);
    assert.deepEqual(change.relint.map((p) => path.posix.relative(engine.index.root, p)).sort(), ['alerts/x.yml', 'runbooks/a.md']);
    // Re-creating the target finds the same referrers (references to missing files are kept).
    mkdirSync(path.join(root, 'runbooks'), { recursive: true });
    writeFileSync(path.join(root, 'runbooks/b.md'), RUNBOOK('b', 'x', []));
    const back = await engine.update(b);
    assert.deepEqual(back.affected.map((f) => f.relPath).sort(), ['alerts/x.yml', 'runbooks/a.md']);
  });

  it('keeps broken files in the index with positioned parse errors', async () => {
    const root = await writeWorkspace({
      'runbooks/bad.md': '---\nowner: [oops\n---\n# Bad\n',
      'infra/broken.tf': 'resource "aws_instance" "x" {\n  ami = \n',
      'k8s/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n',
    });
    const engine = await Engine.create(root);
    for (const rel of ['runbooks/bad.md', 'infra/broken.tf', 'k8s/bad.yaml']) {
      const f = engine.index.get(rel);
      assert.ok(f, rel);
      assert.ok(f!.errors.some((e) => e.severity === 'error'), `${rel} has a parse error`);
      for (const e of f!.errors) assert.ok(e.range.start.line >= 0 && e.range.start.line < 5, `${rel}: ${JSON.stringify(e.range)}`);
    }
    const findings = engine.allFindings();
    assert.ok(findings.some((f) => f.ruleId === 'runbook/frontmatter-invalid' && f.path.endsWith('bad.md')));
    assert.ok(findings.some((f) => f.ruleId === 'opsreview/parse-error' && f.path.endsWith('broken.tf')));
    assert.ok(findings.some((f) => f.ruleId === 'opsreview/parse-error' && f.path.endsWith('bad.yaml')));
  });

  it('reloads the configuration when .opsreview.yml changes', async () => {
    const root = await writeWorkspace({ 'ops/restart.md': '# Restart\n' });
    const engine = await Engine.create(root);
    assert.equal(engine.index.get('ops/restart.md'), undefined);
    writeFileSync(path.join(root, '.opsreview.yml'), 'runbooks:\n  globs: ["ops/*.md"]\n');
    const change = await engine.update(path.join(root, '.opsreview.yml'));
    assert.equal(change.configReloaded, true);
    assert.equal(engine.index.get('ops/restart.md')?.kind, 'runbook');
  });

  it('reports config errors as positioned findings on the config file', async () => {
    const root = await writeWorkspace({ '.opsreview.yml': 'runbooks:\n  reviewMaxAgeDays: -3\n', 'runbooks/a.md': '# A\n' });
    const engine = await Engine.create(root);
    assert.equal(engine.configErrors.length, 1);
    const f = engine.allFindings().filter((x) => x.ruleId === 'opsreview/config-invalid');
    assert.equal(f.length, 1);
    assert.equal(f[0].range.start.line, 1);
  });
});
