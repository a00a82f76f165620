import { templated } from '../../parsers/template';
import type { YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { addEntryEdit, ALERT_KINDS, alertRange, alertsOf, commonLabelValue, everyAlertEdits, findingsByGroup, groupRange, labelValue, someNames, yamlScalar } from './alertUtil';

// An alert nobody owns pages whoever is on call for "everything": it gets acknowledged, not
// fixed, and nobody tunes or retires it. An owner/team label routes it (Alertmanager matchers)
// to the people who can act, and says whom to ask when it is noisy. A group none of whose
// alerts names an owner is one decision (one finding on the group); an alert missing the
// owner its group's other alerts name is an exception (one finding on the alert).
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
  },
  check(ctx) {
    const found = alertsOf(ctx.parsed, ctx.file);
    if (!found) return [];
    const { yaml, alerts, groups } = found;
    const keys = ctx.config.alerts.ownerLabels;
    const named = keys.map((k) => `\`${k}\``).join(' or ');
    // In a Helm template, labels an include adds at render time may name the owner.
    const absent = (a: (typeof alerts)[number]) => !keys.some((k) => labelValue(a, k) !== undefined) && !templated(yaml.template, yaml.lines, a.labels);
    // Propose the owner the file's other alerts name; otherwise a placeholder to fill in.
    const proposal = (others: typeof alerts) => {
      const common = commonLabelValue(others, keys);
      return { key: common?.key ?? keys[0] ?? 'owner', value: common?.value ?? 'TODO' };
    };
    return findingsByGroup(
      yaml,
      groups,
      rule.meta.id,
      absent,
      (a): RuleFinding | undefined => {
        if (!absent(a)) return undefined;
        const { key, value } = proposal(alerts.filter((o) => o !== a));
        const edit = addEntryEdit(yaml, a, alerts, 'labels', key, yamlScalar(value));
        return {
          range: alertRange(yaml, a),
          message: `Alert '${a.name}' has no owner label (${named}): add one so it routes to, and is tuned by, the team that owns it.`,
          fixes: edit ? [{ title: `Add label \`${key}: ${value}\``, isPreferred: true, edits: [edit] }] : undefined,
        };
      },
      (g, missing) => {
        const { key, value } = proposal(alerts.filter((o) => !g.alerts.includes(o)));
        const edits = everyAlertEdits(missing, (a) => addEntryEdit(yaml, a, alerts, 'labels', key, yamlScalar(value)));
        return {
          range: groupRange(yaml, g),
          message: `None of the ${missing.length} alerts of group '${g.name}' has an owner label (${named}): ${someNames(missing)}. Add one to each (or once in the group's \`labels:\`, Prometheus 3.0+) so they route to, and are tuned by, the team that owns them.`,
          fixes: edits ? [{ title: `Add label \`${key}: ${value}\` to the ${missing.length} alerts of group '${g.name}'`, isPreferred: true, edits }] : undefined,
        };
      },
    );
  },
};
