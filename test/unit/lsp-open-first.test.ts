import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeWorkspace } from './helpers';
import { spawnServer, StdioServer, stopServer } from './lspServer';

// Open documents are diagnosed before the rest of the folder, whenever they were opened: one
// opened before `initialized` and one opened while the folder is being indexed both get their
// diagnostics before the folder is indexed (the server's progress says `N/N files`) and so
// before the full index is published. The property is the order of the server's
// notifications, not a time: the folder holds files that cost the Terraform parser its whole
// budget each, so the build is still running when the second document is opened.

describe('language server: open documents are diagnosed first', function () {
  this.timeout(120_000);
  let server: StdioServer | undefined;
  after(() => stopServer(server ?? {}));

  it('diagnoses a document opened before initialized and one opened mid-index before the full index is published', async () => {
    const files: Record<string, string> = {};
    // Parsed before the runbooks (discovery order): each burns the Terraform parse budget.
    for (let i = 0; i < 6; i++) files[`a-slow/t${i}/main.tf`] = `x${i} = ` + ' '.repeat(100_000) + '\n';
    for (let i = 0; i < 200; i++) files[`runbooks/r${String(i).padStart(3, '0')}.md`] = `---\nowner: sre\nservice: s${i}\ntags: [x]\n---\n# R${i}\n\nSee [next](r${String(i + 1).padStart(3, '0')}.md).\n`;
    const head = '---\nowner: sre\nservice: api\ntags: [x]\n---\n# Open\n\n';
    files['zz/before.md'] = head + 'See [gone](gone-before.md).\n';
    // On disk its link is fine; the editor's unsaved buffer breaks it: the buffer is what is diagnosed.
    files['zz/during.md'] = head + 'See [fine](before.md).\n';
    const duringBuffer = head + '\nSee [gone](gone-during.md).\n';
    const root = await writeWorkspace(files);
    const uriOf = (rel: string) => pathToFileURL(path.join(root, rel)).toString();
    const beforeUri = uriOf('zz/before.md');
    const duringUri = uriOf('zz/during.md');

    server = spawnServer();
    const { conn } = server;
    const events: string[] = [];
    const lines = new Map<string, number>();
    const at = (e: string) => events.findIndex((x) => x.startsWith(e));
    let openedDuring = false;
    let fullIndexed!: () => void;
    const full = new Promise<void>((r) => (fullIndexed = r));
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('client/registerCapability', () => null);
    conn.onNotification('window/logMessage', () => undefined);
    conn.onNotification('opsreview/indexProgress', () => undefined);
    conn.onNotification('$/progress', (p: { value: { kind: string; message?: string } }) => {
      const m = /^(\d+)\/(\d+) files$/.exec(p.value.message ?? '');
      // Every file parsed: what is published from here on is the full index.
      if (m && m[1] === m[2] && at('all parsed') < 0) events.push('all parsed');
      // The first report of a build under way: open the second document now.
      if (!openedDuring && p.value.kind === 'report' && m && Number(m[1]) < Number(m[2])) {
        openedDuring = true;
        events.push(`opened during at ${m[0]}`);
        conn.sendNotification('textDocument/didOpen', { textDocument: { uri: duringUri, languageId: 'markdown', version: 1, text: duringBuffer } });
      }
    });
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: { code: string; range: { start: { line: number } } }[] }) => {
      const broken = p.diagnostics.find((d) => d.code === 'runbook/link-broken');
      if ((p.uri === beforeUri || p.uri === duringUri) && broken && !lines.has(p.uri)) {
        lines.set(p.uri, broken.range.start.line);
        events.push(`diagnostics ${p.uri === beforeUri ? 'before' : 'during'}`);
      }
    });
    conn.onNotification('opsreview/indexChanged', (p: { full: boolean }) => {
      if (!p.full) return;
      events.push('full index');
      fullIndexed();
    });
    conn.listen();

    const uri = pathToFileURL(root).toString();
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: 'ws' }], capabilities: { window: { workDoneProgress: true } } });
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri: beforeUri, languageId: 'markdown', version: 1, text: files['zz/before.md'] } });
    conn.sendNotification('initialized', {});
    await full;

    assert.ok(at('opened during') >= 0, `the second document was never opened mid-index: ${events.join(', ')}`);
    assert.ok(at('all parsed') >= 0 && at('all parsed') < at('full index'), events.join(', '));
    assert.ok(at('diagnostics before') >= 0 && at('diagnostics before') < at('all parsed'), `before: ${events.join(', ')}`);
    assert.ok(at('diagnostics during') > at('opened during') && at('diagnostics during') < at('all parsed'), `during: ${events.join(', ')}`);
    assert.equal(lines.get(beforeUri), 7);
    assert.equal(lines.get(duringUri), 8, 'the open buffer, not the disk, is what was diagnosed');
  });
});
