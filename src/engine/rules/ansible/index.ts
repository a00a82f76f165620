import type { Rule } from '../types';

// The ansible rule pack: one module per rule, listed here in the order the README documents them.
export const ansibleRules: Rule<any>[] = [];
