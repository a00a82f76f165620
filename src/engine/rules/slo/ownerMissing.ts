import type { SloFile } from '../../parsers/slo';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { FORMAT_NAMES, sloOf } from './sloUtil';

// An error budget needs someone who decides what happens when it runs out. An SLO without an
// owner or team label cannot be routed, reviewed or negotiated with anyone.
export const rule: Rule<SloFile> = {
  meta: {
    id: 'slo/owner-missing',
    description: 'An SLO has no owner or team label, so nobody answers for its error budget.',
    defaultSeverity: 'warning',
    practice: 'slo-error-budget',
    kinds: ['slo-spec'],
  },
  check(ctx) {
    const file = sloOf(ctx.parsed);
    if (!file) return [];
    const keys = ctx.config.slos.ownerLabels;
    const out: RuleFinding[] = [];
    for (const slo of file.slos) {
      if (keys.some((k) => (slo.labels[k] ?? '').trim() !== '')) continue;
      const where = slo.format === 'sloth' ? 'the top-level `labels` (or the SLO\'s)' : slo.format === 'sloth-crd' ? '`spec.labels` (or the SLO\'s)' : '`metadata.labels`';
      out.push({ range: slo.range, message: `${FORMAT_NAMES[slo.format]} SLO '${slo.name}' names no owner: add ${keys.map((k) => `\`${k}\``).join(' or ')} to ${where}.` });
    }
    return out;
  },
};
