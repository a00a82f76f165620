import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { checked, PostmortemTemplateParams, Requests, zPostmortemTemplateResult } from '../server/protocol';

// "OpsReview: New Postmortem…": asks for the incident's title, service and owner, asks the
// language server for the postmortem (the engine's template under the folder's configuration,
// so it has exactly the sections the postmortem rules expect), writes it next to the
// workspace's other postmortems and opens it. It never overwrites a file: a name that exists
// gets a numeric suffix. Tests pass the fields as the argument to skip the prompts.

export type NewPostmortemArgs = Partial<Omit<PostmortemTemplateParams, 'folder'>>;

export async function newPostmortem(client: LanguageClient | undefined, args: NewPostmortemArgs = {}): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || !client) {
    void vscode.window.showWarningMessage('OpsReview: open a folder (and let OpsReview start) to create a postmortem in.');
    return undefined;
  }
  const ask = async (given: string | undefined, prompt: string, placeHolder: string): Promise<string | undefined> =>
    given ?? (await vscode.window.showInputBox({ prompt, placeHolder, validateInput: (v) => (v.trim() ? undefined : 'Required') }))?.trim();
  const title = await ask(args.title, 'Postmortem title: what happened', 'checkout latency after the settlement deploy');
  if (!title) return undefined;
  const service = await ask(args.service, 'Service affected', 'checkout');
  if (!service) return undefined;
  const owner = await ask(args.owner, 'Owning team', 'payments-platform');
  if (!owner) return undefined;
  const params: PostmortemTemplateParams = { folder: folder.uri.fsPath, title, service, owner, date: args.date ?? new Date().toISOString().slice(0, 10), incident: args.incident };
  const made = checked(zPostmortemTemplateResult, await client.sendRequest(Requests.postmortemTemplate, params), 'postmortemTemplate result');
  mkdirSync(made.dir, { recursive: true });
  const base = made.fileName.replace(/\.md$/, '');
  let target = path.join(made.dir, `${base}.md`);
  for (let n = 2; existsSync(target); n++) target = path.join(made.dir, `${base}-${n}.md`);
  writeFileSync(target, made.text, { flag: 'wx' });
  const uri = vscode.Uri.file(target);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  return uri;
}
