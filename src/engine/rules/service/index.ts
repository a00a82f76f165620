import type { Rule } from '../types';
import { rule as ownerMismatch } from './ownerMismatch';

// The service rule pack: rules over the service model (services/), which joins every kind of file.
export const serviceRules: Rule<any>[] = [ownerMismatch];
