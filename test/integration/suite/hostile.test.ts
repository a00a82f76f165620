import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, fileUri, getApi, opsDiagnostics, waitFor } from './util';

// Hostile files opened in real VS Code: each gets its own positioned diagnostic (or is skipped),
// and the extension keeps answering: the re-index command completes and the server still runs.

const FILES: Record<string, string | Buffer> = {
  'terraform/hostile-spaces.tf': 'x = ' + ' '.repeat(100_000) + '\n',
  'hostile-links.md': '---\nowner: sre\nservice: api\ntags: [api]\n---\n# Links\n\n' + Array.from({ length: 20_000 }, (_, i) => `- [step ${i}](#gone-${i % 50})`).join('\n') + '\n',
  'hostile-laughs.md':
    '---\n' +
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill('*' + 'abcdefghi'[i]).join(',')}]`)].join('\n') +
    '\nowner: sre\n---\n# Laughs\n',
  'k8s/hostile-braces.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: ' + '{{'.repeat(20_000) + '\n',
  'hostile-binary.md': Buffer.from([0x23, 0x20, 0x78, 0x0a, 0x00, 0x01, 0x02, 0xff]),
};

describe('OpsReview on hostile files (real VS Code)', function () {
  this.timeout(120000);

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const rel of Object.keys(FILES)) await vscode.workspace.fs.delete(fileUri(rel)).then(undefined, () => undefined);
  });

  it('gives each hostile file its own diagnostic and keeps answering commands', async () => {
    const api = await getApi();
    for (const [rel, text] of Object.entries(FILES)) await vscode.workspace.fs.writeFile(fileUri(rel), typeof text === 'string' ? Buffer.from(text) : text);
    for (const rel of Object.keys(FILES)) if (!rel.includes('binary')) await vscode.window.showTextDocument(fileUri(rel), { preview: false });

    const tf = await waitFor('the Terraform parser to give up with a positioned error', () => opsDiagnostics(fileUri('terraform/hostile-spaces.tf'), 'opsreview/parse-error')[0], 60000);
    assert.equal(tf.range.start.line, 0);
    const laughs = await waitFor('the alias bomb in frontmatter', () => opsDiagnostics(fileUri('hostile-laughs.md')).find((d) => /alias/i.test(d.message)), 60000);
    assert.equal(codeOf(laughs), 'runbook/frontmatter-invalid');
    const links = await waitFor('broken anchors of the 20,000-link runbook', () => opsDiagnostics(fileUri('hostile-links.md'), 'runbook/link-broken'), 60000);
    assert.ok(links.length > 0 && links.length <= 1001, `${links.length} diagnostics`);
    // A template that is not YAML before rendering is listed as skipped (no finding to act on).
    await waitFor('the template on the skip list', async () => (await api.stats()).skipped.find((s) => s.relPath === 'k8s/hostile-braces.yaml' && /template/.test(s.reason)), 60000);

    // Still answering: a full re-index through the command, then the server's own status.
    await vscode.commands.executeCommand('opsreview.refresh');
    await api.ready();
    const stats = await api.stats();
    assert.equal(stats.ready, true);
    assert.ok(stats.skipped.some((s) => s.relPath === 'hostile-binary.md' && /binary/.test(s.reason)), JSON.stringify(stats.skipped));
    assert.equal(api.client.state, 2 /* Running */);
  });
});
