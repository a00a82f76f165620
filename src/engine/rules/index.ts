import { alertRules } from './alert';
import { alertmanagerRules } from './alertmanager';
import { ansibleRules } from './ansible';
import { deployRules } from './deploy';
import { k8sRules } from './k8s';
import { composeRules } from './compose';
import { ENGINE_RULE_METAS, opsreviewRules } from './opsreview';
import { postmortemRules } from './postmortem';
import { runbookRules } from './runbook';
import { serviceRules } from './service';
import { sloRules } from './slo';
import { terraformRules } from './terraform';
import type { Rule, RuleMeta } from './types';

// Every rule OpsReview knows, by pack. Ids are stable: configuration and suppressions name them.
export const ALL_RULES: readonly Rule<any>[] = [
  ...opsreviewRules,
  ...runbookRules,
  ...alertRules,
  ...alertmanagerRules,
  ...sloRules,
  ...postmortemRules,
  ...terraformRules,
  ...ansibleRules,
  ...deployRules,
  ...k8sRules,
  ...composeRules,
  ...serviceRules,
];

const byId = new Map(ALL_RULES.map((r) => [r.meta.id, r]));

/** Meta of every rule id the engine can report, including its own (suppressions, config). */
export const ALL_RULE_METAS: readonly RuleMeta[] = [...ALL_RULES.map((r) => r.meta), ...ENGINE_RULE_METAS];
const metaById = new Map(ALL_RULE_METAS.map((m) => [m.id, m]));

export function getRuleMeta(id: string): RuleMeta | undefined {
  return metaById.get(id);
}

export function getRule(id: string): Rule<any> | undefined {
  return byId.get(id);
}
