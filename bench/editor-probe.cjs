// Runs inside the VS Code extension host for `npm run bench:editor` (loaded as extensionTestsPath
// by bench/editor.mjs): opens one runbook, waits for OpsReview's first diagnostics on it and for
// the whole index, and writes the times to OPSREVIEW_BENCH_RESULT. Measures, asserts nothing.
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

exports.run = async function run() {
  const out = process.env.OPSREVIEW_BENCH_RESULT;
  const result = { probeStartedAt: Date.now() };
  try {
    const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
    const uri = vscode.Uri.file(path.join(folder, process.env.OPSREVIEW_BENCH_OPEN));
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'opsreview');
    result.activeAtProbeStart = ext.isActive;
    const hasOurs = () => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'opsreview');
    const firstDiagnostics = new Promise((resolve) => {
      if (hasOurs()) return resolve(Date.now());
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === uri.toString()) && hasOurs()) {
          sub.dispose();
          resolve(Date.now());
        }
      });
    });
    // The runbook is opened at start (workspaceContains has usually activated the extension
    // already): times are given from the extension host's start, which is just before
    // activation, and from the moment the runbook was opened.
    result.hostStartedAt = Math.round(performance.timeOrigin);
    result.openRequestedAt = Date.now();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    result.openedAt = Date.now();
    const api = await ext.activate();
    result.activatedAt = Date.now();
    const [diagAt] = await Promise.all([firstDiagnostics, api.ready()]);
    result.readyAt = Date.now();
    result.firstDiagnosticsFromOpenMs = diagAt - result.openRequestedAt;
    result.firstDiagnosticsFromHostStartMs = diagAt - result.hostStartedAt;
    result.fullIndexFromHostStartMs = result.readyAt - result.hostStartedAt;
    result.diagnosticsOnOpen = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'opsreview').length;
    result.status = api.statusHistory().slice(-1)[0];
  } catch (e) {
    result.error = String(e && e.stack || e);
  }
  writeFileSync(out, JSON.stringify(result));
  // Keep the window up until the driver has read the server's memory and stops everything.
  await new Promise((r) => setTimeout(r, 600_000));
};
