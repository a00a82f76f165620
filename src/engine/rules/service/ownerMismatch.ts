import { SOURCE_LABELS } from '../../services/model';
import { servicesForRules } from '../../services/infer';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';

// One service, one owner: when the runbooks say one team owns a service and its alert labels,
// Kubernetes labels or Terraform tags say another, pages and tickets go to whoever the file at
// hand names. The finding goes on the outlier (the kind whose owner the other kinds do not
// share), names both owners and where each comes from, and offers to align it.
export const rule: Rule = {
  meta: {
    id: 'service/owner-mismatch',
    description: 'The owner a file names for a service differs from the owner the other kinds of files (runbooks, alerts, manifests, Terraform tags, SLOs) agree on.',
    defaultSeverity: 'warning',
    practice: 'runbook-ownership',
    kinds: ['runbook', 'alert-rules', 'k8s-manifest', 'terraform', 'slo-spec'],
    fixable: true,
    crossFile: true,
  },
  check(ctx) {
    // Only files that can name an owner need the model (built once per index generation).
    if (!/owner|team/i.test(ctx.parsed.text)) return [];
    const model = servicesForRules(ctx.index, ctx.config);
    const out: RuleFinding[] = [];
    for (const m of model.mismatches) {
      if (m.claim.path !== ctx.file.path) continue;
      const where = m.expected.source === 'config' ? '.opsreview.yml `services.owners`' : `${m.agreeing.map((k) => SOURCE_LABELS[k]).join(', ')} (e.g. ${m.expected.relPath}:${m.expected.line + 1})`;
      const written = ctx.parsed.text.slice(offsetOf(ctx.parsed.text, m.claim.range.start), offsetOf(ctx.parsed.text, m.claim.range.end));
      const quote = /^["']/.exec(written)?.[0] ?? '';
      out.push({
        range: m.claim.range,
        message: `Service '${m.service}': ${SOURCE_LABELS[m.claim.source]} name owner '${m.claim.owner}', but ${where} name '${m.expected.owner}'. Pages and tickets reach different teams depending on the file: agree on one owner.`,
        fixes: [{ title: `Set the owner to '${m.expected.owner}'`, isPreferred: true, edits: [{ range: m.claim.range, newText: `${quote}${m.expected.owner}${quote}` }] }],
      });
    }
    return out;
  },
};

function offsetOf(text: string, p: { line: number; character: number }): number {
  let off = 0;
  for (let l = 0; l < p.line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  return off + p.character;
}
