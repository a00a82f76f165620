import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main';
import {
  availableChecklists,
  builtinChecklists,
  Checklist,
  checklistJsonSchema,
  checklistMarkdown,
  checklistSchema,
  evaluateChecklist,
  parseChecklistText,
  parseRunText,
  readRun,
  runFile,
  updateRun,
} from '../../src/engine/checklists';
import { Engine } from '../../src/engine/engine';
import { zWebviewMessage } from '../../src/extension/checklist/messages';
import { writeWorkspace } from './helpers';

// Checklists: the schema and its positioned errors, evidence verdicts on small workspaces, run
// files (round trip, concurrent writers, changes on disk between read and write, broken files),
// the markdown summary, and the CLI gate on the sample workspace and a clean one.

const repo = path.resolve(__dirname, '../../..');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

function checklist(items: Checklist['sections'][number]['items']): Checklist {
  return checklistSchema.parse({ id: 'test', title: 'Test', description: 'A test checklist.', sections: [{ id: 'main', title: 'Main', items }] });
}

const DEPLOY_RUNBOOK_GOOD = `---
title: Deploy api
owner: sre
service: api
tags: [api]
type: deploy
last_reviewed: 2026-11-01
---
# Deploy api

## Deploy
- Run \`helm upgrade api chart/\`.

## Rollback
- Run \`helm rollback api\` and watch the error rate.
`;
const DEPLOY_RUNBOOK_NO_ROLLBACK = `---
title: Deploy worker
owner: sre
service: worker
tags: [worker]
type: deploy
last_reviewed: 2026-11-01
---
# Deploy worker

## Deploy
- Run \`helm upgrade worker chart/\`.
`;

describe('checklists: schema', () => {
  it('accepts every built-in, each item with its practice and why', () => {
    const all = builtinChecklists();
    assert.deepEqual(all.map((c) => c.id), ['release-gate', 'security', 'production-readiness', 'postmortem']);
    for (const c of all) {
      for (const item of c.sections.flatMap((s) => s.items)) {
        assert.ok(item.practice, `${c.id}/${item.id} names its practice`);
        assert.ok(item.why.length > 20, `${c.id}/${item.id} says why`);
      }
    }
  });

  it('rejects malformed checklists with messages positioned on the offending node', () => {
    const text = [
      'id: Release Gate', // 0: not a slug
      'title: Gate',
      'description: d',
      'sections:',
      '  - id: main',
      '    title: Main',
      '    items:',
      '      - id: both', // 7
      '        text: t',
      '        why: w',
      '        manual: true',
      '        evidence: { rules: [runbook/rollback-missing] }',
      '      - id: nowhy', // 12
      '        text: t',
      '        manual: true',
      '      - id: badrule', // 15
      '        text: t',
      '        why: w',
      '        evidence: { rules: [not-a-rule-id] }', // 18
      '      - id: both', // 19: duplicate id
      '        text: t',
      '        why: w',
      '        manual: true',
      '        colour: red', // 23: unknown key
    ].join('\n');
    const r = parseChecklistText(text, 'team.yml');
    assert.equal(r.checklist, undefined);
    const at = (pattern: RegExp): number[] => r.errors.filter((e) => pattern.test(e.message)).map((e) => e.range.start.line);
    assert.deepEqual(at(/^team\.yml id: use lower-case/), [0]);
    assert.deepEqual(at(/sections\.0\.items\.0: an item has either `manual: true` or `evidence`/), [7]);
    assert.deepEqual(at(/sections\.0\.items\.1\.why/), [12], 'a missing key points at the item');
    assert.deepEqual(at(/sections\.0\.items\.2\.evidence\.rules\.0: a rule id looks like/), [18]);
    assert.deepEqual(at(/Unknown option 'colour'/), [23]);
    // Duplicate ids are checked once every item is valid on its own.
    const dup = parseChecklistText('id: g\ntitle: G\ndescription: d\nsections:\n  - id: a\n    title: A\n    items:\n      - {id: x, text: t, why: w, manual: true}\n  - id: b\n    title: B\n    items:\n      - {id: x, text: t, why: w, manual: true}\n', 'team.yml');
    assert.deepEqual(dup.errors.map((e) => [e.range.start.line, e.message]), [[11, "team.yml sections.1.items.0.id: item id 'x' is used twice; run files key items by id"]]);
  });

  it('reports YAML errors and several documents', () => {
    assert.match(parseChecklistText('id: [unclosed\n').errors[0].message, /Invalid YAML/);
    assert.match(parseChecklistText('id: a\n---\nid: b\n').errors[0].message, /exactly one YAML document/);
  });

  it('ships checklist.schema.json identical to the one generated from the zod schema', () => {
    const shipped = JSON.parse(readFileSync(path.join(repo, 'checklist.schema.json'), 'utf8'));
    assert.deepEqual(shipped, JSON.parse(JSON.stringify(checklistJsonSchema())), 'run `npm run gen-schema` after changing src/engine/checklists/schema.ts');
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
    assert.ok(pkg.contributes.yamlValidation.some((v: { fileMatch: string[]; url: string }) => v.url === './checklist.schema.json' && v.fileMatch.includes('.opsreview/checklists/*.yml')));
  });
});

