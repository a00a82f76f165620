import type { Rule } from '../types';

// The deploy rule pack: one module per rule, listed here in the order the README documents them.
export const deployRules: Rule<any>[] = [];
