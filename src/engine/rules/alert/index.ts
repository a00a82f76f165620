import type { Rule } from '../types';

// The alert rule pack: one module per rule, listed here in the order the README documents them.
export const alertRules: Rule<any>[] = [];