describe('checklists: evidence', function () {
  this.timeout(30000);

  async function engineFor(files: Record<string, string>, config?: object): Promise<Engine> {
    return Engine.create(await writeWorkspace(files, config), { now: new Date('2026-11-25T00:00:00Z') });
  }

  const RULE_ITEM = checklist([{ id: 'rollback', text: 'Rollback written', why: 'Every release carries a rollback plan.', evidence: { rules: ['runbook/rollback-missing'] } }]);

  it('a rule fails with its findings listed, file and 1-based line', async () => {
    const engine = await engineFor({ 'runbooks/deploy-worker.md': DEPLOY_RUNBOOK_NO_ROLLBACK, 'runbooks/deploy-api.md': DEPLOY_RUNBOOK_GOOD });
    const r = evaluateChecklist(RULE_ITEM, engine);
    const item = r.items[0];
    assert.equal(item.state, 'fail');
    assert.equal(item.blocking, true);
    assert.deepEqual(item.evidence.map((e) => [e.ruleId, e.file, e.line]), [['runbook/rollback-missing', 'runbooks/deploy-worker.md', 6]]);
    assert.equal(item.parts[0].checked, 2);
    assert.equal(r.verdict, 'blocked');
    assert.deepEqual(r.blocking, ['rollback']);
  });

  it('a rule passes when files of its kinds exist and none fails', async () => {
    const r = evaluateChecklist(RULE_ITEM, await engineFor({ 'runbooks/deploy-api.md': DEPLOY_RUNBOOK_GOOD }));
    assert.equal(r.items[0].state, 'pass');
    assert.equal(r.items[0].evidence.length, 0);
    assert.equal(r.verdict, 'ready');
  });

  it('a rule is n/a when the workspace has nothing of its kinds', async () => {
    const r = evaluateChecklist(RULE_ITEM, await engineFor({ 'main.tf': 'resource "null_resource" "x" {}\n' }));
    assert.equal(r.items[0].state, 'na');
    assert.equal(r.verdict, 'ready');
  });

  it('an unknown rule id is not evaluated and blocks; a rule switched off is n/a; both say so', async () => {
    const c = checklist([
      { id: 'future', text: 'Future rule', why: 'A rule another version adds.', evidence: { rules: ['acme/future-rule'] } },
      { id: 'off', text: 'Switched off', why: 'The team switched it off.', evidence: { rules: ['runbook/rollback-missing'] } },
    ]);
    const r = evaluateChecklist(c, await engineFor({ 'runbooks/deploy-worker.md': DEPLOY_RUNBOOK_NO_ROLLBACK }, { rules: { 'runbook/rollback-missing': 'off' } }));
    assert.deepEqual(r.items.map((i) => i.state), ['not-evaluated', 'na']);
    assert.deepEqual(r.items.map((i) => i.reason), ['rule acme/future-rule is not known to this version of OpsReview, so it was not evaluated', 'rule runbook/rollback-missing is switched off in .opsreview.yml']);
    assert.deepEqual(r.notes, ['rule acme/future-rule is not known to this version of OpsReview, so it was not evaluated', 'rule runbook/rollback-missing is switched off in .opsreview.yml']);
    assert.equal(r.verdict, 'blocked');
    assert.deepEqual(r.blocking, ['future']);
  });

  it('`exists` passes with a matching file and fails without one; filters by type and path', async () => {
    const c = checklist([
      { id: 'deploy', text: 'deploy runbook', why: 'A standard deployment process.', evidence: { queries: [{ exists: 'runbook', type: ['deploy'] }] } },
      { id: 'release', text: 'release runbook', why: 'A standard release process.', evidence: { queries: [{ exists: 'runbook', type: ['release'] }] } },
      { id: 'in-ops', text: 'runbook under ops/', why: 'Runbooks live in one place.', evidence: { queries: [{ exists: ['runbook', 'postmortem'], path: 'ops/**' }] } },
    ]);
    const r = evaluateChecklist(c, await engineFor({ 'runbooks/deploy-api.md': DEPLOY_RUNBOOK_GOOD }));
    assert.deepEqual(r.items.map((i) => i.state), ['pass', 'fail', 'fail']);
    assert.deepEqual(r.items[1].evidence, [{ ruleId: 'query/exists', file: null, line: null, message: 'None found: a runbook (type release) exists.' }]);
    assert.equal(r.items[2].parts[0].label, 'a runbook or postmortem (under ops/**) exists');
    // `type` narrows runbooks only: a pipeline satisfies "a deploy runbook or a pipeline".
    const either = checklist([{ id: 'process', text: 'deploy process', why: 'A standard deployment process.', evidence: { queries: [{ exists: ['runbook', 'github-workflow'], type: ['deploy'] }] } }]);
    const workflowOnly = await engineFor({ '.github/workflows/ci.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n' });
    assert.equal(evaluateChecklist(either, workflowOnly).items[0].state, 'pass');
    assert.equal(evaluateChecklist(either, await engineFor({ 'runbooks/db.md': '---\nowner: sre\ntype: incident\n---\n# DB\n' })).items[0].state, 'fail');
  });

  it('`every` fails naming the files that lack a section, passes when all have it, n/a without files', async () => {
    const c = checklist([
      { id: 'pm', text: 'postmortem sections', why: 'Blameless postmortems record the timeline.', evidence: { queries: [{ every: 'postmortem', sections: ['Timeline', 'Root cause|Contributing factors'] }] } },
      { id: 'owners', text: 'runbooks owned', why: 'Every runbook has an owner.', evidence: { queries: [{ every: 'runbook', frontmatter: ['owner', 'service'] }] } },
    ]);
    const good = '---\ntype: postmortem\n---\n# Incident\n\n## Timeline (UTC)\n- 14:02 deploy\n\n## Contributing factors\nLocks.\n';
    const bad = '---\ntype: postmortem\n---\n# Incident\n\n## Timeline\n- 14:02 deploy\n';
    const r = evaluateChecklist(c, await engineFor({ 'postmortems/a.md': good, 'postmortems/b.md': bad }));
    assert.equal(r.items[0].state, 'fail');
    assert.deepEqual(r.items[0].evidence, [{ ruleId: 'query/every', file: 'postmortems/b.md', line: 1, message: 'Lacks section "Root cause|Contributing factors".' }]);
    assert.equal(r.items[1].state, 'na', 'no runbook in this workspace');
    const r2 = evaluateChecklist(c, await engineFor({ 'postmortems/a.md': good, 'runbooks/deploy-api.md': DEPLOY_RUNBOOK_GOOD }));
    assert.deepEqual(r2.items.map((i) => i.state), ['pass', 'pass']);
  });

  it('a query on a file kind this version does not know is not evaluated', async () => {
    const c = checklist([{ id: 'slo', text: 'SLO files', why: 'SLOs are written down.', evidence: { queries: [{ exists: 'slo' }] } }]);
    const r = evaluateChecklist(c, await engineFor({ 'runbooks/deploy-api.md': DEPLOY_RUNBOOK_GOOD }));
    assert.equal(r.items[0].state, 'not-evaluated');
    assert.match(r.notes[0], /file kind or subject slo is not known/);
  });

  it('manual items block until done or waived; a waiver on failing evidence records the exception', async () => {
    const c = checklist([
      { id: 'rehearsed', text: 'Rollback rehearsed', why: 'The rollback is tested.', manual: true },
      { id: 'rollback', text: 'Rollback written', why: 'Every release carries a rollback plan.', evidence: { rules: ['runbook/rollback-missing'] } },
    ]);
    const engine = await engineFor({ 'runbooks/deploy-worker.md': DEPLOY_RUNBOOK_NO_ROLLBACK });
    assert.deepEqual(evaluateChecklist(c, engine).blocking, ['rehearsed', 'rollback']);
    const r = evaluateChecklist(c, engine, { items: { rehearsed: { state: 'done', by: 'ana' }, rollback: { state: 'waived', note: 'worker is deployed by the platform team this once' } } });
    assert.deepEqual(r.items.map((i) => i.state), ['done', 'waived']);
    assert.equal(r.items[1].evidence.length, 1, 'the waived findings stay listed');
    assert.equal(r.verdict, 'ready');
    // `done` does not override evidence.
    assert.equal(evaluateChecklist(c, engine, { items: { rollback: { state: 'done' } } }).items[1].state, 'fail');
  });

  it('team checklists are indexed, replace a built-in of the same id, and their schema errors are diagnostics', async () => {
    const team = 'id: release-gate\ntitle: Our gate\ndescription: Ours.\nsections:\n  - id: main\n    title: Main\n    items:\n      - id: signed-off\n        text: Signed off\n        why: The release manager signs off.\n        manual: true\n';
    const broken = 'id: broken\ntitle: Broken\ndescription: d\nsections:\n  - id: main\n    title: Main\n    items:\n      - id: x\n        text: t\n        why: w\n';
    const engine = await engineFor({ '.opsreview/checklists/gate.yml': team, '.opsreview/checklists/broken.yml': broken, '.opsreview/runs/release-gate/r1.yml': 'items: {}\n' }, { checklists: { disable: ['postmortem'] } });
    const list = availableChecklists(engine);
    assert.deepEqual(list.map((e) => [e.checklist.id, e.source]), [
      ['release-gate', '.opsreview/checklists/gate.yml'],
      ['security', 'builtin'],
      ['production-readiness', 'builtin'],
    ]);
    const findings = engine.allFindings().filter((f) => f.path.endsWith('broken.yml'));
    assert.equal(findings.length, 1);
    assert.equal(findings[0].ruleId, 'opsreview/parse-error');
    assert.equal(findings[0].range.start.line, 7);
    assert.match(findings[0].message, /an item has either `manual: true` or `evidence`/);
    assert.equal(engine.index.get('.opsreview/runs/release-gate/r1.yml'), undefined, 'run files are not indexed as anything');
    const none = await engineFor({}, { checklists: { builtins: false } });
    assert.deepEqual(availableChecklists(none), []);
  });
});

