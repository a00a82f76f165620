import type { SloFile, SloSpec } from '../../parsers/slo';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { FORMAT_NAMES, sloOf } from './sloUtil';

// An SLO earns its keep through its error budget: someone must hear when the budget burns too
// fast. Multi-window burn-rate alerts are the standard way, and every SLO tool generates them,
// unless the SLO switches them off: Sloth with no `alerting` block or with both its page and
// ticket alert disabled, OpenSLO with no `alertPolicies` (or naming one defined nowhere in the
// workspace), Pyrra with `alerting.disabled: true` or `alerting.burnrates: false`.
export const rule: Rule<SloFile> = {
  meta: {
    id: 'slo/burn-rate-alert-missing',
    description: 'An SLO has no burn-rate alerting (disabled, absent, or an OpenSLO alert policy defined nowhere), so nobody hears when its error budget burns.',
    defaultSeverity: 'warning',
    practice: 'slo-error-budget',
    kinds: ['slo-spec'],
    crossFile: true,
  },
  check(ctx) {
    const file = sloOf(ctx.parsed);
    if (!file) return [];
    const out: RuleFinding[] = [];
    let known: Set<string> | undefined;
    for (const slo of file.slos) {
      if (slo.alerting.state !== 'enabled') {
        out.push({ range: slo.alerting.range, message: `${FORMAT_NAMES[slo.format]} SLO '${slo.name}' ${slo.alerting.detail}: nobody is alerted when its error budget burns. ${HOW[slo.format]}` });
        continue;
      }
      if (slo.format !== 'openslo') continue;
      known ??= policiesInWorkspace(ctx.index.byKind('slo-spec').map((f) => (f.path === ctx.file.path ? file : sloOf(f.parsed))));
      const refs = (slo.alertPolicies ?? []).filter((p) => !p.inline);
      if (refs.length && refs.every((p) => !known!.has(p.name)) && !(slo.alertPolicies ?? []).some((p) => p.inline)) {
        for (const p of refs) out.push({ range: p.range, message: `OpenSLO SLO '${slo.name}' names alert policy '${p.name}', which no AlertPolicy of the workspace defines: the SLO has no burn-rate alerting until it exists.` });
      }
    }
    return out;
  },
};

function policiesInWorkspace(files: (SloFile | undefined)[]): Set<string> {
  return new Set(files.flatMap((f) => f?.alertPolicies.map((p) => p.name) ?? []));
}

const HOW: Record<SloSpec['format'], string> = {
  sloth: 'Add `alerting:` with a `name` and enabled `page_alert`/`ticket_alert`, so Sloth generates multi-window burn-rate alerts.',
  'sloth-crd': 'Add `alerting:` with a `name` and enabled `pageAlert`/`ticketAlert`, so Sloth generates multi-window burn-rate alerts.',
  openslo: 'Add `alertPolicies:` naming an AlertPolicy with a burn-rate condition.',
  pyrra: 'Remove the setting: Pyrra generates multi-window burn-rate alerts by default.',
};
