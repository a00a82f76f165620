import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cacheKey } from '../../src/cli/cache';
import { main } from '../../src/cli/main';
import { defaultConfig } from '../../src/engine/config/schema';
import { writeWorkspace } from './helpers';

// `check --cache` answers from the last run only while nothing it depends on changed. Each test
// plants a marker finding in the cache file: seeing it proves the cache was used, not seeing it
// proves the check ran again.

async function check(root: string, cacheDir: string): Promise<{ code: number; findings: { ruleId: string; file: string; message: string }[] }> {
  let out = '';
  const code = await main(['check', root, '--format', 'json', '--cache', '--cache-location', cacheDir + '/'], (s) => (out += s), () => undefined);
  return { code, findings: JSON.parse(out) };
}

function plantMarker(cacheDir: string): void {
  const file = path.join(cacheDir, 'check-cache.json');
  const data = JSON.parse(readFileSync(file, 'utf8'));
  data.findings.push({ rel: 'runbooks/a.md', ruleId: 'runbook/placeholder', severity: 'info', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: 'CACHE-MARKER' });
  writeFileSync(file, JSON.stringify(data));
}

const marked = (r: { findings: { message: string }[] }): boolean => r.findings.some((f) => f.message === 'CACHE-MARKER');

describe('CLI: check --cache', function () {
  this.timeout(30000);
  const files = {
    'runbooks/a.md': '---\nowner: sre\nservice: api\ntags: [api]\n---\n# A\n\nSee [b](b.md#failover).\n\n## Rollback\n\n- revert\n',
    'runbooks/b.md': '---\nowner: sre\nservice: api\ntags: [api]\n---\n# B\n\n## Failover\n\n- switch\n\n## Rollback\n\n- revert\n',
  };

  it('serves an unchanged workspace from the cache, with the same findings', async () => {
    const root = await writeWorkspace(files);
    const cacheDir = path.join(root, '.cache-test');
    const cold = await check(root, cacheDir);
    plantMarker(cacheDir);
    const warm = await check(root, cacheDir);
    assert.ok(marked(warm), 'the second run did not use the cache');
    assert.deepEqual(warm.findings.filter((f) => f.message !== 'CACHE-MARKER'), cold.findings);
    assert.equal(warm.code, cold.code);
  });

  it('re-checks when a file changes', async () => {
    const root = await writeWorkspace(files);
    const cacheDir = path.join(root, '.cache-test');
    await check(root, cacheDir);
    plantMarker(cacheDir);
    writeFileSync(path.join(root, 'runbooks/a.md'), files['runbooks/a.md'] + '\nSee [gone](gone.md).\n');
    const r = await check(root, cacheDir);
    assert.ok(!marked(r));
    assert.ok(r.findings.some((f) => f.file === 'runbooks/a.md' && f.ruleId === 'runbook/link-broken' && /gone\.md/.test(f.message)));
  });

  it('re-checks a file whose dependency changed (cross-file findings)', async () => {
    const root = await writeWorkspace(files);
    const cacheDir = path.join(root, '.cache-test');
    const before = await check(root, cacheDir);
    assert.ok(!before.findings.some((f) => f.ruleId === 'runbook/link-broken'));
    plantMarker(cacheDir);
    // a.md is untouched; the heading it links to is renamed in b.md.
    writeFileSync(path.join(root, 'runbooks/b.md'), files['runbooks/b.md'].replace('## Failover', '## Switch over'));
    const r = await check(root, cacheDir);
    assert.ok(!marked(r));
    assert.ok(r.findings.some((f) => f.file === 'runbooks/a.md' && f.ruleId === 'runbook/link-broken' && /#failover/.test(f.message)), JSON.stringify(r.findings));
  });

  it('re-checks when a new file appears that a link points at', async () => {
    const root = await writeWorkspace({ ...files, 'runbooks/a.md': files['runbooks/a.md'] + '\nRun [the script](../scripts/fix.sh).\n' });
    const cacheDir = path.join(root, '.cache-test');
    const before = await check(root, cacheDir);
    assert.ok(before.findings.some((f) => /fix\.sh/.test(f.message)));
    plantMarker(cacheDir);
    mkdirSync(path.join(root, 'scripts'));
    writeFileSync(path.join(root, 'scripts/fix.sh'), '#!/bin/sh\n');
    const r = await check(root, cacheDir);
    assert.ok(!marked(r));
    assert.ok(!r.findings.some((f) => /fix\.sh/.test(f.message)));
  });

  it('re-checks when the configuration changes', async () => {
    const root = await writeWorkspace(files);
    const cacheDir = path.join(root, '.cache-test');
    await check(root, cacheDir);
    plantMarker(cacheDir);
    writeFileSync(path.join(root, '.opsreview.yml'), 'rules:\n  runbook/rollback-missing: off\n');
    const r = await check(root, cacheDir);
    assert.ok(!marked(r));
  });

  it('keys on the OpsReview version, the rules selected and the date', async () => {
    const root = await writeWorkspace(files);
    const config = defaultConfig();
    const now = new Date('2026-11-25T12:00:00Z');
    const base = await cacheKey(root, { version: '0.1.0', config, now });
    assert.equal(await cacheKey(root, { version: '0.1.0', config, now }), base);
    assert.notEqual(await cacheKey(root, { version: '0.1.1', config, now }), base);
    assert.notEqual(await cacheKey(root, { version: '0.1.0', config, now, only: ['runbook/link-broken'] }), base);
    assert.notEqual(await cacheKey(root, { version: '0.1.0', config, now: new Date('2026-11-26T12:00:00Z') }), base);
  });
});
