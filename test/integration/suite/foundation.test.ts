import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { RunbookNode } from '../../../src/extension/runbookTree';
import { report } from './harness';
import { screenshot } from './screenshot';
import { fileUri, getApi, waitFor } from './util';

// The foundation as a person meets it: the extension activates on the sample workspace, its
// language server indexes the files, the Runbooks tree groups them, a click opens the right
// place, and a file changed on disk shows up without a reload.

describe('OpsReview foundation (real VS Code)', function () {
  this.timeout(60000);

  it(`runs inside VS Code 1.100.x`, () => {
    report(`vscode.version = ${vscode.version}`);
    report(`workspace = ${vscode.workspace.workspaceFolders?.[0]?.uri.toString()}`);
    assert.match(vscode.version, /^1\.100\./);
  });

  it('activates and starts its language server', async () => {
    const api = await getApi();
    assert.equal(api.client.state, State.Running);
    const ext = vscode.extensions.getExtension('opsreview.opsreview')!;
    assert.equal(ext.isActive, true);
  });

  it('indexes the sample runbooks and infrastructure files', async () => {
    const api = await getApi();
    const stats = await api.stats();
    assert.equal(stats.ready, true);
    report(`indexed: ${JSON.stringify(stats.files)}`);
    assert.ok((stats.files['runbook'] ?? 0) >= 5, 'at least five runbooks');
    assert.equal(stats.files['postmortem'], 1);
    for (const kind of ['terraform', 'alert-rules', 'github-workflow', 'k8s-manifest', 'ansible-playbook']) {
      assert.ok((stats.files[kind] ?? 0) >= 1, `${kind} indexed`);
    }
    assert.ok(stats.configFiles.some((p) => p.endsWith('/.opsreview.yml')), 'the sample .opsreview.yml is in use');
  });

  it('groups the Runbooks tree by service, owner and tag', async () => {
    const api = await getApi();
    const tree = api.runbooks;
    await vscode.commands.executeCommand('opsreview.runbooks.groupBy', 'service');
    const byService = tree.getChildren() as Extract<RunbookNode, { type: 'group' }>[];
    assert.ok(byService.every((n) => n.type === 'group'));
    const checkout = byService.find((g) => g.label === 'checkout');
    assert.ok(checkout, `a "checkout" service group among ${byService.map((g) => g.label).join(', ')}`);
    for (const g of byService) for (const r of g.runbooks) assert.equal(r.service ?? '(no service)', g.label);
    // Items show title, owner and tags; sections are children.
    const first = tree.getChildren(checkout)[0];
    const item = tree.getTreeItem(first);
    assert.ok(first.type === 'runbook');
    assert.equal(item.label, first.runbook.title);
    if (first.runbook.owner) assert.match(String(item.description), new RegExp(`@${first.runbook.owner}`));
    const sections = tree.getChildren(first);
    assert.ok(sections.length > 0 && sections.every((s) => s.type === 'section'));

    await vscode.commands.executeCommand('opsreview.runbooks.groupBy', 'owner');
    const byOwner = tree.getChildren() as Extract<RunbookNode, { type: 'group' }>[];
    for (const g of byOwner) for (const r of g.runbooks) assert.equal(r.owner ?? r.team ?? '(no owner)', g.label);

    await vscode.commands.executeCommand('opsreview.runbooks.groupBy', 'tag');
    const byTag = tree.getChildren() as Extract<RunbookNode, { type: 'group' }>[];
    for (const g of byTag) for (const r of g.runbooks) assert.ok(r.tags.includes(g.label) || (g.label === '(untagged)' && r.tags.length === 0));
    const total = new Set(byTag.flatMap((g) => g.runbooks.map((r) => r.uri))).size;
    assert.equal(total, tree.visibleRunbooks().length, 'every runbook appears under at least one tag group');
    await vscode.commands.executeCommand('opsreview.runbooks.groupBy', 'service');
  });

  it('filters the tree', async () => {
    const api = await getApi();
    await vscode.commands.executeCommand('opsreview.filter', 'failover');
    let visible;
    try {
      visible = api.runbooks.visibleRunbooks();
      assert.ok(visible.length >= 1);
      assert.ok(visible.every((r) => /failover/i.test([r.title, r.relPath, ...r.tags].join(' '))));
    } finally {
      await vscode.commands.executeCommand('opsreview.clearFilter');
    }
    assert.ok(api.runbooks.visibleRunbooks().length > visible.length);
  });

  it('opens a runbook at the heading a section item points to', async () => {
    const api = await getApi();
    const runbook = api.runbooks.visibleRunbooks().find((r) => r.sections.length > 2)!;
    const section = runbook.sections[2];
    const node = api.runbooks.getChildren({ type: 'runbook', runbook, group: '' })[2];
    const cmd = api.runbooks.getTreeItem(node).command!;
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    const editor = await waitFor('the runbook editor', () => (vscode.window.activeTextEditor?.document.uri.toString() === runbook.uri ? vscode.window.activeTextEditor : undefined));
    assert.equal(editor.selection.active.line, section.line);
    assert.match(editor.document.lineAt(section.line).text, new RegExp(`^#+\\s+${section.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('shows the OpsReview view (screenshot)', async () => {
    const api = await getApi();
    await vscode.commands.executeCommand('workbench.view.extension.opsreview');
    await vscode.commands.executeCommand('opsreview.runbooks.focus');
    assert.ok(api.runbooks.visibleRunbooks().length >= 5);
    await new Promise((r) => setTimeout(r, 1500));
    await screenshot('runbooks-tree');
  });

  it('updates the index and the tree when a file changes on disk', async () => {
    const api = await getApi();
    const uri = fileUri('kafka-consumer-lag.md');
    const text = '---\ntitle: Kafka consumer lag\nservice: ledger\nowner: data-platform\ntags: [kafka, lag]\nlast_reviewed: 2026-11-01\n---\n# Kafka consumer lag\n\n## Diagnose\n- Check lag per partition.\n';
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    const added = await waitFor('the new runbook in the tree', () => api.runbooks.visibleRunbooks().find((r) => r.uri === uri.toString())).catch((e: Error) => {
      // Say what the tree held and what the client saw, so a failure here can be diagnosed from the log.
      report(`tree: ${api.runbooks.visibleRunbooks().map((r) => r.relPath).join(', ')}; client log: ${api.recentLog().slice(-5).join(' | ')}`);
      throw e;
    });
    assert.equal(added.service, 'ledger');
    assert.ok(api.runbooks.getChildren().some((g) => g.type === 'group' && g.label === 'ledger'));
    // Edit on disk: the owner changes in the tree.
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text.replace('owner: data-platform', 'owner: streaming')));
    await waitFor('the owner change', () => api.runbooks.visibleRunbooks().find((r) => r.uri === uri.toString() && r.owner === 'streaming'));
    await vscode.workspace.fs.delete(uri);
    await waitFor('the runbook to leave the tree', () => !api.runbooks.visibleRunbooks().some((r) => r.uri === uri.toString()) || undefined);
  });

  it('keeps working on broken files: positioned parse errors, no crash', async () => {
    const api = await getApi();
    const uri = fileUri('broken-frontmatter.md');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('---\ntitle: Broken\nowner: [unclosed\n---\n# Broken\n'));
    const diag = await waitFor('frontmatter diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'opsreview' && /frontmatter/i.test(d.message)));
    assert.ok(diag.range.start.line >= 1 && diag.range.start.line <= 3);
    const tf = fileUri('terraform/broken.tf');
    await vscode.workspace.fs.writeFile(tf, Buffer.from('resource "aws_instance" "x" {\n  ami = \n'));
    await waitFor('terraform parse error', () => vscode.languages.getDiagnostics(tf).find((d) => d.source === 'opsreview'));
    await vscode.workspace.fs.delete(uri);
    await vscode.workspace.fs.delete(tf);
    assert.equal(api.client.state, 2 /* Running */);
    assert.equal((await api.stats()).ready, true);
  });
});
