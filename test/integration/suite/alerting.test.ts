import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fileUri, getApi, opsDiagnostics, waitFor } from './util';

// Which receiver does this alert reach? The answer is in the editor, on the alert rule itself:
// a hover and a code lens computed from the workspace's Alertmanager configuration.

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

describe('OpsReview alert routing (real VS Code)', function () {
  this.timeout(60000);

  it('hovering an alert rule shows the receivers its labels route to', async () => {
    await getApi();
    const uri = fileUri('alerts/checkout-alerts.yml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('alert: CheckoutHighErrorRate'));
    assert.ok(line > 0, 'the alert is in the sample');
    const position = new vscode.Position(line, doc.lineAt(line).text.indexOf('CheckoutHighErrorRate') + 3);
    const text = await waitFor('a routing hover', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
      const t = hoverText(hovers ?? []);
      return /routes to/.test(t) ? t : undefined;
    });
    assert.match(text, /Alert CheckoutHighErrorRate routes to/);
    assert.match(text, /payments-pagerduty \(pagerduty, pages\) via route\.routes\[0\] \{severity="critical"\} in alertmanager\/alertmanager\.yml/);
    assert.match(text, /payments-slack \(slack\) via route\.routes\[1\]/);
  });

  it('shows a code lens naming the receivers, and the unrouted severity falls to the root receiver', async () => {
    const uri = fileUri('alerts/checkout-alerts.yml');
    const lenses = await waitFor('routing code lenses', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      const routing = (all ?? []).filter((l) => /Routes to/.test(l.command?.title ?? ''));
      return routing.length ? routing : undefined;
    });
    const titles = lenses.map((l) => l.command!.title);
    assert.ok(titles.includes('$(broadcast) Routes to payments-pagerduty, payments-slack'), titles.join(' | '));
    assert.ok(titles.includes('$(broadcast) Routes to payments-slack (no pager)'), titles.join(' | '));
  });

  it('New Postmortem writes a postmortem that raises no finding', async () => {
    const api = await getApi();
    const uri = await vscode.commands.executeCommand<vscode.Uri>('opsreview.newPostmortem', { title: 'Payments queue backlog', service: 'payments', owner: 'payments-platform', date: '2026-11-20' });
    assert.ok(uri, 'the command returns the new file');
    assert.match(uri.path, /\/postmortems\/2026-11-20-payments-queue-backlog\.md$/);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /^## Action items$/m);
    // Indexed as a postmortem (it shows in the Runbooks tree's data), and nothing reported.
    await waitFor('the postmortem indexed', async () => ((await api.stats()).files.postmortem ?? 0) >= 2 || undefined);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(opsDiagnostics(uri).map((d) => d.message), []);
  });
});
