import type { Rule } from '../types';
import { rule as configInvalid } from './configInvalid';
import { invalidSuppression, ruleFailed, unusedSuppression } from './directiveRules';
import { fileSkipped } from './fileSkipped';
import { rule as parseError } from './parseError';

export const opsreviewRules: Rule<any>[] = [parseError, configInvalid];

/** Findings the engine raises itself; listed so docs, SARIF and configuration know them. */
export const ENGINE_RULE_METAS = [invalidSuppression, unusedSuppression, ruleFailed, fileSkipped];
export { fileSkipped, invalidSuppression, ruleFailed, unusedSuppression };
