import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Engine } from '../../src/engine/engine';
import type { IndexedFile } from '../../src/engine/model';
import { lintFile } from '../../src/engine/linter';
import { closestMarkdown } from '../../src/engine/rules/runbook/linkBroken';
import { isKustomizePatch } from '../../src/engine/rules/k8s/kustomize';
import { editDistance } from '../../src/engine/text';
import { writeWorkspace } from './helpers';

// Issue 18 (scale), fourth pass: answers now worked out once per index generation or per parse
// (kustomize patches, the did-you-mean of link-broken, placeholder notation, a manifest's own
// workloads, a file's alerts) must follow edits, and the did-you-mean must pick what the
// per-search code picked.

const deployment = (image: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: ${image}\n        ports:\n        - containerPort: 80\n`;
const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../../base\n';

describe('scale: per-generation caches follow the index', () => {
  let engine: Engine;
  let root: string;
  // The rules run afresh on the index as it is now (the engine's own per-file findings are
  // redone only for the files an edit touches, which is not what is tested here).
  const findings = (rel: string) => lintFile(engine.index.get(path.posix.join(engine.index.root, rel))!, engine.index, engine.config, { now: new Date('2026-11-25T00:00:00Z') });
  const rulesOf = (rel: string): string[] => findings(rel).map((f) => f.ruleId);

  before(async () => {
    root = await writeWorkspace({
      'kustomize/base/deployment.yaml': deployment('web:1.0'),
      'kustomize/overlays/prod/kustomization.yaml': KUSTOMIZATION,
      'kustomize/overlays/prod/patch.yaml': deployment('web:1.1'),
      'kustomize/overlays/prod/nested/patch.yaml': deployment('web:1.2'),
      'alerts/rules.yml': 'groups:\n  - name: g\n    rules:\n      - alert: HighErrors\n        expr: rate(errors_total[5m]) > 1\n        for: 5m\n        labels:\n          severity: page\n',
      // Every rule runs, whatever the recommended profile holds: these are questions about caches.
    }, { profile: 'all' });
    engine = await Engine.create(root, { now: new Date('2026-11-25T00:00:00Z') });
  });

  it('sees a kustomization that starts, then stops, naming a file as a patch', async () => {
    const patch = path.posix.join(engine.index.root, 'kustomize/overlays/prod/patch.yaml');
    const nested = path.posix.join(engine.index.root, 'kustomize/overlays/prod/nested/patch.yaml');
    assert.equal(isKustomizePatch(engine.index, patch), false);
    assert.ok(rulesOf('kustomize/overlays/prod/patch.yaml').includes('k8s/probes-missing'));
    const k = path.join(root, 'kustomize/overlays/prod/kustomization.yaml');
    await engine.update(k, `${KUSTOMIZATION}patches:\n- path: patch.yaml\npatchesStrategicMerge:\n- nested/patch.yaml\n`);
    assert.equal(isKustomizePatch(engine.index, patch), true);
    assert.equal(isKustomizePatch(engine.index, nested), true);
    // Only a kustomization in the file's folder or above it counts: not the base's, not a sibling's.
    assert.equal(isKustomizePatch(engine.index, path.posix.join(engine.index.root, 'kustomize/base/deployment.yaml')), false);
    assert.ok(!rulesOf('kustomize/overlays/prod/patch.yaml').includes('k8s/probes-missing'));
    await engine.update(k, KUSTOMIZATION);
    assert.equal(isKustomizePatch(engine.index, patch), false);
    assert.ok(rulesOf('kustomize/overlays/prod/patch.yaml').includes('k8s/probes-missing'));
  });

  it("re-reads a manifest's workloads and a file's alerts once they are edited", async () => {
    const manifest = path.join(root, 'kustomize/base/deployment.yaml');
    assert.ok(!rulesOf('kustomize/base/deployment.yaml').includes('k8s/image-latest'));
    await engine.update(manifest, deployment('web:latest'));
    assert.ok(rulesOf('kustomize/base/deployment.yaml').includes('k8s/image-latest'));
    const alerts = path.join(root, 'alerts/rules.yml');
    const summary = (): number => findings('alerts/rules.yml').filter((f) => f.ruleId === 'alert/summary-missing').length;
    const before = summary();
    await engine.update(alerts, 'groups:\n  - name: g\n    rules:\n      - alert: HighErrors\n        expr: rate(errors_total[5m]) > 1\n        for: 5m\n        labels:\n          severity: page\n      - alert: LowDisk\n        expr: disk_free < 1\n        for: 5m\n        labels:\n          severity: page\n');
    assert.equal(summary(), before * 2, 'the second alert is read, and judged like the first');
  });

  it('offers a runbook added after the first broken link was judged', async () => {
    const rb = path.join(root, 'runbooks/db.md');
    await engine.update(rb, '# Database\n\n## Steps\n1. See [failover](db-failovr.md).\n');
    const message = (): string | undefined => findings('runbooks/db.md').find((f) => f.ruleId === 'runbook/link-broken')?.message;
    assert.ok(message() && !/did you mean/.test(message()!), message());
    await engine.update(path.join(root, 'runbooks/db-failover.md'), '# Failover\n\n## Steps\n1. Promote the replica.\n');
    assert.match(message() ?? '', /did you mean runbooks\/db-failover\.md\?/);
  });
});

/** closestMarkdown as it was before its finder kept names, folders and distances: the reference. */
function reference(missingRel: string, files: IndexedFile[], self: string): { file: IndexedFile; unique: boolean } | undefined {
  const nameKeys = (name: string): string[] => {
    const keys = [name];
    if (name.length <= 64) for (let i = 0; i < name.length; i++) keys.push(name.slice(0, i) + name.slice(i + 1));
    return keys;
  };
  const byDir = new Map<string, IndexedFile[]>();
  const byName = new Map<string, IndexedFile[]>();
  const add = (map: Map<string, IndexedFile[]>, key: string, f: IndexedFile): void => {
    const list = map.get(key);
    if (!list) map.set(key, [f]);
    else if (list[list.length - 1] !== f) list.push(f);
  };
  for (const f of files) {
    const rel = f.relPath.toLowerCase();
    add(byDir, path.posix.dirname(rel), f);
    for (const key of nameKeys(path.posix.basename(rel))) add(byName, key, f);
  }
  const missing = missingRel.toLowerCase();
  const base = path.posix.basename(missing);
  const dir = path.posix.dirname(missing);
  const candidates = new Set<IndexedFile>(byDir.get(dir) ?? []);
  for (const key of nameKeys(base)) for (const f of byName.get(key) ?? []) candidates.add(f);
  const threshold = Math.max(2, Math.floor(base.replace(/\.(md|markdown)$/, '').length / 3));
  let best: { file: IndexedFile; d: number } | undefined;
  let ties = 0;
  for (const f of candidates) {
    if (f.path === self) continue;
    const rel = f.relPath.toLowerCase();
    const d = editDistance(base, path.posix.basename(rel)) + (path.posix.dirname(rel) === dir ? 0 : Math.min(2, editDistance(dir, path.posix.dirname(rel))));
    if (d > threshold) continue;
    if (!best || d < best.d) {
      best = { file: f, d };
      ties = 0;
    } else if (d === best.d) {
      ties++;
      if (f.relPath.localeCompare(best.file.relPath) < 0) best = { file: f, d };
    }
  }
  return best && { file: best.file, unique: ties === 0 };
}

describe('scale: the did-you-mean of runbook/link-broken', () => {
  it('picks the file, and says whether it is the only one, as a search over every candidate does', () => {
    // A seeded mix of near names and folders: typos, moves, ties, the linking file itself.
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const dirs = ['runbooks', 'runbook', 'docs/runbooks', 'docs/run-books', 'ops', 'ops/db', 'Runbooks'];
    const stems = ['db-failover', 'db-fail-over', 'dbfailover', 'cache-flush', 'cache-flash', 'restart', 'restarts', 'rb-120', 'rb-1200', 'rb-1205', 'rb-12', 'RB-120'];
    const files: IndexedFile[] = [];
    for (const d of dirs) for (const s of stems) if (rand(3)) files.push({ path: `/ws/${d}/${s}.md`, relPath: `${d}/${s}.md`, parsed: { type: 'markdown' } } as unknown as IndexedFile);
    const index = { generation: 1 };
    let compared = 0;
    let found = 0;
    for (let i = 0; i < 400; i++) {
      const d = dirs[rand(dirs.length)];
      const s = stems[rand(stems.length)];
      const typo = rand(2) ? s : s.slice(0, rand(s.length)) + s.slice(rand(s.length) + 1);
      const missing = `${d}/${typo}.md`;
      const self = files[rand(files.length)].path;
      const want = reference(missing, files, self);
      const got = closestMarkdown(missing, files, self, index);
      assert.deepEqual(got && { path: got.file.path, unique: got.unique }, want && { path: want.file.path, unique: want.unique }, missing);
      compared++;
      if (want) found++;
    }
    assert.equal(compared, 400);
    assert.ok(found > 100, `${found} searches found a file`);
  });
});
