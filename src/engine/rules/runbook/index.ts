import type { Rule } from '../types';
import { rule as escalationMissing } from './escalationMissing';
import { rule as frontmatterInvalid } from './frontmatterInvalid';
import { rule as frontmatterMissing } from './frontmatterMissing';
import { rule as linkBroken } from './linkBroken';
import { rule as placeholder } from './placeholder';
import { rule as reviewStale } from './reviewStale';
import { rule as rollbackEmpty } from './rollbackEmpty';
import { rule as rollbackMissing } from './rollbackMissing';
import { rule as tagsMissing } from './tagsMissing';

// The runbook rule pack: one module per rule, listed here in the order the README documents them.
export const runbookRules: Rule<any>[] = [
  rollbackMissing,
  rollbackEmpty,
  frontmatterMissing,
  tagsMissing,
  reviewStale,
  linkBroken,
  placeholder,
  frontmatterInvalid,
  escalationMissing,
];
