import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { writeWorkspace } from './helpers';

// One pathological file may make its own diagnostics late, never the server unresponsive: while
// a hostile tree is being indexed the server reports `N/M files` progress, answers requests and
// answers `shutdown` before the indexing is over. (The latency is printed, not asserted: the
// property is that the answer comes while the work is still going on.)

interface ProgressValue {
  kind: 'begin' | 'report' | 'end';
  message?: string;
  percentage?: number;
}

describe('language server under a hostile tree', function () {
  this.timeout(120_000);
  let proc: ChildProcess;
  let conn: MessageConnection;

  after(() => {
    conn?.dispose();
    proc?.kill();
  });

  it('reports progress, diagnoses the open document first, and answers requests and shutdown while indexing', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`runbooks/r${String(i).padStart(3, '0')}.md`] = `---\nowner: sre\nservice: s${i}\ntags: [x]\n---\n# R${i}\n\nSee [next](r${i + 1}.md#r${i + 1}).\n`;
    // Each costs the Terraform parser its whole time budget; the runbook 50,000 links (about the default size limit).
    for (let i = 0; i < 6; i++) files[`terraform/t${i}/main.tf`] = `x${i} = ` + ' '.repeat(100_000) + '\n';
    files['zz/zopen.md'] = '---\nowner: sre\nservice: api\ntags: [x]\n---\n# Open\n\nSee [gone](gone.md).\n';
    files['zz/links.md'] = '---\nowner: sre\n---\n# Links\n' + Array.from({ length: 50_000 }, (_, i) => `[l](#gone-${i % 97})`).join('\n');
    // The last hostile inputs of issue 18, under a raised size limit: a runbook_url of 50,000 path
    // segments, one 5 MB line of Terraform, a 50 MB runbook and a 20 MB Terraform file.
    files['.opsreview.yml'] = 'maxFileSizeKb: 65536\n';
    files['hostile/alerts.yml'] = `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations:\n          runbook_url: https://runbooks.example.com/${'runbooks/'.repeat(50_000)}r0.md\n      - alert: B\n        expr: up == 0\n        annotations:\n          runbook_url: ${'seg/'.repeat(50_000)}r.md\n`;
    files['hostile/line.tf'] = 'locals { x = [' + '"a",'.repeat(1_250_000) + ']\n';
    files['hostile/huge.md'] = '---\nowner: sre\n---\n# Huge\n\n' + 'See [the dashboard](dash.md).\n\n'.repeat(1_700_000);
    files['hostile/huge.tf'] = 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'.repeat(420_000);
    const root = await writeWorkspace(files);

    const server = path.join(__dirname, '../../src/server/main.js');
    proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const progress: ProgressValue[] = [];
    let firstReport: () => void = () => undefined;
    const reported = new Promise<void>((r) => (firstReport = r));
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onNotification('$/progress', (p: { value: ProgressValue }) => {
      progress.push(p.value);
      // Past the hostile/ files, the 300 plain runbooks and into the hostile Terraform files.
      const m = /^(\d+)\/(\d+) files$/.exec(p.value.message ?? '');
      if (p.value.kind === 'report' && m && Number(m[1]) >= 306) firstReport();
    });
    // The document open in the editor: its diagnostics must come before the folder is indexed.
    const openUri = pathToFileURL(path.join(root, 'zz/zopen.md')).toString();
    let openDiagnosedMidIndex: boolean | undefined;
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: { code: string }[] }) => {
      if (p.uri === openUri && openDiagnosedMidIndex === undefined && p.diagnostics.some((d) => d.code === 'runbook/link-broken')) openDiagnosedMidIndex = !progress.some((x) => x.kind === 'end');
    });
    conn.onNotification('window/logMessage', () => undefined);
    conn.onNotification('opsreview/indexChanged', () => undefined);
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();

    const uri = pathToFileURL(root).toString();
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: 'ws' }], capabilities: { window: { workDoneProgress: true } } });
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri: openUri, languageId: 'markdown', version: 1, text: files['zz/zopen.md'] } });
    conn.sendNotification('initialized', {});
    await reported;

    const symbolsAt = Date.now();
    const symbols = await conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: pathToFileURL(path.join(root, 'runbooks/r000.md')).toString() } });
    const symbolsMs = Date.now() - symbolsAt;
    const shutdownAt = Date.now();
    await conn.sendRequest('shutdown');
    const shutdownMs = Date.now() - shutdownAt;
    const endedBeforeShutdown = progress.some((p) => p.kind === 'end');
    console.log(`      documentSymbol answered in ${symbolsMs} ms, shutdown in ${shutdownMs} ms, mid-index (progress so far: ${progress.filter((p) => p.kind === 'report').map((p) => p.message).slice(-1)[0]})`);

    assert.equal(progress[0].kind, 'begin');
    assert.ok(Array.isArray(symbols) || symbols === null);
    assert.ok(!endedBeforeShutdown, 'the index was already built: the test tree is too small to show anything');
    assert.equal(openDiagnosedMidIndex, true, 'the open document was not diagnosed before the folder was indexed');
    conn.sendNotification('exit');
  });
});
