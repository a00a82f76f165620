import type { Rule } from '../types';
import { rule as actionUnpinned } from './actionUnpinned';
import { rule as gateMissing } from './gateMissing';
import { rule as permissionsBroad } from './permissionsBroad';
import { rule as rollbackMissing } from './rollbackMissing';
import { rule as scanMissing } from './scanMissing';

// The deploy rule pack: one module per rule, listed here in the order the README documents them.
export const deployRules: Rule<any>[] = [rollbackMissing, gateMissing, actionUnpinned, scanMissing, permissionsBroad];
