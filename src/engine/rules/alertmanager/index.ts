import type { Rule } from '../types';
import { rule as criticalNotPaging } from './criticalNotPaging';
import { rule as groupingMissing } from './groupingMissing';
import { rule as receiverMissing } from './receiverMissing';
import { rule as severityUnrouted } from './severityUnrouted';

// The Alertmanager rule pack: one module per rule, listed here in the order the README documents them.
export const alertmanagerRules: Rule<any>[] = [severityUnrouted, receiverMissing, criticalNotPaging, groupingMissing];