describe('checklists: run files', function () {
  this.timeout(30000);

  it('round-trip: what is written reads back the same, as plain YAML', async () => {
    const root = await writeWorkspace({});
    const file = runFile(root, 'release-gate', 'v2.14.0');
    const w = await updateRun(file, { 'rollback-rehearsed': { state: 'done', by: 'Ana Lima', at: '2026-11-25T10:00:00.000Z', note: 'staging, 4 min' }, 'feature-flags': { state: 'waived', by: 'Ana Lima', at: '2026-11-25T10:01:00.000Z', note: 'no flag system yet' } }, { checklistId: 'release-gate' });
    assert.ok(w.ok);
    const r = readRun(file);
    assert.ok(r.ok);
    assert.deepEqual(r.snapshot.run.items, {
      'rollback-rehearsed': { state: 'done', by: 'Ana Lima', at: '2026-11-25T10:00:00.000Z', note: 'staging, 4 min' },
      'feature-flags': { state: 'waived', by: 'Ana Lima', at: '2026-11-25T10:01:00.000Z', note: 'no flag system yet' },
    });
    assert.equal(r.snapshot.run.checklist, 'release-gate');
    assert.equal(r.snapshot.hash, w.snapshot.hash);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^checklist: release-gate$/m);
    assert.match(text, /^ {2}rollback-rehearsed:\n {4}state: done\n {4}by: Ana Lima\n/m);
  });

  it('a waiver without a note is refused with a positioned message', () => {
    const r = parseRunText('items:\n  feature-flags:\n    state: waived\n', 'r.yml');
    assert.equal(r.run, undefined);
    assert.match(r.errors[0].message, /^r\.yml items\.feature-flags\.note: a waived item needs a note/);
    assert.equal(r.errors[0].range.start.line, 2, 'points at the item (its note is missing)');
  });

  it('two runs written concurrently keep both, in one process and across processes', async () => {
    const root = await writeWorkspace({});
    const a = runFile(root, 'release-gate', 'a');
    const b = runFile(root, 'release-gate', 'b');
    const writes = [];
    for (let i = 0; i < 10; i++) {
      writes.push(updateRun(a, { [`item-${i}`]: { state: 'done', by: 'one' } }));
      writes.push(updateRun(b, { [`item-${i}`]: { state: 'done', by: 'two' } }));
    }
    await Promise.all(writes);
    for (const f of [a, b]) {
      const r = readRun(f);
      assert.ok(r.ok);
      assert.equal(Object.keys(r.snapshot.run.items).length, 10, `${path.basename(f)} keeps every item`);
    }
    // Two processes ticking different items of the same run at the same time.
    const shared = runFile(root, 'release-gate', 'shared');
    const runsModule = path.join(repo, 'out/src/engine/checklists/runs.js');
    const writer = (who: string): Promise<unknown> =>
      promisify(execFile)(process.execPath, ['-e', `const { updateRun } = require(${JSON.stringify(runsModule)}); (async () => { for (let i = 0; i < 15; i++) { const r = await updateRun(${JSON.stringify(shared)}, { ['${who}-' + i]: { state: 'done', by: '${who}' } }); if (!r.ok) process.exit(3); } })();`]);
    await Promise.all([writer('ana'), writer('bo')]);
    const r = readRun(shared);
    assert.ok(r.ok);
    assert.equal(Object.keys(r.snapshot.run.items).length, 30, 'no write of either process is lost');
  });

  it('a run file changed on disk between read and write is merged, not clobbered; a conflict is reported', async () => {
    const root = await writeWorkspace({});
    const file = runFile(root, 'release-gate', 'v1');
    await updateRun(file, { 'tests-green': { state: 'done', by: 'ana' }, 'oncall-aware': { state: 'open' } });
    const seen = readRun(file);
    assert.ok(seen.ok);
    // Someone edits the file by hand meanwhile: a comment, another item, and the item we change.
    const edited = readFileSync(file, 'utf8').replace('items:', '# signed off in the CAB meeting\nitems:') + '  change-approved:\n    state: done\n    by: bo\n';
    writeFileSync(file, edited.replace(/oncall-aware:\n {4}state: open/, 'oncall-aware:\n    state: waived\n    note: on-call is the release engineer'));
    const w = await updateRun(file, { 'rollback-rehearsed': { state: 'done', by: 'ana' }, 'oncall-aware': { state: 'done', by: 'ana' } }, { base: seen.snapshot });
    assert.ok(w.ok);
    assert.deepEqual(w.written, ['rollback-rehearsed']);
    assert.deepEqual(w.conflicts.map((c) => [c.itemId, c.theirs?.state]), [['oncall-aware', 'waived']]);
    const after = readFileSync(file, 'utf8');
    assert.match(after, /# signed off in the CAB meeting/, 'the hand-written comment survives');
    const r = readRun(file);
    assert.ok(r.ok);
    assert.deepEqual(Object.fromEntries(Object.entries(r.snapshot.run.items).map(([k, v]) => [k, v.state])), {
      'tests-green': 'done',
      'oncall-aware': 'waived',
      'change-approved': 'done',
      'rollback-rehearsed': 'done',
    });
  });

  it('a broken run file gives a positioned error and is never overwritten', async () => {
    const root = await writeWorkspace({});
    const file = runFile(root, 'release-gate', 'broken');
    mkdirSync(path.dirname(file), { recursive: true });
    const text = 'items:\n  tests-green:\n    state: done\n  oops: [unclosed\n';
    writeFileSync(file, text);
    const r = readRun(file);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.errors[0].range.start.line >= 3 && /Invalid YAML in broken\.yml/.test(r.errors[0].message));
    const w = await updateRun(file, { 'change-approved': { state: 'done' } });
    assert.equal(w.ok, false);
    assert.equal(readFileSync(file, 'utf8'), text);
  });
});

