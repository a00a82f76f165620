import type { SloFile, SloSpec } from '../../parsers/slo';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { FORMAT_NAMES, sloOf } from './sloUtil';

// An error budget needs someone who decides what happens when it runs out. An SLO without an
// owner or team label cannot be routed, reviewed or negotiated with anyone. A repository none of
// whose SLOs names an owner is reported once (the convention pass), not once per SLO.
export const rule: Rule<SloFile> = {
  meta: {
    id: 'slo/owner-missing',
    description: 'An SLO has no owner or team label, so nobody answers for its error budget.',
    defaultSeverity: 'warning',
    practice: 'slo-error-budget',
    kinds: ['slo-spec'],
    convention: {
      subjects: (ctx) => sloOf(ctx.parsed)?.slos.length ?? 0,
      noun: 'SLOs',
      follows: () => 'names an owner (`owner` or `team` label)',
      adopt: () => 'Add the owner label to each (Sloth: once in the top-level `labels`), name the label your SLOs do use in `slos.ownerLabels` of .opsreview.yml, or set `slo/owner-missing: off` under `rules:` there.',
    },
  },
  check(ctx) {
    const file = sloOf(ctx.parsed);
    if (!file) return [];
    const keys = ctx.config.slos.ownerLabels;
    const owned = (labels: Record<string, string>) => keys.some((k) => (labels[k] ?? '').trim() !== '');
    const missing = file.slos.filter((slo) => !owned(slo.labels));
    const labelNames = keys.map((k) => `\`${k}\``).join(' or ');
    const out: RuleFinding[] = [];
    for (const slo of missing) {
      out.push({ range: slo.range, message: `${FORMAT_NAMES[slo.format]} SLO '${slo.name}' names no owner: add ${labelNames} to ${where(slo.format)}, so someone answers for its error budget.`, convention: ['owner'] });
    }
    return out;
  },
};

/** Where a format keeps the labels an owner goes in. */
function where(format: SloSpec['format']): string {
  return format === 'sloth' ? 'the top-level `labels` (or the SLO\'s)' : format === 'sloth-crd' ? '`spec.labels` (or the SLO\'s)' : '`metadata.labels`';
}
