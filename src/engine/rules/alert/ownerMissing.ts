import { templated } from '../../parsers/template';
import type { YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { addEntryEdit, alertCount, ALERT_KINDS, alertRange, alertsOf, commonLabelValue, labelValue, yamlScalar } from './alertUtil';

// An alert nobody owns pages whoever is on call for "everything": it gets acknowledged, not
// fixed, and nobody tunes or retires it. An owner/team label routes it (Alertmanager matchers)
// to the people who can act, and says whom to ask when it is noisy. A repository none of whose
// alerts names an owner has made one decision: the convention pass reports it once; an alert
// missing the owner the others name is an exception (one finding on the alert).
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'alert/owner-missing',
    description: 'An alerting rule has no owner or team label, so it cannot be routed to, or tuned by, the people who own it.',
    defaultSeverity: 'warning',
    practice: 'alert-ownership',
    kinds: ALERT_KINDS,
    subject: 'alert-rule',
    productionOnly: true,
    fixable: true,
    equivalents: [{ tool: 'pint', id: 'rule/label' }],
    convention: {
      subjects: alertCount,
      noun: 'alerts',
      follows: () => 'carries an owner or team label',
      adopt: () =>
        'Add one (once per group in its `labels:` with Prometheus 3.0+), name the label your alerts do use in `alerts.ownerLabels` of .opsreview.yml, or set `alert/owner-missing: off` under `rules:` there if alerts are routed another way.',
    },
  },
  check(ctx) {
    const found = alertsOf(ctx.parsed, ctx.file);
    if (!found) return [];
    const { yaml, alerts } = found;
    const keys = ctx.config.alerts.ownerLabels;
    const named = keys.map((k) => `\`${k}\``).join(' or ');
    // In a Helm template, labels an include adds at render time may name the owner.
    const absent = (a: (typeof alerts)[number]) => !keys.some((k) => labelValue(a, k) !== undefined) && !templated(yaml.template, yaml.lines, a.labels);
    // Propose the owner the file's other alerts name; otherwise a placeholder to fill in.
    const proposal = (others: typeof alerts) => {
      const common = commonLabelValue(others, keys);
      return { key: common?.key ?? keys[0] ?? 'owner', value: common?.value ?? 'TODO' };
    };
    const out: RuleFinding[] = [];
    for (const a of alerts) {
      if (!absent(a)) continue;
      const { key, value } = proposal(alerts.filter((o) => o !== a));
      const edit = addEntryEdit(yaml, a, alerts, 'labels', key, yamlScalar(value));
      out.push({
        range: alertRange(yaml, a),
        message: `Alert '${a.name}' has no owner label (${named}): add one so it routes to, and is tuned by, the team that owns it.`,
        fixes: edit ? [{ title: `Add label \`${key}: ${value}\``, isPreferred: true, edits: [edit] }] : undefined,
        convention: ['owner'],
      });
    }
    return out;
  },
};
