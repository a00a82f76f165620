import type { Rule } from '../types';
import { rule as burnRateAlertMissing } from './burnRateAlertMissing';
import { rule as objectiveInvalid } from './objectiveInvalid';
import { rule as ownerMissing } from './ownerMissing';

// The SLO rule pack: one module per rule, listed here in the order the README documents them.
export const sloRules: Rule<any>[] = [burnRateAlertMissing, objectiveInvalid, ownerMissing];
