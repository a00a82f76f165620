import { templated } from '../../parsers/template';
import { getPair, nodeRange, YamlFile } from '../../parsers/yaml';
import type { Fix, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { addEntryEdit, Alert, ALERT_KINDS, alertRange, alertsOf, everyAlertEdits, findingsByGroup, groupRange, mapValue, someNames, yamlScalar } from './alertUtil';

// The responder who gets paged needs the next step, not just the symptom. `runbook_url` is the
// annotation Alertmanager templates, Grafana and PagerDuty integrations (and the
// prometheus-operator / kube-prometheus mixins) show as the "Runbook" link, so it is the one
// required here; a `runbook` annotation is not shown by those tools and is reported with a
// rename fix. A repository whose alerts consistently use another key (`runbook`, `playbook`…)
// has it detected as `alerts.runbookAnnotations` (or configures it), and that key counts.
// A group none of whose alerts links a runbook is reported once, on the group.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'alert/runbook-missing',
    description: 'An alerting rule has no `runbook_url` annotation, so whoever is paged has no documented next step.',
    defaultSeverity: 'warning',
    practice: 'alert-runbooks',
    kinds: ALERT_KINDS,
    subject: 'alert-rule',
    productionOnly: true,
    fixable: true,
    equivalents: [{ tool: 'pint', id: 'alerts/annotation' }],
  },
  check(ctx) {
    const found = alertsOf(ctx.parsed, ctx.file);
    if (!found) return [];
    const { yaml, alerts, groups } = found;
    // `alerts.runbookAnnotations` (detected from the repository when not configured): any of
    // them links the runbook; fixes add the first.
    const keys = ctx.config.alerts.runbookAnnotations;
    const primary = keys[0] ?? 'runbook_url';
    const base = ctx.config.alerts.runbookBaseUrl.trim();
    const addEdit = (a: Alert) => addEntryEdit(yaml, a, alerts, 'annotations', primary, yamlScalar(placeholder(a.name, base)));
    // No runbook annotation at all (not even an empty one or a `runbook` to rename).
    // (In a Helm template, annotations an include adds at render time may link it.)
    const absent = (a: Alert) => !keys.some((k) => getPair(a.annotations, k)) && !getPair(a.annotations, 'runbook') && !templated(yaml.template, yaml.lines, a.annotations);
    return findingsByGroup(
      yaml,
      groups,
      rule.meta.id,
      absent,
      (a): RuleFinding | undefined => {
        if (keys.some((k) => mapValue(a.annotations, k) !== undefined) || templated(yaml.template, yaml.lines, a.annotations)) return undefined;
        const legacy = keys.includes('runbook') ? undefined : getPair(a.annotations, 'runbook');
        if (legacy && mapValue(a.annotations, 'runbook') !== undefined && !getPair(a.annotations, primary)) {
          return {
            range: alertRange(yaml, a),
            message: `Alert '${a.name}' names its runbook in a \`runbook\` annotation: rename it to \`${primary}\`, the annotation ${primary === 'runbook_url' ? 'Alertmanager templates and on-call tools link' : 'this repository\'s alerts use'}.`,
            fixes: [{ title: `Rename the annotation to \`${primary}\``, isPreferred: true, edits: [{ range: nodeRange(yaml, legacy.key), newText: primary }] }],
          };
        }
        const emptyKey = keys.find((k) => getPair(a.annotations, k));
        // Written but empty: nothing to add, the value needs filling in.
        if (emptyKey) return { range: alertRange(yaml, a), message: `Alert '${a.name}' has an empty \`${emptyKey}\` annotation: link the runbook that says what to do when it fires.` };
        const value = placeholder(a.name, base);
        const edit = addEdit(a);
        const fix: Fix | undefined = edit ? { title: `Add annotation \`${primary}: ${value}\``, isPreferred: true, edits: [edit] } : undefined;
        return {
          range: alertRange(yaml, a),
          message: `Alert '${a.name}' has no \`${primary}\` annotation: link the runbook that says what to do when it fires.`,
          fixes: fix ? [fix] : undefined,
        };
      },
      (g, missing) => {
        const edits = everyAlertEdits(missing, addEdit);
        const what = base ? `its runbook under \`${base}\`` : 'a placeholder';
        return {
          range: groupRange(yaml, g),
          message: `None of the ${missing.length} alerts of group '${g.name}' has a \`${primary}\` annotation: ${someNames(missing)}. Link each one's runbook, so whoever is paged has the next step.`,
          fixes: edits ? [{ title: `Add \`${primary}\` (${what}) to the ${missing.length} alerts of group '${g.name}'`, isPreferred: true, edits }] : undefined,
        };
      },
    );
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