describe('checklists: markdown export', function () {
  this.timeout(30000);

  it('renders the verdict, what blocks it, and each section as a task list, text for text', async () => {
    const root = await writeWorkspace({ 'runbooks/deploy-worker.md': DEPLOY_RUNBOOK_NO_ROLLBACK, 'runbooks/deploy-api.md': DEPLOY_RUNBOOK_GOOD });
    const engine = await Engine.create(root, { now: new Date('2026-11-25T00:00:00Z') });
    const c = checklistSchema.parse({
      id: 'mini-gate',
      title: 'Mini gate',
      description: 'A small gate.',
      sections: [
        {
          id: 'rollback',
          title: 'Rollback',
          items: [
            { id: 'written', text: 'Deploy runbooks have a rollback section.', why: 'Every release carries a rollback plan.', evidence: { rules: ['runbook/rollback-missing'] } },
            { id: 'rehearsed', text: 'The rollback was rehearsed.', why: 'The rollback is tested.', manual: true },
            { id: 'flags', text: 'Risky code is behind a flag | toggle.', why: 'A flag is the fastest rollback.', manual: true },
          ],
        },
        { id: 'future', title: 'Later', items: [{ id: 'slo', text: 'SLOs alert on burn rate.', why: 'Error budgets.', evidence: { rules: ['acme/future-rule'] } }] },
      ],
    });
    const r = evaluateChecklist(c, engine, { items: { rehearsed: { state: 'done', by: 'Ana Lima', at: '2026-11-25T10:00:00.000Z', note: 'staging, 4 minutes' }, flags: { state: 'open' } } }, 'v2.14.0');
    assert.equal(
      checklistMarkdown(r),
      [
        '## Mini gate — run `v2.14.0`',
        '',
        '⛔ **Blocked**: 1 of 4 items settled.',
        '',
        'Blocked by:',
        '',
        '- `written` Deploy runbooks have a rollback section. (1 finding)',
        '- `flags` Risky code is behind a flag \\| toggle. (not ticked)',
        '- `slo` SLOs alert on burn rate. (not evaluated)',
        '',
        '### Rollback',
        '',
        '- [ ] ❌ fail — Deploy runbooks have a rollback section.',
        '  - `runbooks/deploy-worker.md:6` This runbook is a `deploy` runbook and runs `helm upgrade` (line 12) but has no rollback section: add a "## Rollback" section that says when and how to undo the change, and how to verify it. (runbook/rollback-missing)',
        '- [x] ✅ done — The rollback was rehearsed.',
        '  - Ana Lima, 2026-11-25: staging, 4 minutes',
        '- [ ] ⬜ open — Risky code is behind a flag \\| toggle.',
        '### Later',
        '',
        '- [ ] ❔ not evaluated — SLOs alert on burn rate.',
        '  - rule acme/future-rule is not known to this version of OpsReview, so it was not evaluated.',
        '',
        '<details><summary>Not evaluated</summary>',
        '',
        '- rule acme/future-rule is not known to this version of OpsReview, so it was not evaluated',
        '',
        '</details>',
        '',
        '<sub>Checklist `mini-gate` evaluated by OpsReview from the repository\'s files and `.opsreview/runs/mini-gate/v2.14.0.yml`.</sub>',
        '',
      ].join('\n'),
    );
  });
});

