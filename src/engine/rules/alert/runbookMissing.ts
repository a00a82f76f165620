import { getPair, nodeRange, YamlFile } from '../../parsers/yaml';
import type { Fix, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { addEntryEdit, ALERT_KINDS, alertRange, alertsOf, mapValue, yamlScalar } from './alertUtil';

// The responder who gets paged needs the next step, not just the symptom. `runbook_url` is the
// annotation Alertmanager templates, Grafana and PagerDuty integrations (and the
// prometheus-operator / kube-prometheus mixins) show as the "Runbook" link, so it is the one
// required here; a `runbook` annotation is not shown by those tools and is reported with a
// rename fix.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'alert/runbook-missing',
    description: 'An alerting rule has no `runbook_url` annotation, so whoever is paged has no documented next step.',
    defaultSeverity: 'warning',
    practice: 'alert-runbooks',
    kinds: ALERT_KINDS,
    productionOnly: true,
    fixable: true,
    equivalents: [{ tool: 'pint', id: 'alerts/annotation' }],
  },
  check(ctx) {
    const found = alertsOf(ctx.parsed, ctx.file);
    if (!found) return [];
    const { yaml, alerts } = found;
    const out: RuleFinding[] = [];
    for (const a of alerts) {
      if (mapValue(a.annotations, 'runbook_url') !== undefined) continue;
      const legacy = getPair(a.annotations, 'runbook');
      if (legacy && mapValue(a.annotations, 'runbook') !== undefined && !getPair(a.annotations, 'runbook_url')) {
        out.push({
          range: alertRange(yaml, a),
          message: `Alert '${a.name}' names its runbook in a \`runbook\` annotation: rename it to \`runbook_url\`, the annotation Alertmanager templates and on-call tools link.`,
          fixes: [{ title: 'Rename the annotation to `runbook_url`', isPreferred: true, edits: [{ range: nodeRange(yaml, legacy.key), newText: 'runbook_url' }] }],
        });
        continue;
      }
      if (getPair(a.annotations, 'runbook_url')) {
        // Written but empty: nothing to add, the value needs filling in.
        out.push({ range: alertRange(yaml, a), message: `Alert '${a.name}' has an empty \`runbook_url\` annotation: link the runbook that says what to do when it fires.` });
        continue;
      }
      const value = placeholder(a.name, ctx.config.alerts.runbookBaseUrl.trim());
      const edit = addEntryEdit(yaml, a, alerts, 'annotations', 'runbook_url', yamlScalar(value));
      const fix: Fix | undefined = edit ? { title: `Add annotation \`runbook_url: ${value}\``, isPreferred: true, edits: [edit] } : undefined;
      out.push({
        range: alertRange(yaml, a),
        message: `Alert '${a.name}' has no \`runbook_url\` annotation: link the runbook that says what to do when it fires.`,
        fixes: fix ? [fix] : undefined,
      });
    }
    return out;
  },
};

/**
 * With `alerts.runbookBaseUrl` set: the runbook this alert would have under the base
 * (`<base><alert-name-in-kebab-case>.md`), which `alert/runbook-broken` then reports until it is
 * written. Without it: a `TODO` the reader cannot miss.
 */
export function placeholder(alertName: string, base: string): string {
  if (!base) return 'TODO: link the runbook';
  const kebab = alertName
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return `${base}${kebab || 'runbook'}.md`;
}
