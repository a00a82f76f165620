import type { Rule } from '../types';

// The runbook rule pack: one module per rule, listed here in the order the README documents them.
export const runbookRules: Rule<any>[] = [];
