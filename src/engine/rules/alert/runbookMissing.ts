import { templated } from '../../parsers/template';
import { getPair, nodeRange, pairRange, YamlFile } from '../../parsers/yaml';
import { looksLikeLink, RUNBOOK_ANNOTATION_CANDIDATES } from '../../conventions/runbookLinks';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { pagesNobody } from './alertPurpose';
import { addEntryEdit, Alert, alertCount, ALERT_KINDS, alertRange, alertsOf, mapValue, yamlScalar } from './alertUtil';

// The responder who gets paged needs the next step, not just the symptom. `runbook_url` is the
// annotation Alertmanager templates, Grafana and PagerDuty integrations (and the
// prometheus-operator / kube-prometheus mixins) show as the "Runbook" link, so it is the one
// required here; a `runbook` annotation is not shown by those tools and is reported with a
// rename fix. A repository whose alerts consistently use another key (`runbook`, `playbook`…)
// has it detected as `alerts.runbookAnnotations` (or configures it), and that key counts.
// A repository none of whose alerts links a runbook is reported once (the convention pass); a
// link put under `labels:` is reported with a message to move it to `annotations:`.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'alert/runbook-missing',
    description: 'An alerting rule has no `runbook_url` annotation, so whoever is paged has no documented next step.',
    defaultSeverity: 'warning',
    profile: 'all',
    practice: 'alert-runbooks',
    kinds: ALERT_KINDS,
    subject: 'alert-rule',
    productionOnly: true,
    fixable: true,
    equivalents: [{ tool: 'pint', id: 'alerts/annotation' }],
    convention: {
      subjects: alertCount,
      noun: 'alerts',
      follows: () => 'links a runbook',
      adopt: () =>
        'Link each alert\'s runbook (with `alerts.runbookBaseUrl` set in .opsreview.yml the fix proposes a path under it), name the annotation your alerts do use in `alerts.runbookAnnotations`, or set `alert/runbook-missing: off` under `rules:` if runbooks are found another way.',
    },
  },
  check(ctx) {
    const found = alertsOf(ctx.parsed, ctx.file);
    if (!found) return [];
    const { yaml, alerts } = found;
    // `alerts.runbookAnnotations` (detected from the repository when not configured): any of
    // them links the runbook; fixes add the first.
    const keys = ctx.config.alerts.runbookAnnotations;
    const primary = keys[0] ?? 'runbook_url';
    const base = ctx.config.alerts.runbookBaseUrl.trim();
    const addEdit = (a: Alert) => addEntryEdit(yaml, a, alerts, 'annotations', primary, yamlScalar(placeholder(a.name, base)));
    const out: RuleFinding[] = [];
    for (const a of alerts) {
      if (keys.some((k) => mapValue(a.annotations, k) !== undefined)) continue;
      // An inhibition source, a heartbeat, a test: nobody is paged by it, nobody reads a runbook.
      if (pagesNobody(a, ctx.file.relPath, ctx.config.alerts.severityLabel)) continue;
      // In a Helm template, annotations an include adds at render time may link it.
      if (templated(yaml.template, yaml.lines, a.annotations)) continue;
      const legacy = keys.includes('runbook') ? undefined : getPair(a.annotations, 'runbook');
      if (legacy && mapValue(a.annotations, 'runbook') !== undefined && !getPair(a.annotations, primary)) {
        out.push({
          range: alertRange(yaml, a),
          message: `Alert '${a.name}' names its runbook in a \`runbook\` annotation: rename it to \`${primary}\`, the annotation ${primary === 'runbook_url' ? 'Alertmanager templates and on-call tools link' : 'this repository\'s alerts use'}.`,
          fixes: [{ title: `Rename the annotation to \`${primary}\``, isPreferred: true, edits: [{ range: nodeRange(yaml, legacy.key), newText: primary }] }],
        });
        continue;
      }
      // A runbook link written under `labels:`: it is there, in the wrong map (labels route and
      // group alerts; notifications and on-call tools show annotations).
      const misplaced = [...new Set([...keys, ...RUNBOOK_ANNOTATION_CANDIDATES])].find((k) => {
        const v = mapValue(a.labels, k);
        return v !== undefined && looksLikeLink(v);
      });
      if (misplaced) {
        const pair = getPair(a.labels, misplaced)!;
        out.push({
          range: pairRange(yaml, pair),
          message: `Alert '${a.name}' puts its runbook link under \`labels:\` (\`${misplaced}\`): move it to \`annotations:\` as \`${primary}\`, where notifications and on-call tools show it (a label also splits the alert's identity and routing).`,
        });
        continue;
      }
      const emptyKey = keys.find((k) => getPair(a.annotations, k));
      // Written but empty: nothing to add, the value needs filling in.
      if (emptyKey) {
        out.push({ range: alertRange(yaml, a), message: `Alert '${a.name}' has an empty \`${emptyKey}\` annotation: link the runbook that says what to do when it fires.` });
        continue;
      }
      const value = placeholder(a.name, base);
      const edit = addEdit(a);
      out.push({
        range: alertRange(yaml, a),
        message: `Alert '${a.name}' has no \`${primary}\` annotation: link the runbook that says what to do when it fires.`,
        fixes: edit ? [{ title: `Add annotation \`${primary}: ${value}\``, isPreferred: true, edits: [edit] }] : undefined,
        convention: ['runbook'],
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
