import * as vscode from 'vscode';
import { confirmationLines, runnableBlocks } from '../../engine/runbook/runnable';
import type { RunbookRunner } from './runner';

// The lenses over each shell block of a runbook: run it, run every step from the top, copy it.
// In a restricted workspace a single lens says why nothing runs.

export class RunnableLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private runbooks: Set<string> | undefined;

  constructor(private readonly runner: RunbookRunner) {}

  /** The runbooks the server indexed (URIs): only they get lenses, not every README with a shell block. */
  setRunbooks(uris: Iterable<string>): void {
    this.runbooks = new Set([...uris].map((u) => vscode.Uri.parse(u).toString()));
    this.changed.fire();
  }

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.runbooks?.has(document.uri.toString())) return [];
    return lensesFor(document, this.runner.refusal());
  }
}

/** The lenses of a runbook; `refusal` (why nothing may run) replaces the run lenses with one that says so. */
export function lensesFor(document: vscode.TextDocument, refusal: string | undefined): vscode.CodeLens[] {
  const blocks = runnableBlocks(document.getText());
  const lenses: vscode.CodeLens[] = [];
  for (const b of blocks) {
    const range = new vscode.Range(b.line, 0, b.line, 0);
    const args = [document.uri, b.index];
    const needs = b.placeholders.length ? ` (asks ${b.placeholders.map((p) => p.text).join(', ')})` : '';
    if (refusal) {
      lenses.push(new vscode.CodeLens(range, { title: '$(lock) Cannot run: Restricted Mode', tooltip: refusal, command: 'workbench.trust.manage' }));
    } else {
      // The lens shows the step's effect: what it changes, or that its effect is unknown; both are confirmed.
      const change = b.confirm.find((e) => e.effect === 'changes');
      const unknown = b.confirm.find((e) => e.effect === 'unknown');
      const title = change ? `$(warning) Run in terminal (changes: ${change.text})` : unknown ? `$(question) Run in terminal (effect unknown: ${unknown.text})` : '$(play) Run in terminal';
      const tooltip = b.confirm.length ? `Runs this step in the OpsReview terminal after confirmation:\n${confirmationLines(b.confirm).join('\n')}` : 'Runs this step in the OpsReview terminal (it only reads)';
      lenses.push(new vscode.CodeLens(range, { title: title + needs, tooltip, command: 'opsreview.runbooks.runStep', arguments: args }));
      if (b.index === 0) lenses.push(new vscode.CodeLens(range, { title: `$(run-all) Run all ${blocks.length} steps`, tooltip: 'Runs the steps in order and stops at the first that fails', command: 'opsreview.runbooks.runAll', arguments: [document.uri] }));
    }
    lenses.push(new vscode.CodeLens(range, { title: '$(copy) Copy step', tooltip: 'Copies the step with its placeholders filled', command: 'opsreview.runbooks.copyStep', arguments: args }));
  }
  return lenses;
}
