import * as assert from 'node:assert/strict';
import { classifyWithReason } from '../../src/engine/classify';
import { defaultConfig } from '../../src/engine/config/schema';
import { loadFixture } from './fixtureFiles';
import { lintFixture } from './helpers';

// Issue 15, round 3 held-out half (r3-docs): classes of noise found there, each with a look-alike.

describe('r3-docs: files written for coding assistants are not runbooks', () => {
  it('indexes none of the agents, prompts, skills, rules and instructions, and says why; the same text under docs/runbooks is a runbook', async () => {
    const files = loadFixture('assistant-files');
    const res = await lintFixture(files);
    const kinds = Object.fromEntries([...res.engine.index.files()].map((f) => [f.relPath, f.kind]));
    assert.deepEqual(Object.keys(kinds).sort(), ['docs/runbooks/skill/SKILL.md', 'docs/runbooks/terraform-upgrade.md']);
    assert.ok(res.findings.some((f) => f.path.endsWith('docs/runbooks/terraform-upgrade.md') && f.ruleId === 'runbook/placeholder'));
    assert.deepEqual(res.findings.filter((f) => !f.path.includes('/docs/runbooks/')).map((f) => `${f.path} ${f.ruleId}`), []);
    const hints = { linked: new Map<string, string>(), alertNames: new Map<string, string>(), shape: true };
    for (const p of Object.keys(files).filter((p) => !p.startsWith('docs/'))) {
      const c = classifyWithReason(p, files[p], defaultConfig(), hints);
      assert.equal(c.code, 'assistant-file', p);
      assert.match(c.reason, /coding assistant/, p);
    }
  });
});
