import { alertRules } from './alert';
import { ansibleRules } from './ansible';
import { deployRules } from './deploy';
import { k8sRules } from './k8s';
import { runbookRules } from './runbook';
import { terraformRules } from './terraform';
import type { Rule } from './types';

// Every rule OpsReview knows, by pack. Ids are stable: configuration and suppressions name them.
export const ALL_RULES: readonly Rule<any>[] = [
  ...runbookRules,
  ...alertRules,
  ...terraformRules,
  ...ansibleRules,
  ...deployRules,
  ...k8sRules,
];

const byId = new Map(ALL_RULES.map((r) => [r.meta.id, r]));

export function getRule(id: string): Rule<any> | undefined {
  return byId.get(id);
}
