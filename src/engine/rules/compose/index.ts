import type { Rule } from '../types';
import { rule as imageUnpinned } from './imageUnpinned';
import { rule as privileged } from './privileged';
import { rule as secretLiteral } from './secretLiteral';

// The Docker Compose rule pack: one module per rule, listed here in the order the README documents them.
export const composeRules: Rule<any>[] = [imageUnpinned, privileged, secretLiteral];
