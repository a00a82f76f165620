import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot } from './screenshot';
import { applyQuickFix, codeOf, fileUri, getApi, opsDiagnostics, waitFor } from './util';

// What an operations engineer sees while typing: diagnostics in the Problems panel, a quick fix
// that writes the missing section, and cross-file findings that follow a rename.

describe('OpsReview diagnostics and quick fixes (real VS Code)', function () {
  this.timeout(60000);

  it('flags the deploy runbook that has no rollback section, with a docs link', async () => {
    await getApi();
    const uri = fileUri('deploy-payments-worker.md');
    await vscode.window.showTextDocument(uri);
    const diag = await waitFor('runbook/rollback-missing', () => opsDiagnostics(uri, 'runbook/rollback-missing')[0]);
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Warning);
    const code = diag.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'runbook/rollback-missing');
    assert.match(code.target.toString(), /docs\/rules\/runbook\/rollback-missing\.md$/);
  });

  it('shows findings in the Problems panel (screenshot)', async () => {
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await new Promise((r) => setTimeout(r, 1500));
    await screenshot('problems-panel');
  });

  it('inserts a rollback section with the quick fix, and the diagnostic goes away', async () => {
    const uri = fileUri('deploy-payments-worker.md');
    const diag = opsDiagnostics(uri, 'runbook/rollback-missing')[0];
    assert.ok(diag);
    await applyQuickFix(uri, diag, /rollback/i);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /^## Rollback\s*$/m);
    await waitFor('rollback-missing to clear', () => (opsDiagnostics(uri, 'runbook/rollback-missing').length === 0 ? true : undefined));
    await doc.save();
  });

  it('pins an Ansible package with the infrastructure quick fix, and the diagnostic goes away', async () => {
    await getApi();
    const uri = fileUri('ansible/patch-openssl.yml');
    const text = [
      '- name: Patch OpenSSL on the checkout hosts',
      '  hosts: checkout_api',
      '  serial: 1',
      '  tasks:',
      '    - name: Upgrade openssl',
      '      ansible.builtin.apt:',
      '        name: openssl',
      '        state: latest',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    await vscode.window.showTextDocument(uri);
    const diag = await waitFor('ansible/package-latest', () => opsDiagnostics(uri, 'ansible/package-latest')[0]);
    assert.equal(diag.range.start.line, 7, 'on the state line');
    await applyQuickFix(uri, diag, /state: present/);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.getText(), text.replace('state: latest', 'state: present'));
    await waitFor('ansible/package-latest to clear', () => (opsDiagnostics(uri, 'ansible/package-latest').length === 0 ? true : undefined));
    await doc.save();
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(uri);
  });

  it('adds the missing cost-allocation tag to a Terraform resource with the quick fix', async () => {
    await getApi();
    const uri = fileUri('terraform/main.tf');
    await vscode.window.showTextDocument(uri);
    const diag = await waitFor('terraform/tags-missing', () => opsDiagnostics(uri, 'terraform/tags-missing')[0]);
    assert.match(diag.message, /service/);
    const doc = await vscode.workspace.openTextDocument(uri);
    const before = doc.getText();
    await applyQuickFix(uri, diag, /^Add tag service$/);
    const after = doc.getText();
    // The resource gains a tags block with the missing key; nothing else in the file changes.
    assert.match(after, /resource "aws_cloudwatch_log_group" "checkout_api" \{\n  name {14}= "\/acme-pay\/checkout\/api"\n  retention_in_days = 30\n  tags = \{\n    service = "TODO"\n  \}\n\}/);
    assert.equal(after.replace('  tags = {\n    service = "TODO"\n  }\n', ''), before);
    await waitFor('terraform/tags-missing to clear', () => (opsDiagnostics(uri, 'terraform/tags-missing').length === 0 ? true : undefined));
    await doc.save();
  });

  it('offers "disable for this line" and "disable for this file" for every finding', async () => {
    const uri = fileUri('alerts/checkout-alerts.yml');
    const diag = await waitFor('an alert finding', () => opsDiagnostics(uri).find((d) => codeOf(d)?.startsWith('alert/')));
    await vscode.workspace.openTextDocument(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes(`Disable ${codeOf(diag)} for this line`), titles.join(' | '));
    assert.ok(titles.includes(`Disable ${codeOf(diag)} for this file`), titles.join(' | '));
  });

  it('raises alert/runbook-broken on the alert file when the runbook it points to is renamed', async () => {
    await getApi();
    const alerts = fileUri('alerts/checkout-alerts.yml');
    const before = opsDiagnostics(alerts, 'alert/runbook-broken');
    assert.equal(before.length, 0, `no broken runbook links at start: ${before.map((d) => d.message).join('; ')}`);
    const text = (await vscode.workspace.openTextDocument(alerts)).getText();
    const target = /runbook_url:\s*["']?[^\s"']*?([\w-]+\.md)/.exec(text)?.[1];
    assert.ok(target, 'an alert points at a runbook in the workspace');
    const from = fileUri(target);
    const to = fileUri(target.replace(/\.md$/, '-v2.md'));
    // Renamed on disk, as `git mv` in a terminal would: a rename in the editor (WorkspaceEdit)
    // lets the server rewrite the links first (workspace/willRenameFiles), so nothing breaks.
    await vscode.workspace.fs.rename(from, to);
    const broken = await waitFor('alert/runbook-broken after the rename', () => opsDiagnostics(alerts, 'alert/runbook-broken')[0]);
    assert.equal(broken.severity, vscode.DiagnosticSeverity.Error);
    assert.match(broken.message, new RegExp(target.replace('.', '\\.')));
    // Renaming it back clears the finding.
    await vscode.workspace.fs.rename(to, from);
    await waitFor('alert/runbook-broken to clear', () => (opsDiagnostics(alerts, 'alert/runbook-broken').length === 0 ? true : undefined));
  });
});
