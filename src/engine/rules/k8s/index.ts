import type { Rule } from '../types';
import { rule as imageLatest } from './imageLatest';
import { rule as pdbMissing } from './pdbMissing';
import { rule as privileged } from './privileged';
import { rule as probesMissing } from './probesMissing';
import { rule as resourcesMissing } from './resourcesMissing';
import { rule as secretLiteral } from './secretLiteral';
import { rule as singleReplica } from './singleReplica';

// The k8s rule pack: one module per rule, listed here in the order the README documents them.
export const k8sRules: Rule<any>[] = [imageLatest, probesMissing, resourcesMissing, privileged, secretLiteral, pdbMissing, singleReplica];
