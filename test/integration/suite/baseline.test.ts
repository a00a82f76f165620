import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fileUri, getApi, opsDiagnostics, waitFor, workspaceRoot } from './util';

// A repository that adopted OpsReview with a baseline: what the baseline holds is a hint in the
// editor (new problems keep their severity), and everything comes back when the file goes.

describe('OpsReview baseline in the editor (real VS Code)', function () {
  this.timeout(90000);
  const baselineFile = (): string => path.join(workspaceRoot().fsPath, '.opsreview-baseline.json');
  after(() => rmSync(baselineFile(), { force: true }));

  it('shows baselined findings as hints, and at their severity again when the baseline is removed', async () => {
    await getApi();
    const uri = fileUri('certificate-rotation.md');
    await vscode.window.showTextDocument(uri);
    const before = await waitFor('a placeholder finding', () => opsDiagnostics(uri, 'runbook/placeholder')[0]);
    assert.notEqual(before.severity, vscode.DiagnosticSeverity.Hint);
    const severity = before.severity;
    // `opsreview baseline` from the CLI bundle, as a person would run it in a terminal.
    const cli = path.resolve(__dirname, '../../../../dist/cli.js');
    execFileSync(process.execPath, [cli, 'baseline', workspaceRoot().fsPath], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    await waitFor('the placeholder to become a hint', () => (opsDiagnostics(uri, 'runbook/placeholder')[0]?.severity === vscode.DiagnosticSeverity.Hint ? true : undefined), 30000);
    rmSync(baselineFile());
    await waitFor('the placeholder back at its severity', () => (opsDiagnostics(uri, 'runbook/placeholder')[0]?.severity === severity ? true : undefined), 30000);
  });
});
