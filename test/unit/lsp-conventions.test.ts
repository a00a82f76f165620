import * as assert from 'node:assert/strict';
import { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { MessageConnection } from 'vscode-jsonrpc/node';
import { loadFixture } from './fixtureFiles';
import { writeWorkspace } from './helpers';
import { initializeFolder, spawnServer, stopServer } from './lspServer';

// The server side of "conventions detected" (issue 12): a log line and a notification once
// the folder is indexed, and the request that gives the `.opsreview.yml` text to keep.

describe('language server: detected conventions', function () {
  this.timeout(30000);
  let proc: ChildProcess;
  let conn: MessageConnection;
  let root: string;
  const detected: { folder: string; summary: string }[] = [];
  const logs: string[] = [];

  before(async () => {
    root = await writeWorkspace(loadFixture('conventions/severity-numbered'));
    ({ proc, conn } = spawnServer());
    conn.onNotification('opsreview/conventionsDetected', (p: { folder: string; summary: string }) => void detected.push(p));
    conn.onNotification('window/logMessage', (p: { message: string }) => void logs.push(p.message));
    conn.onNotification('textDocument/publishDiagnostics', () => undefined);
    conn.onNotification('opsreview/indexChanged', () => undefined);
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    await initializeFolder(conn, root);
  });

  after(() => stopServer({ proc, conn }));

  it('announces them in the log and with a notification, then gives the config text to keep', async () => {
    const deadline = Date.now() + 20000;
    while (!detected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(detected.length, 1, 'one notification');
    assert.match(detected[0].summary, /^conventions detected: severities S1–S4 \(paging: S1\)/);
    assert.ok(logs.some((l) => /conventions detected: severities S1–S4/.test(l)), logs.join('\n'));
    const r = (await conn.sendRequest('opsreview/conventions', { folder: detected[0].folder })) as { path: string; exists: boolean; text: string };
    assert.equal(r.exists, false);
    assert.equal(r.path, path.posix.join(detected[0].folder, '.opsreview.yml'));
    assert.match(r.text, /allowedSeverities: \[S1, S2, S3, S4\]/);
  });
});
