import * as assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine';
import { lintFile } from '../../src/engine/linter';
import { ALL_RULES } from '../../src/engine/rules';
import type { Rule } from '../../src/engine/rules/types';
import { writeWorkspace } from './helpers';

// These tests use a rule of their own, registered for the duration of the test, so they
// exercise the linter's mechanics (severity, suppression, isolation) independent of any pack.
const probe: Rule = {
  meta: { id: 'runbook/placeholder', description: 'probe', defaultSeverity: 'info', practice: 'runbook-maintenance', kinds: ['runbook'] },
  check(ctx) {
    const out = [];
    for (let n = 0; n < ctx.parsed.lines.lineCount; n++) {
      const i = ctx.parsed.lines.line(n).indexOf('TODO');
      if (i >= 0) out.push({ range: { start: { line: n, character: i }, end: { line: n, character: i + 4 } }, message: 'TODO left' });
    }
    return out;
  },
};
const thrower: Rule = {
  meta: { id: 'runbook/rollback-empty', description: 'throws', defaultSeverity: 'warning', practice: 'rollback-plan', kinds: ['runbook'] },
  check() {
    throw new Error('boom');
  },
};

describe('linter', () => {
  const rules = ALL_RULES as Rule[];
  let saved: Rule[];
  beforeEach(() => {
    saved = rules.splice(0, rules.length, probe, thrower);
  });
  afterEach(() => {
    rules.splice(0, rules.length, ...saved);
  });

  // `profile: all`: runbook/placeholder, the rule these tests suppress and switch off, is
  // outside the default profile (off there unless named).
  async function lint(text: string, config?: object) {
    const root = await writeWorkspace({ 'runbooks/r.md': text }, { profile: 'all', ...config });
    const engine = await Engine.create(root);
    const file = engine.index.get('runbooks/r.md')!;
    return lintFile(file, engine.index, engine.config);
  }

  it('runs rules, isolates a throwing rule and applies configured severities', async () => {
    const f = await lint('# R\n- TODO one\n', { rules: { 'runbook/placeholder': 'error' } });
    assert.deepEqual(f.map((x) => [x.ruleId, x.severity, x.range.start.line]), [
      ['opsreview/rule-failed', 'warning', 0],
      ['runbook/placeholder', 'error', 1],
    ]);
    assert.match(f[0].message, /runbook\/rollback-empty failed.*boom/);
  });

  it('switches rules off', async () => {
    const f = await lint('# R\n- TODO\n', { rules: { 'runbook/placeholder': 'off', 'runbook/rollback-empty': 'off' } });
    assert.deepEqual(f, []);
  });

  it('honours next-line, same-line and file suppressions', async () => {
    const text = ['# R', '<!-- opsreview-disable-next-line runbook/placeholder -->', '- TODO a', '- TODO b <!-- opsreview-disable-line runbook/placeholder -->', '- TODO c'].join('\n');
    const f = (await lint(text, { rules: { 'runbook/rollback-empty': 'off' } })).filter((x) => x.ruleId === 'runbook/placeholder');
    assert.deepEqual(f.map((x) => x.range.start.line), [4]);
    const whole = await lint('<!-- opsreview-disable runbook/placeholder -->\n# R\n- TODO\n- TODO\n', { rules: { 'runbook/rollback-empty': 'off' } });
    assert.deepEqual(whole, []);
  });

  it('reports unused, unknown and id-less suppressions', async () => {
    const text = ['# R', '<!-- opsreview-disable-next-line runbook/placeholder -->', '- fine', '<!-- opsreview-disable-next-line runbook/no-such-rule -->', '- fine', '<!-- opsreview-disable-next-line -->', '- fine'].join('\n');
    const f = await lint(text, { rules: { 'runbook/rollback-empty': 'off' } });
    assert.deepEqual(f.map((x) => [x.ruleId, x.range.start.line, x.range.start.character]), [
      ['opsreview/unused-suppression', 1, 33],
      ['opsreview/invalid-suppression', 3, 33],
      ['opsreview/invalid-suppression', 5, 0],
    ]);
    assert.match(f[1].message, /Unknown rule 'runbook\/no-such-rule'/);
  });
});
