import * as assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine';
import { parseYaml } from '../../src/engine/parsers/yaml';
import { editDistance } from '../../src/engine/text';
import { writeWorkspace } from './helpers';

// The shortcuts the profile of a cold check asked for (issue 18) must not change any answer:
// each is checked against the plain computation it replaces.

/** Plain Levenshtein distance, the whole table. */
function reference(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

describe('performance shortcuts give the same answers', () => {
  it('editDistance with a limit: the exact distance within it, more than the limit beyond it', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const word = (): string => Array.from({ length: rand(14) }, () => 'abcde/-.'[rand(8)]).join('');
    let within = 0;
    for (let k = 0; k < 4000; k++) {
      const a = word();
      // Half the pairs are near each other (a few edits), so small distances are well covered.
      const b = rand(2) ? word() : a.slice(0, rand(a.length + 1)) + 'x'.repeat(rand(2)) + a.slice(rand(a.length + 1));
      const exact = reference(a, b);
      assert.equal(editDistance(a, b), exact, `${a} / ${b}`);
      for (const limit of [0, 1, 2, 3, 5]) {
        const d = editDistance(a, b, limit);
        if (exact <= limit) {
          within++;
          assert.equal(d, exact, `${a} / ${b} within ${limit}`);
        } else assert.ok(d > limit, `${a} / ${b}: ${d} for ${exact} over ${limit}`);
      }
    }
    assert.ok(within > 2000, `only ${within} pairs within their limit: the test would not see a wrong band`);
  });

  it('YAML: one shared schema for plain documents, YAML 1.1 still read as 1.1 when a directive asks', () => {
    // `yes` is a string in YAML 1.2 (core) and true in YAML 1.1.
    assert.equal((parseYaml('a: yes\n').docs[0].toJS() as { a: unknown }).a, 'yes');
    assert.equal((parseYaml('%YAML 1.1\n---\na: yes\n').docs[0].toJS() as { a: unknown }).a, true);
    // A known tag used once (yaml adds it to the schema) reads the same the next time.
    const bin = (): unknown => (parseYaml('b: !!binary aGVsbG8=\n').docs[0].toJS() as { b: unknown }).b;
    assert.deepEqual(bin(), bin());
    // The pass-through tags still read as their value.
    assert.equal((parseYaml('k: !Ref Bucket\n').docs[0].toJS() as { k: unknown }).k, 'Bucket');
    assert.equal(parseYaml('a: yes\n').docs[0].errors.length, 0);
  });

  it('classifying again keeps the parse of a file that keeps its kind and text, and the findings are the same', async () => {
    const root = await writeWorkspace({
      'runbooks/db.md': '---\ntitle: DB failover\nservice: db\nowner: team-db\n---\n# DB failover\n\n## Steps\n1. Promote the replica.\n\nSee [missing](gone.md).\n',
      'alerts/db.yml': 'groups:\n  - name: db\n    rules:\n      - alert: DbDown\n        expr: up{job="db"} == 0\n        for: 5m\n        labels:\n          severity: page\n        annotations:\n          runbook_url: runbooks/db.md\n',
    });
    const engine = await Engine.create(root);
    const before = engine.allFindings();
    const file = engine.index.get(`${root}/runbooks/db.md`)!;
    const change = engine.index.reclassify(() => true);
    const again = engine.index.get(`${root}/runbooks/db.md`)!;
    assert.ok(change.updated.some((f) => f.path === again.path), 'the runbook was classified again');
    assert.notEqual(again, file, 'a new index entry');
    assert.equal(again.parsed, file.parsed, 'the same parse');
    assert.equal(again.hash, file.hash);
    // A changed text is parsed again.
    await engine.update(again.path, again.parsed.text + '\nMore.\n');
    assert.notEqual(engine.index.get(again.path)!.parsed, file.parsed);
    await engine.update(again.path, file.parsed.text);
    assert.deepEqual(engine.allFindings(), before);
  });

  it('an open file plainly listed is diagnosed before discovery, with links judged on the disk; the finished index is the same', async () => {
    const runbook = (link: string) => `---\ntitle: Open\nservice: api\nowner: sre\n---\n# Open\n\n## Steps\n1. Check.\n\nSee [there](${link}).\n`;
    const files: Record<string, string> = {
      '.gitignore': 'ignored/\n',
      'runbooks/open.md': runbook('other.md'),
      'runbooks/other.md': runbook('open.md'),
      'runbooks/broken.md': runbook('gone.md'),
      'ignored/open.md': runbook('gone.md'),
      'node_modules/pkg/README.md': runbook('gone.md'),
    };
    for (let i = 0; i < 30; i++) files[`more/r${i}.md`] = runbook('../runbooks/open.md');
    const root = await writeWorkspace(files);
    const open = ['runbooks/open.md', 'runbooks/broken.md', 'ignored/open.md', 'node_modules/pkg/README.md'].map((r) => ({ path: `${root}/${r}`, text: files[r] }));
    const early: { paths: string[]; progressSeen: boolean; findings: Map<string, string[]> }[] = [];
    let progressSeen = false;
    const engine = await Engine.create(root, {
      urgent: () => open,
      onProgress: () => (progressSeen = true),
      onUrgentParsed: (e, paths) => {
        early.push({ paths: paths.map((p) => p.slice(root.length + 1)), progressSeen, findings: new Map(paths.map((p) => [p.slice(root.length + 1), e.lintFile(p).map((f) => f.ruleId)])) });
      },
    });
    // First call: before discovery (no progress yet), only the plainly listed files.
    assert.deepEqual(early[0].paths.sort(), ['runbooks/broken.md', 'runbooks/open.md']);
    assert.equal(early[0].progressSeen, false);
    assert.ok(!early[0].findings.get('runbooks/open.md')!.includes('runbook/link-broken'), 'an existing link is not broken before discovery');
    assert.ok(early[0].findings.get('runbooks/broken.md')!.includes('runbook/link-broken'));
    // Then served again after discovery, and the ignored ones never.
    assert.ok(early.slice(1).some((c) => c.progressSeen && c.paths.includes('runbooks/open.md')));
    assert.ok(early.every((c) => !c.paths.some((p) => p.startsWith('ignored/') || p.startsWith('node_modules/'))));
    const plain = await Engine.create(root);
    assert.deepEqual([...engine.index.files()].map((f) => f.relPath).sort(), [...plain.index.files()].map((f) => f.relPath).sort());
    assert.deepEqual(engine.index.skipped, plain.index.skipped);
    assert.deepEqual(engine.allFindings(), plain.allFindings());
  });
});
