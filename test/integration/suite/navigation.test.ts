import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RunAllOutcome, StepOutcome } from '../../../src/extension/runbooks/runner';
import { report } from './harness';
import { screenshot } from './screenshot';
import { fileUri, getApi, opsDiagnostics, waitFor } from './util';

// From alert to runbook to infrastructure in real VS Code, and runbook steps that run with care:
// definitions and workspace symbols from the language server, the run lenses, "Run in terminal"
// and "Run all steps" in a real terminal, the refusal in a restricted workspace, the new-runbook
// command, and a runbook rename that keeps its links.

type Loc = vscode.Location | vscode.LocationLink;
const uriOf = (l: Loc): vscode.Uri => ('targetUri' in l ? l.targetUri : l.uri);
const rangeOf = (l: Loc): vscode.Range => ('targetUri' in l ? (l.targetSelectionRange ?? l.targetRange) : l.range);

const STEPS = [
  '---',
  'owner: sre',
  'service: nav-demo',
  'tags: [demo]',
  '---',
  '# Navigation demo steps',
  '',
  '## Write the marker',
  '',
  '```sh',
  'echo ran > nav-marker.txt',
  '```',
  '',
  '## Then fail',
  '',
  '```sh',
  'echo one > nav-step1.txt',
  '```',
  '',
  '```bash',
  'false',
  '```',
  '',
  '```sh',
  'echo three > nav-step3.txt',
  '```',
  '',
].join('\n');

