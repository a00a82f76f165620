import * as vscode from 'vscode';
import { findConfigFile, loadConfigFile } from '../../engine/config/load';
import { defaultConfig } from '../../engine/config/schema';
import { renderRunbook, RUNBOOK_TEMPLATE_KINDS, RunbookTemplateKind, TEMPLATE_KIND_LABELS, TEMPLATE_OVERRIDE_DIR } from '../../engine/runbook/templates';

// "OpsReview: New Runbook…": asks for the service, the kind and the owner, and writes a runbook
// the rules accept as it is (the engine's templates, or the team's in .opsreview/templates/).

export interface NewRunbookArgs {
  service?: string;
  kind?: RunbookTemplateKind;
  owner?: string;
  /** Workspace folder to write into (defaults to the first). */
  folder?: vscode.Uri;
}

export async function newRunbook(args: NewRunbookArgs = {}): Promise<vscode.Uri | undefined> {
  const folder = args.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    void vscode.window.showWarningMessage('OpsReview: open a folder to create a runbook in.');
    return undefined;
  }
  const service = args.service ?? (await vscode.window.showInputBox({ title: 'New runbook (1/3)', prompt: 'Service the runbook covers', placeHolder: 'payments-api', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Name the service') }));
  if (!service) return undefined;
  const kind =
    args.kind ??
    (
      await vscode.window.showQuickPick(
        RUNBOOK_TEMPLATE_KINDS.map((k) => ({ label: TEMPLATE_KIND_LABELS[k], templateKind: k })),
        { title: 'New runbook (2/3)', placeHolder: 'Kind of runbook' },
      )
    )?.templateKind;
  if (!kind) return undefined;
  const owner = args.owner ?? (await vscode.window.showInputBox({ title: 'New runbook (3/3)', prompt: 'Owning team', placeHolder: 'team-payments', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Name the owner') }));
  if (!owner) return undefined;

  const configFile = findConfigFile(folder.fsPath);
  const config = configFile ? loadConfigFile(configFile).config : defaultConfig();
  let override: string | undefined;
  try {
    override = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, TEMPLATE_OVERRIDE_DIR, `${kind}.md`))).toString('utf8');
  } catch {
    override = undefined; // no team template: the built-in one
  }
  const today = new Date().toISOString().slice(0, 10);
  const rendered = renderRunbook({ service, kind, owner, today }, config, override);
  // Never overwrite: a second runbook for the same service and kind gets a number.
  let uri = vscode.Uri.joinPath(folder, rendered.relPath);
  for (let n = 2; await exists(uri); n++) uri = vscode.Uri.joinPath(folder, rendered.relPath.replace(/\.md$/, `-${n}.md`));
  await vscode.workspace.fs.writeFile(uri, Buffer.from(rendered.text));
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
