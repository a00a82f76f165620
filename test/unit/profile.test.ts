import * as assert from 'node:assert/strict';
import { parseConfigText } from '../../src/engine/config/load';
import { effectiveSeverity, inProfile } from '../../src/engine/linter';
import { ALL_RULES } from '../../src/engine/rules';
import type { RuleMeta } from '../../src/engine/rules/types';

// Profiles: a rule marked `profile: 'all'` stays off under the default `recommended` profile
// unless `.opsreview.yml` names it; every other rule keeps its default severity.
describe('rule profiles (profile: recommended | all)', () => {
  const rule = ALL_RULES.find((r) => r.meta.id === 'runbook/review-stale')!;
  const meta = rule.meta as { -readonly [K in keyof RuleMeta]: RuleMeta[K] };
  let saved: RuleMeta['profile'];
  beforeEach(() => {
    saved = meta.profile;
    meta.profile = 'all';
  });
  afterEach(() => {
    meta.profile = saved;
  });

  it('defaults to recommended, which leaves a profile-all rule off', () => {
    const { config, errors } = parseConfigText('');
    assert.deepEqual(errors, []);
    assert.equal(config.profile, 'recommended');
    assert.equal(inProfile(meta.id, config), false);
    assert.equal(effectiveSeverity(meta.id, meta.defaultSeverity, config), 'off');
  });

  it('runs a profile-all rule under profile: all, at its default severity', () => {
    const { config } = parseConfigText('profile: all\n');
    assert.equal(effectiveSeverity(meta.id, meta.defaultSeverity, config), meta.defaultSeverity);
  });

  it('runs a profile-all rule that rules: names, at the severity given', () => {
    const { config } = parseConfigText(`rules:\n  ${meta.id}: error\n`);
    assert.equal(effectiveSeverity(meta.id, meta.defaultSeverity, config), 'error');
  });

  it('keeps recommended rules at their default severity', () => {
    const { config } = parseConfigText('');
    const other = ALL_RULES.find((r) => r.meta.id !== meta.id && r.meta.profile !== 'all')!;
    assert.equal(effectiveSeverity(other.meta.id, other.meta.defaultSeverity, config), other.meta.defaultSeverity);
  });

  it('rejects an unknown profile with a message naming the choices', () => {
    const { errors } = parseConfigText('profile: strict\n');
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /profile/);
    assert.match(errors[0].message, /recommended/);
  });
});

describe('rule profiles: a run that names a rule (--rule)', () => {
  it('runs a profile-all rule the run names, and not one it does not', () => {
    const { config } = parseConfigText('');
    assert.equal(effectiveSeverity('terraform/backend-missing', 'warning', config, ['terraform/backend-missing']), 'warning');
    assert.equal(effectiveSeverity('terraform/backend-missing', 'warning', config, ['terraform/tags-missing']), 'off');
    assert.equal(effectiveSeverity('terraform/backend-missing', 'warning', config), 'off');
  });
  it('does not turn on a rule .opsreview.yml switches off', () => {
    const { config } = parseConfigText('rules:\n  terraform/backend-missing: off\n');
    assert.equal(effectiveSeverity('terraform/backend-missing', 'warning', config, ['terraform/backend-missing']), 'off');
  });
});