describe('OpsReview navigation and runnable runbooks (real VS Code)', function () {
  this.timeout(90000);
  const created: vscode.Uri[] = [];

  after(async () => {
    for (const u of created) await vscode.workspace.fs.delete(u, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    for (const f of ['nav-marker.txt', 'nav-step1.txt', 'nav-step3.txt']) rmSync(fileUri(f).fsPath, { force: true });
  });

  it("goes from an alert's runbook_url (under runbookBaseUrl, with #anchor) to the runbook heading", async () => {
    await getApi();
    const alerts = fileUri('alerts/checkout-alerts.yml');
    const doc = await vscode.workspace.openTextDocument(alerts);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('runbook_url:') && l.includes('#triage'));
    assert.ok(line > 0);
    const col = doc.lineAt(line).text.indexOf('high-error-rate');
    const locs = await vscode.commands.executeCommand<Loc[]>('vscode.executeDefinitionProvider', alerts, new vscode.Position(line, col));
    assert.equal(locs.length, 1, JSON.stringify(locs));
    assert.match(uriOf(locs[0]).path, /\/alert-response-high-error-rate\.md$/);
    const target = await vscode.workspace.openTextDocument(uriOf(locs[0]));
    assert.equal(target.lineAt(rangeOf(locs[0]).start.line).text, '## Triage');
  });

  it("Ctrl+click on a runbook_url with #anchor opens the workspace runbook at the heading, with its lenses", async () => {
    await getApi();
    const alerts = fileUri('alerts/checkout-alerts.yml');
    const editor = await vscode.window.showTextDocument(alerts);
    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('runbook_url:') && l.includes('#triage'));
    const col = editor.document.lineAt(line).text.indexOf('high-error-rate');
    const links = await waitFor('document links', async () => {
      const l = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', alerts);
      return l.some((x) => x.range.start.line === line) ? l : undefined;
    });
    const link = links.find((x) => x.range.start.line === line)!;
    assert.match(link.target!.fragment, /^L\d+$/, `the anchor is a line, not a slug: ${link.target}`);
    // What Ctrl+click does: the editor's link opener on the link under the cursor.
    editor.selection = new vscode.Selection(line, col, line, col);
    await vscode.commands.executeCommand('editor.action.openLink');
    const opened = await waitFor('the runbook in an editor', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.path.endsWith('/alert-response-high-error-rate.md') ? e : undefined;
    });
    assert.equal(opened.document.uri.toString(), fileUri('alert-response-high-error-rate.md').toString(), 'the workspace file itself (no fragment, same path)');
    assert.equal(opened.document.lineAt(opened.selection.active.line).text, '## Triage');
    const lenses = await waitFor('the runbook lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', opened.document.uri);
      return l.length ? l : undefined;
    });
    assert.ok(lenses.length > 0);
  });

  it('finds a runbook section and a Terraform resource with workspace symbols', async () => {
    const sections = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'Triage');
    const triage = sections.find((s) => s.name === 'Triage');
    assert.ok(triage, sections.map((s) => s.name).join(', '));
    assert.match(triage.location.uri.path, /alert-response-high-error-rate\.md$/);
    const resources = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'aws_db_instance.checkout');
    const db = resources.find((s) => s.name === 'aws_db_instance.checkout');
    assert.ok(db, resources.map((s) => s.name).join(', '));
    assert.match(db.location.uri.path, /terraform\/database\.tf$/);
    const tf = await vscode.workspace.openTextDocument(db.location.uri);
    assert.match(tf.lineAt(db.location.range.start.line).text, /^resource "aws_db_instance" "checkout"/);
  });

  it('shows Run / Run all / Copy lenses on the shell blocks of a runbook (screenshot)', async () => {
    const api = await getApi();
    // The screenshot shows a real runbook of the sample workspace (before this suite adds any).
    const deploy = await vscode.window.showTextDocument(fileUri('deploy-and-rollback.md'));
    deploy.revealRange(new vscode.Range(20, 0, 50, 0), vscode.TextEditorRevealType.AtTop);
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const onDeploy = await waitFor('lenses on deploy-and-rollback.md', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', deploy.document.uri);
      return l.some((x) => x.command?.command === 'opsreview.runbooks.runStep') ? l : undefined;
    });
    // Its first step sets an image: the lens names the command that changes production.
    assert.ok(onDeploy.some((l) => /^\$\(warning\) Run in terminal \(changes: kubectl -n payments set image\) \(asks \$VERSION\)$/.test(l.command?.title ?? '')), onDeploy.map((l) => l.command?.title).join(' | '));
    await new Promise((r) => setTimeout(r, 1500));
    await screenshot('runbook-lenses');
    const uri = fileUri('nav-steps.md');
    created.push(uri);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(STEPS));
    // The lenses follow the server's runbook list: wait until the new file is in it.
    await waitFor('nav-steps.md among the runbooks', async () => ((await api.client.sendRequest('opsreview/runbooks', {})) as { runbooks: { relPath: string }[] }).runbooks.some((r) => r.relPath === 'nav-steps.md') || undefined);
    await api.runbooks.refresh();
    report('nav-steps.md indexed as a runbook');
    await vscode.window.showTextDocument(uri);
    const lenses = await waitFor('run lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l.some((x) => x.command?.command === 'opsreview.runbooks.runStep') ? l : undefined;
    });
    const titles = lenses.filter((l) => l.range.start.line === 9).map((l) => l.command?.title);
    // The step writes a file (`> nav-marker.txt`): the lens shows the change, and running it asks first.
    assert.ok(titles.includes('$(warning) Run in terminal (changes: echo ran > nav-marker.txt)'), titles.join(' | '));
    assert.ok(titles.includes('$(run-all) Run all 4 steps'), titles.join(' | '));
    assert.ok(titles.includes('$(copy) Copy step'), titles.join(' | '));
    report(`lenses: ${titles.join(' | ')}`);
  });

  it('"Run in terminal" runs a block in the OpsReview terminal (confirmed): the marker file appears', async () => {
    const marker = fileUri('nav-marker.txt').fsPath;
    rmSync(marker, { force: true });
    const outcome = await vscode.commands.executeCommand<StepOutcome>('opsreview.runbooks.runStep', fileUri('nav-steps.md'), 0, { trusted: true, confirmed: true });
    assert.equal(outcome.status, 'ran');
    report(`exit code read through: ${outcome.status === 'ran' ? outcome.via : '-'}`);
    assert.equal(outcome.status === 'ran' && outcome.exitCode, 0);
    await waitFor('the marker file', () => existsSync(marker) || undefined);
    assert.equal(readFileSync(marker, 'utf8').trim(), 'ran');
    assert.ok(vscode.window.terminals.some((t) => t.name === 'OpsReview'));
  });

  it('"Run all steps" runs in order and stops at the block that fails', async () => {
    for (const f of ['nav-step1.txt', 'nav-step3.txt']) rmSync(fileUri(f).fsPath, { force: true });
    const outcome = await vscode.commands.executeCommand<RunAllOutcome>('opsreview.runbooks.runAll', fileUri('nav-steps.md'), { trusted: true, confirmed: true });
    report(`run all: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.stoppedAt, 2, 'stopped at the third block (`false`)');
    assert.deepEqual(
      outcome.steps.map((s) => (s.status === 'ran' ? s.exitCode : s.status)),
      [0, 0, 1],
    );
    assert.ok(existsSync(fileUri('nav-step1.txt').fsPath), 'the step before the failure ran');
    assert.ok(!existsSync(fileUri('nav-step3.txt').fsPath), 'the step after the failure did not run');
  });

  it('"Run all steps" also stops at the failing block without shell integration (exit codes from a status file)', async () => {
    for (const f of ['nav-step1.txt', 'nav-step3.txt']) rmSync(fileUri(f).fsPath, { force: true });
    const outcome = await vscode.commands.executeCommand<RunAllOutcome>('opsreview.runbooks.runAll', fileUri('nav-steps.md'), { trusted: true, confirmed: true, shellIntegration: false });
    assert.equal(outcome.stoppedAt, 2);
    assert.deepEqual(
      outcome.steps.map((s) => (s.status === 'ran' ? `${s.exitCode} via ${s.via}` : s.status)),
      ['0 via status file', '0 via status file', '1 via status file'],
    );
    assert.ok(existsSync(fileUri('nav-step1.txt').fsPath));
    assert.ok(!existsSync(fileUri('nav-step3.txt').fsPath));
  });

  it('saves the run transcript as a timestamped list', async () => {
    const target = fileUri('nav-transcript.md');
    created.push(target);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('opsreview.runbooks.saveTranscript', target);
    assert.ok(uri);
    const text = readFileSync(target.fsPath, 'utf8');
    assert.match(text, /^- \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ — ran `echo ran > nav-marker\.txt` \(nav-steps\.md step 1\); ended .*succeeded \(exit 0\)$/m);
    assert.match(text, /ran `false` \(nav-steps\.md step 3\); ended .*FAILED \(exit 1\)$/m);
  });

  it('"Copy step" copies the block with its placeholders filled', async () => {
    const uri = fileUri('nav-copy.md');
    created.push(uri);
    await vscode.workspace.fs.writeFile(uri, Buffer.from('# Copy\n\n```sh\nkubectl -n ${NAMESPACE} logs $POD --since=10m\n```\n'));
    const copied = await vscode.commands.executeCommand<string>('opsreview.runbooks.copyStep', uri, 0, { values: { NAMESPACE: 'payments', POD: 'api-7f9c' } });
    assert.equal(copied, 'kubectl -n payments logs api-7f9c --since=10m');
    assert.equal(await vscode.env.clipboard.readText(), copied);
  });

  it('refuses to run in a restricted workspace (trust simulated: the harness starts code-server with workspace trust disabled)', async () => {
    const api = await getApi();
    const marker = fileUri('nav-marker.txt').fsPath;
    rmSync(marker, { force: true });
    const outcome = await vscode.commands.executeCommand<StepOutcome>('opsreview.runbooks.runStep', fileUri('nav-steps.md'), 0, { trusted: false });
    assert.equal(outcome.status, 'refused');
    assert.match(outcome.status === 'refused' ? outcome.reason : '', /Restricted Mode/);
    const all = await vscode.commands.executeCommand<RunAllOutcome>('opsreview.runbooks.runAll', fileUri('nav-steps.md'), { trusted: false });
    assert.equal(all.steps[0].status, 'refused');
    assert.match(api.runbookFeatures.runner.refusal({ trusted: false }) ?? '', /trust the workspace/);
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(!existsSync(marker), 'nothing ran');
  });

  it('"New Runbook…" writes a deploy runbook that raises no finding', async () => {
    const api = await getApi();
    if (!existsSync(fileUri('runbooks').fsPath)) created.push(fileUri('runbooks'));
    const uri = await vscode.commands.executeCommand<vscode.Uri>('opsreview.newRunbook', { service: 'ledger', kind: 'deploy', owner: 'team-ledger' });
    assert.ok(uri);
    created.push(uri);
    assert.match(uri.path, /\/runbooks\/ledger-deploy\.md$/);
    const text = readFileSync(uri.fsPath, 'utf8');
    assert.match(text, /^## Rollback$/m);
    await waitFor('the new runbook indexed', async () => ((await api.client.sendRequest('opsreview/runbooks', {})) as { runbooks: { relPath: string }[] }).runbooks.some((r) => r.relPath === 'runbooks/ledger-deploy.md') || undefined);
    // Diagnostics follow the index change; give them a moment, then there must be none.
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(opsDiagnostics(uri).map((d) => `${d.code && typeof d.code === 'object' ? d.code.value : d.code}: ${d.message}`), []);
  });

  it('renaming a runbook rewrites the links to it (workspace/willRenameFiles applied by VS Code)', async () => {
    const target = fileUri('nav-target.md');
    const linker = fileUri('nav-linker.md');
    const moved = fileUri('moved/nav-target.md');
    created.push(linker, fileUri('moved'), target);
    await vscode.workspace.fs.writeFile(target, Buffer.from('---\nowner: sre\nservice: nav\ntags: [nav]\n---\n# Target\n'));
    await vscode.workspace.fs.writeFile(linker, Buffer.from('---\nowner: sre\nservice: nav\ntags: [nav]\n---\n# Linker\n\nSee [the target](./nav-target.md#target).\n'));
    const api = await getApi();
    await waitFor('the linker indexed', async () => ((await api.client.sendRequest('opsreview/runbooks', {})) as { runbooks: { relPath: string }[] }).runbooks.some((r) => r.relPath === 'nav-linker.md') || undefined);
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(target, moved);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const doc = await vscode.workspace.openTextDocument(linker);
    await waitFor('the link rewritten', () => (doc.getText().includes('](./moved/nav-target.md#target)') ? true : undefined), 10000);
    await doc.save();
  });
});
