import * as path from 'node:path';
import type { SloFile, SloSpec } from '../../parsers/slo';
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
    crossFile: true,
  },
  check(ctx) {
    const file = sloOf(ctx.parsed);
    if (!file) return [];
    const keys = ctx.config.slos.ownerLabels;
    const owned = (labels: Record<string, string>) => keys.some((k) => (labels[k] ?? '').trim() !== '');
    const missing = file.slos.filter((slo) => !owned(slo.labels));
    const labelNames = keys.map((k) => `\`${k}\``).join(' or ');
    // One cause, one finding: a folder or file where no SLO names an owner has not adopted the
    // label yet (tool examples, a team's first SLOs); where some do, each other SLO is an exception.
    if (missing.length > 0 && missing.length === file.slos.length) {
      const folder = ctx.index.inDir(path.posix.dirname(ctx.file.path)).filter((f) => f.kind === 'slo-spec').map((f) => ({ f, slos: sloOf(f.parsed)?.slos ?? [] })).filter((x) => x.slos.length > 0);
      if (folder.length > 1 && folder.every((x) => x.slos.every((slo) => !owned(slo.labels)))) {
        // Reported on the folder's first SLO file only; the others are the same cause.
        if (folder[0].f.path !== ctx.file.path) return [];
        const total = folder.reduce((n, x) => n + x.slos.length, 0);
        return [{ range: missing[0].range, message: `None of the ${total} SLOs in the ${folder.length} SLO files of this folder names an owner: add ${labelNames} to ${where(missing[0].format)} of each, so someone answers for each error budget.` }];
      }
    }
    if (missing.length > 1 && missing.length === file.slos.length) {
      const names = missing.slice(0, 3).map((s) => `'${s.name}'`).join(', ') + (missing.length > 3 ? ` and ${missing.length - 3} more` : '');
      return [{ range: missing[0].range, message: `None of the ${missing.length} SLOs of this file names an owner (${names}): add ${labelNames} to ${where(missing[0].format)}${missing[0].format === 'sloth' || missing[0].format === 'sloth-crd' ? '' : ' of each'}, so someone answers for each error budget.` }];
    }
    const out: RuleFinding[] = [];
    for (const slo of missing) {
      out.push({ range: slo.range, message: `${FORMAT_NAMES[slo.format]} SLO '${slo.name}' names no owner: add ${labelNames} to ${where(slo.format)}.` });
    }
    return out;
  },
};

/** Where a format keeps the labels an owner goes in. */
function where(format: SloSpec['format']): string {
  return format === 'sloth' ? 'the top-level `labels` (or the SLO\'s)' : format === 'sloth-crd' ? '`spec.labels` (or the SLO\'s)' : '`metadata.labels`';
}
