import type { YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { addEntryEdit, ALERT_KINDS, alertRange, alertsOf, commonLabelValue, mapValue, yamlScalar } from './alertUtil';

// An alert nobody owns pages whoever is on call for "everything": it gets acknowledged, not
// fixed, and nobody tunes or retires it. An owner/team label routes it (Alertmanager matchers)
// to the people who can act, and says whom to ask when it is noisy.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'alert/owner-missing',
    description: 'An alerting rule has no owner or team label, so it cannot be routed to, or tuned by, the people who own it.',
    defaultSeverity: 'warning',
    practice: 'alert-ownership',
    kinds: ALERT_KINDS,
    productionOnly: true,
    fixable: true,
    equivalents: [{ tool: 'pint', id: 'rule/label' }],
  },
  check(ctx) {
    const found = alertsOf(ctx.parsed, ctx.file);
    if (!found) return [];
    const { yaml, alerts } = found;
    const keys = ctx.config.alerts.ownerLabels;
    const out: RuleFinding[] = [];
    for (const a of alerts) {
      if (keys.some((k) => mapValue(a.labels, k) !== undefined)) continue;
      // Propose the owner the file's other alerts name; otherwise a placeholder to fill in.
      const common = commonLabelValue(alerts.filter((o) => o !== a), keys);
      const key = common?.key ?? keys[0] ?? 'owner';
      const value = common?.value ?? 'TODO';
      const edit = addEntryEdit(yaml, a, alerts, 'labels', key, yamlScalar(value));
      out.push({
        range: alertRange(yaml, a),
        message: `Alert '${a.name}' has no owner label (${keys.map((k) => `\`${k}\``).join(' or ')}): add one so it routes to, and is tuned by, the team that owns it.`,
        fixes: edit ? [{ title: `Add label \`${key}: ${value}\``, isPreferred: true, edits: [edit] }] : undefined,
      });
    }
    return out;
  },
};
