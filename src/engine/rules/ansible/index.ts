import type { Rule } from '../types';
import { rule as changedWhenMissing } from './changedWhenMissing';
import { rule as ignoreErrors } from './ignoreErrors';
import { rule as nameMissing } from './nameMissing';
import { rule as noLogMissing } from './noLogMissing';
import { rule as packageLatest } from './packageLatest';
import { rule as rollbackMissing } from './rollbackMissing';
import { rule as secretPlaintext } from './secretPlaintext';
import { rule as serialMissing } from './serialMissing';

// The ansible rule pack: one module per rule, listed here in the order the README documents them.
export const ansibleRules: Rule<any>[] = [
  rollbackMissing,
  serialMissing,
  nameMissing,
  noLogMissing,
  secretPlaintext,
  packageLatest,
  ignoreErrors,
  changedWhenMissing,
];
