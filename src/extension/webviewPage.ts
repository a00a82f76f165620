import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';

// The one page shell of OpsReview's webviews (checklist, service overview): codicons, the
// panel's styles from media/, a nonce Content-Security-Policy that allows only the extension's
// own script, and a body the script fills. Also the guard every "open this file" message passes.

export function webviewPage(webview: vscode.Webview, media: vscode.Uri, opts: { title: string; styles: string[]; script: string; body: string }): string {
  const nonce = randomBytes(16).toString('base64');
  const uri = (...p: string[]): vscode.Uri => webview.asWebviewUri(vscode.Uri.joinPath(media, ...p));
  const styles = [uri('codicons', 'codicon.css'), ...opts.styles.map((s) => uri(s))].map((u) => `<link href="${u}" rel="stylesheet">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; font-src ${webview.cspSource}; img-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<title>${escapeHtml(opts.title)}</title>
</head>
<body>
${opts.body}
<script nonce="${nonce}" src="${uri(opts.script)}"></script>
</body>
</html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Opens `file` (relative to `folder`) at a 1-based line beside the panel; files outside the folder are refused. */
export async function openInFolder(folder: string, file: string, line: number | null | undefined): Promise<vscode.TextEditor | undefined> {
  const abs = path.resolve(folder, file);
  if (!abs.startsWith(path.resolve(folder) + path.sep)) return undefined;
  const pos = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
  return vscode.window.showTextDocument(vscode.Uri.file(abs), { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.Beside, preview: true });
}
