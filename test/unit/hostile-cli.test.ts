import * as assert from 'node:assert/strict';
import { main } from '../../src/cli/main';
import { writeWorkspace } from './helpers';

// A file the CLI did not read must be named in every output format, so a passing CI run says
// what it did not look at.

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

describe('CLI: skipped files are reported in every format', function () {
  this.timeout(30000);
  let root: string;
  // opsreview/file-skipped is in the `all` profile: by default a skipped file is the summary's
  // "Skipped N files" line (last test), not a finding.
  before(async () => {
    root = await writeWorkspace({
      '.opsreview.yml': 'profile: all\nmaxFileSizeKb: 2\n',
      'runbooks/big.md': '---\nowner: sre\nservice: api\ntags: [api]\n---\n# Big\n\n## Rollback\n\n- revert\n\n' + 'text '.repeat(1000),
      'terraform/blob.tf': 'resource "x" "y" {}\n\u0000\u0001',
    });
  });

  it('text: one line per skipped file, and the exit code is unchanged by notes', async () => {
    const r = await run(['check', root]);
    assert.match(r.out, /^runbooks\/big\.md:1:1 info Skipped: larger than maxFileSizeKb \(5 KB > 2 KB\); not read\. opsreview\/file-skipped$/m);
    assert.match(r.out, /^terraform\/blob\.tf:1:1 info Skipped: binary content/m);
    assert.equal(r.code, 0, r.out + r.err);
  });

  it('JSON: an info entry per skipped file', async () => {
    const r = await run(['check', root, '--format', 'json']);
    const skipped = (JSON.parse(r.out) as { ruleId: string; file: string; severity: string }[]).filter((f) => f.ruleId === 'opsreview/file-skipped');
    assert.deepEqual(skipped.map((f) => [f.file, f.severity]), [['runbooks/big.md', 'info'], ['terraform/blob.tf', 'info']]);
  });

  it('SARIF: a note-level result per skipped file, with the rule described', async () => {
    const r = await run(['check', root, '--format', 'sarif']);
    const sarif = JSON.parse(r.out);
    const results = sarif.runs[0].results.filter((x: { ruleId: string }) => x.ruleId === 'opsreview/file-skipped');
    assert.deepEqual(results.map((x: { level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [x.locations[0].physicalLocation.artifactLocation.uri, x.level]), [['runbooks/big.md', 'note'], ['terraform/blob.tf', 'note']]);
    assert.ok(sarif.runs[0].tool.driver.rules.some((m: { id: string }) => m.id === 'opsreview/file-skipped'));
  });

  it('the note can be switched off like any rule', async () => {
    const off = await writeWorkspace({ '.opsreview.yml': 'profile: all\nmaxFileSizeKb: 1\nrules:\n  opsreview/file-skipped: off\n', 'runbooks/big.md': '# x\n' + 'y'.repeat(3000) });
    const r = await run(['check', off, '--format', 'json']);
    assert.deepEqual(JSON.parse(r.out), []);
  });

  it('by default (recommended profile) a skipped file is counted in the summary, not reported as a finding', async () => {
    const quiet = await writeWorkspace({ '.opsreview.yml': 'maxFileSizeKb: 2\n', 'runbooks/big.md': '# Big\n\n' + 'text '.repeat(1000), 'terraform/blob.tf': 'resource "x" "y" {}\n\u0000\u0001' });
    const r = await run(['check', quiet]);
    assert.doesNotMatch(r.out, /opsreview\/file-skipped/);
    assert.match(r.out, /^Skipped 2 files \(1 binary, 1 too large\); --verbose lists them\.$/m);
    assert.equal(r.code, 0, r.out + r.err);
    const json = JSON.parse((await run(['check', quiet, '--format', 'json'])).out) as { ruleId: string }[];
    assert.deepEqual(json.filter((f) => f.ruleId === 'opsreview/file-skipped'), []);
    // Named on the command line, the rule reports them.
    const named = JSON.parse((await run(['check', quiet, '--format', 'json', '--rule', 'opsreview/file-skipped'])).out) as { ruleId: string; file: string }[];
    assert.deepEqual(named.map((f) => f.file).sort(), ['runbooks/big.md', 'terraform/blob.tf']);
  });
});
