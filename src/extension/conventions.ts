import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { checked, ConventionsResult, Notifications, Requests, zConventionsDetected, zConventionsResult } from '../server/protocol';

// The conventions the server detected, offered once per workspace folder: "Keep as
// configuration" writes them to `.opsreview.yml` (merged into an existing file, whose own
// options and comments stay), "Show" opens the text that would be written, evidence included.

const SHOWN_KEY = 'opsreview.conventionsShown';

export function registerConventionsUi(context: vscode.ExtensionContext, client: LanguageClient, log: (msg: string) => void): void {
  const fetchConfig = async (folder: string): Promise<ConventionsResult> => checked(zConventionsResult, await client.sendRequest(Requests.conventions, { folder }), 'conventions result');

  const keep = async (folder: string): Promise<void> => {
    const r = await fetchConfig(folder);
    if (r.text === undefined) {
      void vscode.window.showErrorMessage(`OpsReview: ${vscode.workspace.asRelativePath(r.path)} is invalid or not a mapping; fix it before keeping the detected conventions.`);
      return;
    }
    if (r.exists && !r.added.length) {
      void vscode.window.showInformationMessage(`OpsReview: ${vscode.workspace.asRelativePath(r.path)} already sets every detected option.`);
      return;
    }
    const uri = vscode.Uri.file(r.path);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(r.text));
    log(`wrote ${r.path}${r.added.length ? ` (added ${r.added.join(', ')})` : ''}`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
  };

  const show = async (folder: string): Promise<void> => {
    const r = await fetchConfig(folder);
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: r.text ?? `# ${r.path} is invalid or not a mapping: nothing to merge into it.\n` });
    await vscode.window.showTextDocument(doc, { preview: true });
  };

  context.subscriptions.push(
    client.onNotification(Notifications.conventionsDetected, async (raw: unknown) => {
      let e;
      try {
        e = checked(zConventionsDetected, raw, 'conventionsDetected notification');
      } catch (err) {
        log((err as Error).message);
        return;
      }
      log(`${e.summary} (${e.folder})`);
      const shown = context.workspaceState.get<string[]>(SHOWN_KEY, []);
      if (shown.includes(e.folder)) return;
      await context.workspaceState.update(SHOWN_KEY, [...shown, e.folder]);
      const choice = await vscode.window.showInformationMessage(`OpsReview: ${e.summary}.`, 'Keep as configuration', 'Show');
      try {
        if (choice === 'Keep as configuration') await keep(e.folder);
        else if (choice === 'Show') await show(e.folder);
      } catch (err) {
        log(`conventions: ${(err as Error).message}`);
        void vscode.window.showErrorMessage(`OpsReview: ${(err as Error).message}`);
      }
    }),
  );
}
