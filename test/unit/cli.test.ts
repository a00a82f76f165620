import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { main } from '../../src/cli/main';
import { writeWorkspace } from './helpers';

// The CLI as CI runs it: the same engine, three formats, exit codes that gate a pipeline.

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

const FILES = {
  'runbooks/broken.md': '---\nowner: [unclosed\n---\n# Broken\n',
  'k8s/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n',
  'runbooks/fine.md': '---\ntitle: Fine\nowner: sre\nservice: api\ntags: [api]\nlast_reviewed: 2026-11-01\n---\n# Fine\n\n## Steps\n- Look at the dashboard.\n',
};

describe('CLI: opsreview check', function () {
  this.timeout(30000);
  let root: string;
  before(async () => {
    root = await writeWorkspace(FILES);
  });

  it('prints linter-style text with a summary and exits 1 on errors', async () => {
    const r = await run(['check', root, '--rule', 'opsreview/parse-error', '--rule', 'runbook/frontmatter-invalid']);
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.match(lines[0], /^k8s\/bad\.yaml:3:\d+ error Invalid YAML: .* opsreview\/parse-error$/);
    assert.match(lines[1], /^runbooks\/broken\.md:2:\d+ error .*frontmatter.* runbook\/frontmatter-invalid$/i);
    assert.match(lines[lines.length - 1], /^2 problems \(2 errors, 0 warnings, 0 info\) in 3 files\.$/);
  });

  it('prints one JSON array with 1-based positions and relative paths', async () => {
    const r = await run(['check', root, '--format', 'json', '--rule', 'opsreview/parse-error']);
    assert.equal(r.code, 1);
    const findings = JSON.parse(r.out) as Record<string, unknown>[];
    assert.equal(findings.length, 1);
    assert.deepEqual(Object.keys(findings[0]).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'ruleId', 'severity']);
    assert.equal(findings[0].file, 'k8s/bad.yaml');
    assert.equal(findings[0].line, 3);
    assert.equal(findings[0].ruleId, 'opsreview/parse-error');
  });

  it('writes SARIF 2.1.0 that validates against the schema, with help URIs and rule properties', async () => {
    const r = await run(['check', root, '--format', 'sarif']);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const sarif: any = JSON.parse(r.out);
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    // The schema's patterns are ECMAScript without the unicode flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const ok = validate(JSON.parse(r.out));
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const run0 = sarif.runs[0];
    assert.equal(sarif.version, '2.1.0');
    assert.equal(run0.tool.driver.name, 'OpsReview');
    const rule = run0.tool.driver.rules.find((x: { id: string }) => x.id === 'opsreview/parse-error');
    assert.match(rule.helpUri, /docs\/rules\/opsreview\/parse-error\.md$/);
    assert.equal(rule.properties.practice, 'valid-configuration');
    const result = run0.results.find((x: { ruleId: string }) => x.ruleId === 'opsreview/parse-error');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'k8s/bad.yaml');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 3);
    assert.equal(run0.tool.driver.rules[result.ruleIndex].id, 'opsreview/parse-error');
  });

  it('exits 0 on a clean folder and reports only the files given', async () => {
    const r = await run(['check', path.join(root, 'runbooks/fine.md'), '--rule', 'opsreview/parse-error']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /No problems found in 1 file\./);
  });

  it('gates on --max-warnings', async () => {
    const ws = await writeWorkspace({ 'runbooks/a.md': '# A\n<!-- opsreview-disable-next-line runbook/placeholder -->\n- fine\n' });
    const over = await run(['check', ws, '--max-warnings', '0', '--rule', 'opsreview/unused-suppression', '--rule', 'runbook/placeholder']);
    assert.equal(over.code, 1, over.out);
    const within = await run(['check', ws, '--max-warnings', '1', '--rule', 'opsreview/unused-suppression', '--rule', 'runbook/placeholder']);
    assert.equal(within.code, 0, within.out);
  });

  it('exits 2 on usage errors and invalid configuration, naming the file and line', async () => {
    assert.equal((await run(['check', root, '--format', 'xml'])).code, 2);
    assert.equal((await run(['check', root, '--rule', 'no/such-rule'])).code, 2);
    assert.equal((await run(['frobnicate'])).code, 2);
    const ws = await writeWorkspace({ '.opsreview.yml': 'terraform:\n  allowedIngressPorts: [http]\n' });
    const r = await run(['check', ws]);
    assert.equal(r.code, 2);
    assert.match(r.err, /\.opsreview\.yml:2:\d+ error .*terraform\.allowedIngressPorts/);
  });

  it('lists the rules', async () => {
    const r = await run(['rules', '--format', 'json']);
    const metas = JSON.parse(r.out) as { id: string; defaultSeverity: string }[];
    assert.ok(metas.some((m) => m.id === 'opsreview/parse-error'));
    assert.ok(metas.every((m) => ['error', 'warning', 'info'].includes(m.defaultSeverity)));
  });
});
