import type { OpsReviewConfig } from './config/schema';
import { formerIds } from './rules/retired';
import type { Finding } from './types';

// The profile decides what a repository sees without configuring anything. Whole rules carry
// `meta.profile: 'all'` (linter.ts's `inProfile`); single findings carry `profile: 'all'` when
// their evidence is weaker than the rule's other findings: a secret guessed from a key name
// rather than a credential-shaped value, a runbook that does not declare itself a change, a
// convention the repository never adopted. Such findings are reported only when the repository
// asks for them (`profile: all`, or the rule named under `rules:` or by `--rule`).
//
// Checklist evidence reads every finding, hidden ones included: an item about owner labels
// must not pass because no alert has one and the repository-level finding was not reported.

/** Whether `.opsreview.yml` names the rule under `rules:` (by its id or an id it replaced). */
export function namedInConfig(ruleId: string, config: OpsReviewConfig): boolean {
  return config.rules[ruleId] !== undefined || formerIds(ruleId).some((id) => config.rules[id] !== undefined);
}

/** Whether a finding is reported under this config (and the run's `--rule` names). */
export function reportedUnder(f: Finding, config: OpsReviewConfig, only?: readonly string[]): boolean {
  return f.profile !== 'all' || config.profile === 'all' || namedInConfig(f.ruleId, config) || !!only?.includes(f.ruleId);
}

/** The findings reported under this config; the array itself when every one is. */
export function reportedFindings(findings: Finding[], config: OpsReviewConfig, only?: readonly string[]): Finding[] {
  return findings.some((f) => f.profile === 'all') ? findings.filter((f) => reportedUnder(f, config, only)) : findings;
}
