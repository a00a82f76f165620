import type { Rule } from '../types';
import { rule as actionItemOwnerMissing } from './actionItemOwnerMissing';
import { rule as blameLanguage } from './blameLanguage';
import { rule as sectionMissing } from './sectionMissing';

// The postmortem rule pack: one module per rule, listed here in the order the README documents them.
export const postmortemRules: Rule<any>[] = [sectionMissing, actionItemOwnerMissing, blameLanguage];
