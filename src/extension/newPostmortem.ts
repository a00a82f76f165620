import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { postmortemFileName, postmortemTemplate, PostmortemFields } from '../engine/alerting/postmortemTemplate';
import { findConfigFile, loadConfigFile } from '../engine/config/load';
import { defaultConfig } from '../engine/config/schema';

// "OpsReview: New Postmortem…": asks for the incident's title, service and owner, writes a
// postmortem from the engine's template (the sections the postmortem rules expect) into the
// workspace's postmortems folder, and opens it. It never overwrites a file: a name that exists
// gets a numeric suffix. Tests pass the fields (and the folder) as the argument to skip prompts.

export interface NewPostmortemArgs extends Partial<PostmortemFields> {
  /** Folder to write into (absolute); default: the workspace's postmortems folder. */
  folder?: string;
}

async function postmortemsFolder(root: string): Promise<string> {
  const [existing] = await vscode.workspace.findFiles(new vscode.RelativePattern(root, '**/postmortems/**/*.md'), '**/node_modules/**', 1);
  return existing ? path.dirname(existing.fsPath) : path.join(root, 'postmortems');
}

export async function newPostmortem(args: NewPostmortemArgs = {}): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('OpsReview: open a folder to create a postmortem in.');
    return undefined;
  }
  const root = folder.uri.fsPath;
  const ask = async (given: string | undefined, prompt: string, placeHolder: string): Promise<string | undefined> =>
    given ?? (await vscode.window.showInputBox({ prompt, placeHolder, validateInput: (v) => (v.trim() ? undefined : 'Required') }))?.trim();
  const title = await ask(args.title, 'Postmortem title: what happened', 'checkout latency after the settlement deploy');
  if (!title) return undefined;
  const service = await ask(args.service, 'Service affected', 'checkout');
  if (!service) return undefined;
  const owner = await ask(args.owner, 'Owning team', 'payments-platform');
  if (!owner) return undefined;
  const fields: PostmortemFields = { title, service, owner, date: args.date ?? new Date().toISOString().slice(0, 10), incident: args.incident };
  const configFile = findConfigFile(root);
  const config = configFile ? loadConfigFile(configFile).config : defaultConfig();
  const dir = args.folder ?? (await postmortemsFolder(root));
  mkdirSync(dir, { recursive: true });
  const base = postmortemFileName(fields).replace(/\.md$/, '');
  let target = path.join(dir, `${base}.md`);
  for (let n = 2; existsSync(target); n++) target = path.join(dir, `${base}-${n}.md`);
  writeFileSync(target, postmortemTemplate(fields, config), { flag: 'wx' });
  const uri = vscode.Uri.file(target);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  return uri;
}
