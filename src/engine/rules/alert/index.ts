import type { Rule } from '../types';
import { rule as forMissing } from './forMissing';
import { rule as ownerMissing } from './ownerMissing';
import { rule as runbookBroken } from './runbookBroken';
import { rule as runbookMissing } from './runbookMissing';
import { rule as severityMissing } from './severityMissing';
import { rule as summaryMissing } from './summaryMissing';

// The alert rule pack: one module per rule, listed here in the order the README documents them.
export const alertRules: Rule<any>[] = [ownerMissing, severityMissing, runbookMissing, runbookBroken, summaryMissing, forMissing];
