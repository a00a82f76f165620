import type { Rule } from '../types';

// The terraform rule pack: one module per rule, listed here in the order the README documents them.
export const terraformRules: Rule<any>[] = [];
