import * as assert from 'node:assert/strict';
import { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageConnection } from 'vscode-jsonrpc/node';
import { checked, Requests, zChecklistEvaluateResult, zChecklistSetItemResult, zChecklistsResult } from '../../src/server/protocol';
import { writeWorkspace } from './helpers';
import { initializeFolder, spawnServer, stopServer } from './lspServer';

// The checklist requests of the language server, as the VS Code panel (or any client) uses them:
// list, evaluate, set an item (with the merge and refusal paths), and the notification that
// evidence may have changed after a file changes.

const RUNBOOK = '---\ntitle: Deploy api\nowner: sre\nservice: api\ntags: [api]\ntype: deploy\nlast_reviewed: 2026-11-01\n---\n# Deploy api\n\n## Deploy\n- Run `helm upgrade api chart/`.\n';

describe('checklists over the language server', function () {
  this.timeout(30000);
  let proc: ChildProcess;
  let conn: MessageConnection;
  let root: string;
  let changed = 0;

  before(async () => {
    root = await writeWorkspace({ 'runbooks/deploy-api.md': RUNBOOK });
    ({ proc, conn } = spawnServer());
    for (const n of ['window/logMessage', 'opsreview/indexChanged', 'textDocument/publishDiagnostics']) conn.onNotification(n, () => undefined);
    conn.onNotification('opsreview/checklistsChanged', () => {
      changed++;
    });
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    await initializeFolder(conn, root);
  });

  after(() => stopServer({ proc, conn }));

  const evaluate = async (run = 'r1') => checked(zChecklistEvaluateResult, await conn.sendRequest(Requests.checklistEvaluate, { checklist: 'release-gate', run }), 'evaluate');
  const setItem = async (params: object) => checked(zChecklistSetItemResult, await conn.sendRequest(Requests.checklistSetItem, { checklist: 'release-gate', run: 'r1', ...params }), 'setItem');

  it('lists the checklists with their runs, and evaluates one', async () => {
    const list = checked(zChecklistsResult, await conn.sendRequest(Requests.checklists, {}), 'list');
    assert.deepEqual(list.checklists.map((c) => c.id), ['release-gate', 'security', 'production-readiness', 'postmortem']);
    assert.deepEqual(list.checklists[0].runs, []);
    const e = await evaluate();
    assert.equal(e.result.verdict, 'blocked');
    assert.equal(e.result.items.find((i) => i.id === 'rollback-written')!.state, 'fail');
    assert.equal(e.runHash, undefined, 'no run file yet');
    assert.match(e.markdown, /^## Release gate — run `r1`/);
  });

  it('sets a manual item, records who, and lists the run with its verdict', async () => {
    const r = await setItem({ item: 'tests-green', state: 'done', by: 'Ana Lima', note: 'CI run 4812' });
    assert.equal(r.ok, true);
    const item = r.evaluation!.result.items.find((i) => i.id === 'tests-green')!;
    assert.equal(item.state, 'done');
    assert.equal(item.run?.by, 'Ana Lima');
    assert.match(readFileSync(path.join(root, '.opsreview/runs/release-gate/r1.yml'), 'utf8'), /tests-green:\n {4}state: done\n {4}by: Ana Lima\n {4}at: \S+\n {4}note: CI run 4812\n/);
    const list = checked(zChecklistsResult, await conn.sendRequest(Requests.checklists, {}), 'list');
    assert.deepEqual(list.checklists[0].runs.map((x) => [x.name, x.verdict]), [['r1', 'blocked']]);
  });

  it('does not overwrite an item changed on disk since the client saw it, and keeps other changes', async () => {
    const seen = await evaluate();
    const file = path.join(root, '.opsreview/runs/release-gate/r1.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/state: done/, 'state: waived').replace('note: CI run 4812', 'note: CI is down; tested by hand') + '  change-approved:\n    state: done\n    by: Bo\n');
    const r = await setItem({ item: 'tests-green', state: 'open', by: 'Ana Lima', base: { hash: seen.runHash, item: seen.result.items.find((i) => i.id === 'tests-green')!.run } });
    assert.equal(r.ok, false);
    assert.equal(r.conflict, true);
    assert.match(r.message!, /changed .* since it was shown \(now: waived by Ana Lima\); your change was not written/);
    const items = r.evaluation!.result.items;
    assert.equal(items.find((i) => i.id === 'tests-green')!.state, 'waived', 'their change stands');
    assert.equal(items.find((i) => i.id === 'change-approved')!.state, 'done');
  });

  it('refuses a waiver without a note, a tick on an evidence item, and malformed requests', async () => {
    const waiver = await setItem({ item: 'feature-flags', state: 'waived', note: '  ' });
    assert.equal(waiver.ok, false);
    assert.match(waiver.message!, /needs a note/);
    const tick = await setItem({ item: 'rollback-written', state: 'done' });
    assert.equal(tick.ok, false);
    assert.match(tick.message!, /decided by evidence/);
    const escape = await setItem({ run: '../../etc', item: 'tests-green', state: 'done' });
    assert.equal(escape.ok, false);
    assert.match(escape.message!, /Invalid run name/);
    await assert.rejects(conn.sendRequest(Requests.checklistSetItem, { checklist: 'release-gate', run: 'r1', item: 'tests-green', state: 'maybe' }), /OpsReview protocol: invalid checklist setItem params: state/);
  });

  it('shows a broken run file with its position and never writes it', async () => {
    const file = path.join(root, '.opsreview/runs/release-gate/broken.yml');
    const text = 'items:\n  tests-green:\n    state: finished\n';
    writeFileSync(file, text);
    const e = await evaluate('broken');
    assert.equal(e.runError?.line, 2);
    assert.match(e.runError!.message, /items\.tests-green\.state/);
    const r = await setItem({ run: 'broken', item: 'change-approved', state: 'done' });
    assert.equal(r.ok, false);
    assert.match(r.message!, /is not valid \(line 3: .*\); it was not changed/);
    assert.equal(readFileSync(file, 'utf8'), text);
    const list = checked(zChecklistsResult, await conn.sendRequest(Requests.checklists, {}), 'list');
    assert.equal(list.checklists[0].runs.find((x) => x.name === 'broken')?.error?.line, 2);
  });

  it('tells clients to re-evaluate after a file changes, and the evidence follows', async () => {
    const before = changed;
    const file = path.join(root, 'runbooks/deploy-api.md');
    writeFileSync(file, `${RUNBOOK}\n## Rollback\n- Run \`helm rollback api\`.\n`);
    conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).toString(), type: 2 }] });
    const deadline = Date.now() + 10000;
    while (changed === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(changed > before, 'opsreview/checklistsChanged was sent');
    assert.equal((await evaluate()).result.items.find((i) => i.id === 'rollback-written')!.state, 'pass');
  });
});
