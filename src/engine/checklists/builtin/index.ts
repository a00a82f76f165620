import { postmortem } from './postmortem';
import { productionReadiness } from './productionReadiness';
import { releaseGate } from './releaseGate';
import { security } from './security';

/** The built-in checklists, in the order they are offered. */
export const BUILTIN_CHECKLISTS = [releaseGate, security, productionReadiness, postmortem];
