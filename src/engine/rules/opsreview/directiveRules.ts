import type { RuleMeta } from '../types';

// These rules are raised by the linter itself, not by a check() of their own: they describe
// the engine's findings about suppressions and configuration, so they get ids, docs and
// severities like any rule.

export const unusedSuppression: RuleMeta = {
  id: 'opsreview/unused-suppression',
  description: 'An opsreview-disable comment suppresses nothing: the problem it hid is gone, so the comment should go too.',
  defaultSeverity: 'warning',
  practice: 'valid-configuration',
  kinds: [],
};

export const invalidSuppression: RuleMeta = {
  id: 'opsreview/invalid-suppression',
  description: 'An opsreview-disable comment names no rule or an unknown rule id.',
  defaultSeverity: 'error',
  practice: 'valid-configuration',
  kinds: [],
};

export const ruleFailed: RuleMeta = {
  id: 'opsreview/rule-failed',
  description: 'A rule failed on this file (an OpsReview bug); the other rules still ran.',
  defaultSeverity: 'warning',
  practice: 'valid-configuration',
  kinds: [],
};
