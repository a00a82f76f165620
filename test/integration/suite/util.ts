import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OpsReviewApi } from '../../../src/extension/extension';

// Shared helpers of the suites that run inside real VS Code.

let api: OpsReviewApi | undefined;

export async function getApi(): Promise<OpsReviewApi> {
  if (api) return api;
  const ext = vscode.extensions.getExtension<OpsReviewApi>('opsreview.opsreview');
  assert.ok(ext, 'extension opsreview.opsreview is installed');
  api = await ext.activate();
  await api.ready();
  return api;
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

export function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), rel);
}

/** Polls until `pred` holds (diagnostics and index updates arrive asynchronously). */
export async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    // An empty list is "not yet" (diagnostics not published yet), never an answer.
    if (last !== undefined && last !== false && last !== null && !(Array.isArray(last) && last.length === 0)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function opsDiagnostics(uri: vscode.Uri, ruleId?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'opsreview' && (!ruleId || codeOf(d) === ruleId));
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export async function applyQuickFix(uri: vscode.Uri, diag: vscode.Diagnostic, titlePattern: RegExp): Promise<vscode.CodeAction> {
  // The code action command needs the document's model: open it first.
  await vscode.workspace.openTextDocument(uri);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
  // The fix must be one of the rule's own actions (not a suppression of another finding on the line).
  const action = actions.find((a) => titlePattern.test(a.title) && !/^Disable /.test(a.title) && (!a.diagnostics?.length || a.diagnostics.some((d) => codeOf(d) === codeOf(diag))));
  assert.ok(action, `quick fix ${titlePattern} among: ${actions.map((a) => a.title).join(' | ')}`);
  assert.ok(action.edit, 'the quick fix carries a workspace edit');
  assert.ok(await vscode.workspace.applyEdit(action.edit), 'the edit applies');
  return action;
}
