import type { Rule } from '../types';

// The k8s rule pack: one module per rule, listed here in the order the README documents them.
export const k8sRules: Rule<any>[] = [];