describe('checklists: CLI gate', function () {
  this.timeout(60000);

  it('lists the checklists of a folder as text and as JSON {id, title, description}', async () => {
    const root = await writeWorkspace({ '.opsreview/checklists/db.yml': 'id: database-change\ntitle: Database change\ndescription: Before a migration.\nsections:\n  - id: main\n    title: Main\n    items:\n      - {id: dry-run, text: Dry run done, why: Locks show on real data., manual: true}\n' });
    const json = await cli(['checklist', 'list', root, '--format', 'json']);
    assert.equal(json.code, 0);
    const list = JSON.parse(json.out) as Record<string, string>[];
    assert.deepEqual(list.map((c) => c.id), ['release-gate', 'security', 'production-readiness', 'postmortem', 'database-change']);
    for (const c of list) assert.deepEqual(Object.keys(c), ['id', 'title', 'description']);
    const text = await cli(['checklist', 'list', root]);
    assert.match(text.out, /^release-gate {2,}Release gate$/m);
    assert.match(text.out, /^database-change {2,}Database change \(\.opsreview\/checklists\/db\.yml\)$/m);
  });

  it('blocks the release gate of the sample workspace on its deliberate problems (exit 1)', async () => {
    const r = await cli(['checklist', 'run', 'release-gate', path.join(repo, 'runbooks'), '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    const out = JSON.parse(r.out);
    assert.deepEqual(Object.keys(out), ['checklist', 'title', 'run', 'verdict', 'items']);
    assert.equal(out.verdict, 'blocked');
    assert.equal(out.run, null);
    for (const i of out.items) assert.deepEqual(Object.keys(i), ['id', 'section', 'text', 'why', 'kind', 'state', 'reason', 'evidence']);
    const byId = new Map<string, { state: string; evidence: { ruleId: string; file: string }[] }>(out.items.map((i: { id: string }) => [i.id, i]));
    assert.equal(byId.get('rollback-written')!.state, 'fail');
    assert.deepEqual(byId.get('rollback-written')!.evidence.map((e) => [e.ruleId, e.file]), [['runbook/rollback-missing', 'deploy-payments-worker.md']]);
    assert.equal(byId.get('images-pinned')!.state, 'fail');
    assert.equal(byId.get('deploy-process-written')!.state, 'pass');
    assert.equal(byId.get('tests-green')!.state, 'open');
  });

  it('passes a clean workspace once every manual item is ticked (exit 0), and blocks it before', async () => {
    const root = await writeWorkspace({ 'runbooks/deploy-api.md': DEPLOY_RUNBOOK_GOOD });
    const before = await cli(['checklist', 'run', 'release-gate', root]);
    assert.equal(before.code, 1);
    assert.match(before.out, /Blocked by \d+ items: tests-green, scans-green, deploy-approval-required, iac-plan-reviewed, change-approved/);
    const gate = builtinChecklists().find((c) => c.id === 'release-gate')!;
    const manual = gate.sections.flatMap((s) => s.items).filter((i) => i.manual);
    await updateRun(runFile(root, 'release-gate', 'v1.0.0'), Object.fromEntries(manual.map((i) => [i.id, { state: 'done' as const, by: 'ana' }])));
    const after = await cli(['checklist', 'run', 'release-gate', root, '--run', 'v1.0.0', '--format', 'json']);
    assert.equal(after.code, 0, after.out);
    const out = JSON.parse(after.out);
    assert.equal(out.verdict, 'ready');
    assert.equal(out.run, 'v1.0.0');
    assert.ok(out.items.some((i: { state: string }) => i.state === 'pass'), 'evidence passes on the clean workspace');
    assert.ok(out.items.every((i: { state: string }) => i.state !== 'fail' && i.state !== 'open'));
    const md = await cli(['checklist', 'run', 'release-gate', root, '--run', 'v1.0.0', '--format', 'markdown']);
    assert.equal(md.code, 0);
    assert.match(md.out, /^✅ \*\*Ready\*\*: \d+ of \d+ items settled\.$/m);
  });

  it('exits 2 on usage errors: unknown checklist, missing run, bad format, broken run file', async () => {
    const root = await writeWorkspace({ '.opsreview/runs/release-gate/bad.yml': 'items:\n  x: {state: maybe}\n' });
    assert.equal((await cli(['checklist', 'run', 'nope', root])).code, 2);
    assert.equal((await cli(['checklist', 'run', 'release-gate', root, '--run', 'missing'])).code, 2);
    assert.equal((await cli(['checklist', 'run', 'release-gate', root, '--format', 'xml'])).code, 2);
    assert.equal((await cli(['checklist', 'run', 'release-gate', root, '--run', '../escape'])).code, 2);
    assert.equal((await cli(['checklist'])).code, 2);
    const bad = await cli(['checklist', 'run', 'release-gate', root, '--run', 'bad']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^\.opsreview\/runs\/release-gate\/bad\.yml:2:\d+ error bad\.yml items\.x\.state: /m);
  });
});

describe('checklists: webview messages', () => {
  it('accepts what the panel posts and rejects anything else', () => {
    for (const ok of [{ type: 'ready' }, { type: 'setItem', item: 'rollback-rehearsed', state: 'done', note: 'staging' }, { type: 'openFinding', file: 'k8s/a.yaml', line: 35 }, { type: 'openFinding', file: 'x.md', line: null }, { type: 'exportMarkdown' }, { type: 'openRuleDocs', ruleId: 'k8s/image-latest' }, { type: 'openItemDocs', item: 'rollback-written' }]) {
      assert.equal(zWebviewMessage.safeParse(ok).success, true, JSON.stringify(ok));
    }
    for (const bad of [
      { type: 'runCommand', command: 'rm -rf /' },
      { type: 'setItem', item: '../../etc/passwd', state: 'done' },
      { type: 'setItem', item: 'x', state: 'pass' },
      { type: 'setItem', item: 'x', state: 'waived', note: 'n'.repeat(2001) },
      { type: 'openFinding', file: '', line: 1 },
      { type: 'openFinding', file: 'a.md', line: 0 },
      { type: 'openRuleDocs', ruleId: '../../package.json' },
      'ready',
      null,
    ]) {
      assert.equal(zWebviewMessage.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
