import * as vscode from 'vscode';
import { RunnableLensProvider } from './lenses';
import { newRunbook, NewRunbookArgs } from './newRunbook';
import { RunbookRunner, RunOptions } from './runner';

// Runnable runbooks and the new-runbook command, wired in one call from `activate`.

export interface RunbookFeatures {
  runner: RunbookRunner;
  lenses: RunnableLensProvider;
}

export function registerRunbookFeatures(context: vscode.ExtensionContext, output: vscode.OutputChannel): RunbookFeatures {
  const runner = new RunbookRunner(output);
  const lenses = new RunnableLensProvider(runner);
  const toUri = (u: vscode.Uri | string | undefined): vscode.Uri | undefined => (typeof u === 'string' ? vscode.Uri.parse(u) : (u ?? vscode.window.activeTextEditor?.document.uri));
  context.subscriptions.push(
    runner,
    vscode.languages.registerCodeLensProvider({ scheme: 'file', language: 'markdown' }, lenses),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lenses.refresh()),
    vscode.commands.registerCommand('opsreview.runbooks.runStep', (uri: vscode.Uri | string, index: number, opts?: RunOptions) => {
      const u = toUri(uri);
      return u ? runner.runBlock(u, index ?? 0, opts) : undefined;
    }),
    vscode.commands.registerCommand('opsreview.runbooks.runAll', (uri?: vscode.Uri | string, opts?: RunOptions) => {
      const u = toUri(uri);
      return u ? runner.runAll(u, opts) : undefined;
    }),
    vscode.commands.registerCommand('opsreview.runbooks.copyStep', (uri: vscode.Uri | string, index: number, opts?: RunOptions) => {
      const u = toUri(uri);
      return u ? runner.copy(u, index ?? 0, opts) : undefined;
    }),
    vscode.commands.registerCommand('opsreview.runbooks.saveTranscript', (target?: vscode.Uri) => runner.saveTranscript(target)),
    vscode.commands.registerCommand('opsreview.newRunbook', (args?: NewRunbookArgs) => newRunbook(args ?? {})),
  );
  return { runner, lenses };
}
