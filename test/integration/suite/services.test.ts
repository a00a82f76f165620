import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ServiceOverviewPanel } from '../../../src/extension/services/panel';
import { themeScreenshots } from './screenshot';
import { fileUri, getApi, waitFor } from './util';
import { canDriveWebviews, inWebview } from './webview';

// Issue 17 as a person sees it in real VS Code: the Services view lists what the sample's files
// say about each service, the Service Overview panel shows the scorecard and opens items at
// their line, and a hover on an alert's name in a runbook tells its severity, routing, runbook
// and owner.

describe('OpsReview services (real VS Code)', function () {
  this.timeout(120000);

  it('lists the services with owners and what belongs to each in the Services view', async () => {
    const api = await getApi();
    await api.ready();
    await vscode.commands.executeCommand('workbench.view.extension.opsreview');
    const roots = await waitFor('services in the view', async () => {
      await api.services.refresh();
      const r = api.services.getChildren();
      return r.some((n) => n.type === 'service' && n.service.service === 'checkout') ? r : undefined;
    });
    const checkout = roots.find((n) => n.type === 'service' && n.service.service === 'checkout')!;
    const item = api.services.getTreeItem(checkout);
    assert.equal(item.label, 'checkout');
    assert.match(String(item.description), /payments-platform.*owners disagree/);
    const sections = api.services.getChildren(checkout).map((n) => (n.type === 'section' ? n.label : ''));
    for (const s of ['Runbooks', 'Alerts', 'SLOs', 'Workloads', 'Infrastructure', 'Deploy jobs']) assert.ok(sections.includes(s), `section ${s}`);
    // An entry opens its file at the line.
    const alerts = api.services.getChildren(checkout).find((n) => n.type === 'section' && n.label === 'Alerts')!;
    const first = api.services.getChildren(alerts)[0];
    const cmd = api.services.getTreeItem(first).command!;
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    const editor = await waitFor('the alert file in an editor', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.fsPath.endsWith('checkout-alerts.yml') ? e : undefined;
    });
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /- alert: \w+/);
  });

  it('shows an alert name hover in a runbook with severity, routing, runbook and owner', async () => {
    const uri = fileUri('alert-response-high-error-rate.md');
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('`CheckoutHighErrorRate`'));
    assert.ok(line >= 0, 'the runbook names the alert');
    const character = doc.lineAt(line).text.indexOf('CheckoutHighErrorRate') + 3;
    const text = await waitFor('an alert hover', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, character));
      const all = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /Alert CheckoutHighErrorRate/.test(all) ? all : undefined;
    });
    assert.match(text, /Severity: `critical`/);
    assert.match(text, /Owner: `payments-platform`/);
    assert.match(text, /Service: `checkout`/);
    assert.match(text, /payments-pagerduty/);
    assert.match(text, /Runbook: https:\/\/\S+alert-response-high-error-rate\.md/);
  });

  describe('Service Overview panel', function () {
    let panel: ServiceOverviewPanel;
    before(function () {
      if (!canDriveWebviews()) this.skip();
    });

    it('opens with the scorecard of the service', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      panel = (await vscode.commands.executeCommand<ServiceOverviewPanel>('opsreview.openServiceOverview', 'checkout'))!;
      assert.ok(panel, 'the command returns the panel');
      const title = await waitFor('the service title in the webview', () => inWebview<string>({ action: 'text', selector: 'h1' }).catch(() => undefined));
      assert.match(title, /checkout/);
      const table = await inWebview<string>({ action: 'text', selector: 'table.scorecard' });
      assert.match(table ?? '', /Alerts with a runbook\s*3\/3/);
      assert.match(table ?? '', /Owner agreed across kinds\s*no/);
      assert.match(table ?? '', /Production deploys gated\s*1\/1/);
      const links = await inWebview<number>({ action: 'count', selector: 'a.open' });
      assert.ok((links ?? 0) >= 10, `every item is a link (${links})`);
    });

    it('opens an item at its line when clicked', async () => {
      await inWebview({ action: 'click', selector: 'a.open[data-file="terraform/main.tf"]' });
      const editor = await waitFor('main.tf in an editor', () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document.uri.fsPath.endsWith(path.join('terraform', 'main.tf')) ? e : undefined;
      });
      assert.match(editor.document.lineAt(editor.selection.active.line).text, /owner\s*=\s*"team-payments"/);
    });

    it('takes screenshots of the panel in the dark and the light theme', async () => {
      await vscode.commands.executeCommand('workbench.action.closePanel');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      panel = (await vscode.commands.executeCommand<ServiceOverviewPanel>('opsreview.openServiceOverview', 'checkout'))!;
      await waitFor('the scorecard', () => inWebview<string>({ action: 'text', selector: 'table.scorecard' }).catch(() => undefined));
      const shots = await themeScreenshots(
        [
          ['Default Dark Modern', 'service-overview-dark'],
          ['Default Light Modern', 'service-overview-light'],
        ],
        ['service-overview-dark', 'service-overview-light'],
      );
      assert.equal(shots.length, canDriveWebviews() ? 2 : 0);
  });
  });
});
