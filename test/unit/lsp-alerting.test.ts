import * as assert from 'node:assert/strict';
import { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageConnection } from 'vscode-jsonrpc/node';
import { loadFixture } from './fixtureFiles';
import { writeWorkspace } from './helpers';
import { initializeFolder, spawnServer, stopServer } from './lspServer';

// The alert-routing answer as any LSP client gets it (Neovim, Helix): hover and code lens on an
// alert rule, over stdio, from the two-Alertmanager fixture; and the postmortem template request.

describe('language server: alert routing and postmortem template', function () {
  this.timeout(30000);
  let proc: ChildProcess;
  let conn: MessageConnection;
  let root: string;

  before(async () => {
    root = await writeWorkspace(loadFixture('alerting'));
    ({ proc, conn } = spawnServer());
    for (const n of ['textDocument/publishDiagnostics', 'window/logMessage', 'opsreview/indexChanged']) conn.onNotification(n, () => undefined);
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    await initializeFolder(conn, root);
  });

  after(() => stopServer({ proc, conn }));

  it('hovers an alert rule with the receivers it reaches in each Alertmanager file', async () => {
    const uri = pathToFileURL(path.join(root, 'alerts/payments.yml')).toString();
    // Line 20 (0-based 19): `- alert: PaymentsQueueBacklog`, severity page.
    // The first index build runs after `initialized`: ask until the file is indexed.
    type HoverResult = { contents: { value: string } } | null;
    const ask = async (): Promise<HoverResult> => (await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 19, character: 20 } })) as HoverResult;
    let hover = await ask();
    for (let i = 0; i < 100 && !hover; i++) {
      await new Promise((r) => setTimeout(r, 100));
      hover = await ask();
    }
    assert.ok(hover, 'a hover');
    assert.match(hover.contents.value, /\*\*Alert PaymentsQueueBacklog routes to:\*\*/);
    assert.match(hover.contents.value, /- payments-chat \(slack\) via route\.routes\[2\] \{team="payments", severity!~"info\|none"\} in prod\/alertmanager\.yml/);
    assert.match(hover.contents.value, /- staging-chat \(slack\) via the root route in staging\/alertmanager\.yaml/);
    const lenses = (await conn.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { range: { start: { line: number } }; command: { title: string } }[];
    assert.deepEqual(
      lenses.filter((l) => l.range.start.line === 19).map((l) => l.command.title),
      ['$(broadcast) Routes to payments-oncall (operator/payments-amc.yaml)', '$(broadcast) Routes to payments-chat (no pager) (prod/alertmanager.yml)', '$(broadcast) Routes to staging-chat (no pager) (staging/alertmanager.yaml)'],
    );
  });

  it('answers the postmortem template request under the folder\'s configuration', async () => {
    const r = (await conn.sendRequest('opsreview/postmortemTemplate', { folder: root, title: 'Queue backlog', date: '2026-11-20', service: 'payments', owner: 'payments' })) as { text: string; fileName: string; dir: string };
    assert.equal(r.fileName, '2026-11-20-queue-backlog.md');
    assert.equal(r.dir, path.posix.join(root.replace(/\\/g, '/'), 'postmortems'));
    assert.match(r.text, /^---\ntitle: "Postmortem: Queue backlog"\ntype: postmortem\n/);
    assert.match(r.text, /\n## Action items\n/);
  });
});
