import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderCrosswalk, renderRuleTable } from '../../src/engine/readme';
import { ALL_RULE_METAS } from '../../src/engine/rules';
import { docsPath } from '../../src/engine/rules/types';

// The README's rule table and crosswalk are generated from the rules' meta; every rule has a docs
// page with a failing and a passing example. These tests keep the two from drifting apart.
const repo = path.join(__dirname, '../../..');

describe('documentation', () => {
  const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
  const between = (name: string): string => {
    const m = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(readme);
    assert.ok(m, `README.md has the ${name} markers`);
    return m[1];
  };

  it('the README rule table is generated from the current rules (run `node scripts/gen-readme.mjs`)', () => {
    assert.equal(between('rules'), renderRuleTable());
  });

  it('the README crosswalk is generated from the current rules (run `node scripts/gen-readme.mjs`)', () => {
    assert.equal(between('crosswalk'), renderCrosswalk());
  });

  for (const meta of ALL_RULE_METAS) {
    it(`${meta.id} has a docs page with an example that fails and one that passes`, () => {
      const p = path.join(repo, docsPath(meta.id));
      assert.ok(existsSync(p), `${docsPath(meta.id)} exists`);
      const text = readFileSync(p, 'utf8');
      assert.match(text, new RegExp(`^# ${meta.id.replace('/', '\\/')}\\b`, 'm'), 'the page is titled with the rule id');
      if (meta.id.startsWith('opsreview/')) return;
      assert.ok((text.match(/^```/gm) ?? []).length >= 4, 'at least two code examples (failing and passing)');
    });
  }
});
