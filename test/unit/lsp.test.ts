import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageConnection } from 'vscode-jsonrpc/node';
import { writeWorkspace } from './helpers';
import { spawnServer, stopServer } from './lspServer';

// Drives the language server over stdio exactly as Neovim, Helix or Emacs would: spawn it,
// initialize, open a document, receive diagnostics, ask for code actions, shut down.

interface PublishedDiagnostics {
  uri: string;
  diagnostics: { range: { start: { line: number; character: number } }; message: string; code: string; source: string; severity: number; codeDescription?: { href: string } }[];
}

describe('language server over stdio', function () {
  this.timeout(30000);
  let proc: ChildProcess;
  let conn: MessageConnection;
  let root: string;
  const published = new Map<string, PublishedDiagnostics>();
  const waiters: (() => void)[] = [];

  before(async () => {
    root = await writeWorkspace({
      'runbooks/ok.md': '---\nowner: sre\nservice: api\ntags: [api]\n---\n# OK\n',
      'k8s/broken.yaml': 'apiVersion: apps/v1\nkind: Deployment\nspec: [unclosed\n',
      'alerts/api.yml': 'groups:\n  - name: api\n    rules:\n      - alert: ApiDown\n        expr: up == 0\n        annotations:\n          runbook_url: ../runbooks/ok.md\n',
      // `profile: all`: the vars file's `upassword: abc123` is a secret only by its key name,
      // which the default profile does not report.
    }, { profile: 'all' });
    ({ proc, conn } = spawnServer());
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      published.set(p.uri, p);
      for (const w of waiters.splice(0)) w();
    });
    conn.onNotification('window/logMessage', () => undefined);
    conn.onNotification('opsreview/indexChanged', () => undefined);
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
  });

  after(() => stopServer({ proc, conn }));

  async function waitFor(pred: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 20000;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  it('initializes and announces its capabilities', async () => {
    const result = (await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'ws' }],
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
    })) as { capabilities: Record<string, unknown>; serverInfo: { name: string } };
    assert.equal(result.serverInfo.name, 'opsreview');
    assert.ok(result.capabilities.codeActionProvider);
    assert.ok(result.capabilities.documentSymbolProvider);
    conn.sendNotification('initialized', {});
  });

  it('publishes the parse error of a broken file found while indexing', async () => {
    const uri = pathToFileURL(path.join(root, 'k8s/broken.yaml')).toString();
    await waitFor(() => published.has(uri), 'diagnostics for broken.yaml');
    const d = published.get(uri)!.diagnostics;
    assert.ok(d.length >= 1);
    assert.equal(d[0].source, 'opsreview');
    assert.equal(d[0].code, 'opsreview/parse-error');
    assert.equal(d[0].severity, 1);
    assert.match(d[0].codeDescription!.href, /docs\/rules\/opsreview\/parse-error\.md$/);
  });

  it('diagnoses a document opened with unsaved text, at its position', async () => {
    const uri = pathToFileURL(path.join(root, 'runbooks/draft.md')).toString();
    published.delete(uri);
    conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'markdown', version: 1, text: '---\ntitle: Draft\nowner: [unclosed\n---\n# Draft\n' },
    });
    await waitFor(() => (published.get(uri)?.diagnostics.length ?? 0) > 0, 'diagnostics for the opened document');
    const d = published.get(uri)!.diagnostics.find((x) => x.code === 'runbook/frontmatter-invalid');
    assert.ok(d, JSON.stringify(published.get(uri)));
    assert.ok(d!.range.start.line >= 1 && d!.range.start.line <= 3);
  });

  it('diagnoses an extension-less Ansible vars file opened as plain text', async () => {
    const uri = pathToFileURL(path.join(root, 'group_vars/dbservers')).toString();
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version: 1, text: 'dbuser: shop\nupassword: abc123\n' } });
    await waitFor(() => (published.get(uri)?.diagnostics.length ?? 0) > 0, 'diagnostics for group_vars/dbservers');
    const d = published.get(uri)!.diagnostics.find((x) => x.code === 'ansible/secret-plaintext');
    assert.ok(d, JSON.stringify(published.get(uri)));
    assert.equal(d!.range.start.line, 1);
  });

  it('answers document symbols and the custom runbooks request', async () => {
    const uri = pathToFileURL(path.join(root, 'runbooks/ok.md')).toString();
    const symbols = (await conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as { name: string }[];
    assert.deepEqual(symbols.map((s) => s.name), ['OK']);
    const r = (await conn.sendRequest('opsreview/runbooks', {})) as { runbooks: { relPath: string; owner?: string }[] };
    const ok = r.runbooks.find((x) => x.relPath === 'runbooks/ok.md');
    assert.equal(ok?.owner, 'sre');
  });

  it('links alerts and runbooks both ways with code lenses', async () => {
    const alertUri = pathToFileURL(path.join(root, 'alerts/api.yml')).toString();
    const runbookUri = pathToFileURL(path.join(root, 'runbooks/ok.md')).toString();
    const onAlert = (await conn.sendRequest('textDocument/codeLens', { textDocument: { uri: alertUri } })) as { range: { start: { line: number } }; command: { title: string; arguments: unknown[] } }[];
    assert.equal(onAlert.length, 1);
    assert.equal(onAlert[0].range.start.line, 3);
    assert.match(onAlert[0].command.title, /Runbook: runbooks\/ok\.md/);
    assert.deepEqual(onAlert[0].command.arguments, [runbookUri, 0]);
    const onRunbook = (await conn.sendRequest('textDocument/codeLens', { textDocument: { uri: runbookUri } })) as { range: { start: { line: number } }; command: { title: string; arguments: unknown[] } }[];
    assert.equal(onRunbook.length, 1);
    assert.equal(onRunbook[0].range.start.line, 5);
    assert.match(onRunbook[0].command.title, /Linked from alert ApiDown/);
    assert.deepEqual(onRunbook[0].command.arguments, [alertUri, 3]);
  });

  it('offers suppression code actions for a diagnostic', async () => {
    const uri = pathToFileURL(path.join(root, 'runbooks/draft.md')).toString();
    const diag = published.get(uri)!.diagnostics[0];
    const actions = (await conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diag.range,
      context: { diagnostics: [diag] },
    })) as { title: string }[];
    assert.ok(actions.some((a) => /Disable .* for this file/.test(a.title)), JSON.stringify(actions.map((a) => a.title)));
  });
});
