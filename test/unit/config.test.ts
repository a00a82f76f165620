import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfigText } from '../../src/engine/config/load';
import { configJsonSchema, defaultConfig } from '../../src/engine/config/schema';

describe('configuration (.opsreview.yml)', () => {
  it('gives defaults for an empty file', () => {
    const r = parseConfigText('');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.config, defaultConfig());
    assert.deepEqual(r.config.terraform.requiredTags, ['owner', 'environment', 'service']);
    assert.equal(r.config.runbooks.reviewMaxAgeDays, 180);
  });

  it('merges options over the defaults', () => {
    const r = parseConfigText('rules:\n  runbook/review-stale: off\nterraform:\n  requiredTags: [team]\n');
    assert.deepEqual(r.errors, []);
    assert.equal(r.config.rules['runbook/review-stale'], 'off');
    assert.deepEqual(r.config.terraform.requiredTags, ['team']);
    assert.deepEqual(r.config.terraform.allowedIngressPorts, [80, 443]);
  });

  it('positions a wrong type on the offending value with zod\'s message', () => {
    const r = parseConfigText('runbooks:\n  reviewMaxAgeDays: soon\n');
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].message, /runbooks\.reviewMaxAgeDays/);
    assert.match(r.errors[0].message, /number/i);
    assert.deepEqual(r.errors[0].range, { start: { line: 1, character: 20 }, end: { line: 1, character: 24 } });
  });

  it('positions an unknown key on the key', () => {
    const r = parseConfigText('terraform:\n  requiredTag: [owner]\n');
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].message, /Unknown option 'requiredTag'/);
    assert.deepEqual(r.errors[0].range.start, { line: 1, character: 2 });
  });

  it('rejects an invalid rule severity', () => {
    const r = parseConfigText('rules:\n  alert/for-missing: loud\n');
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].range.start.line, 1);
  });

  it('reports YAML syntax errors with their position', () => {
    const r = parseConfigText('rules: [\n');
    assert.ok(r.errors.length >= 1);
    assert.match(r.errors[0].message, /Invalid YAML/);
  });

  it('ships a JSON schema identical to the one generated from the zod schema', () => {
    const shipped = JSON.parse(readFileSync(path.join(__dirname, '../../../opsreview.schema.json'), 'utf8'));
    const generated = { ...configJsonSchema() };
    assert.deepEqual(shipped, JSON.parse(JSON.stringify(generated)), 'run `npm run gen-schema` after changing src/engine/config/schema.ts');
    const props = shipped.properties as Record<string, { properties?: Record<string, unknown> }>;
    assert.ok(props.terraform.properties?.requiredTags);
    assert.ok(props.alerts.properties?.runbookBaseUrl);
  });
});
