import { templated } from '../../parsers/template';
import type { YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { alertPurpose } from './alertPurpose';
import { addEntryEdit, alertCount, ALERT_KINDS, alertRange, alertsOf, mapValue } from './alertUtil';

// The notification is all the responder sees first: without a `summary` (or `description`)
// it shows only the alert name and labels, and the first minutes go to reading the expression.
// A one-line `title` (Grafana and some Alertmanager templates show it) or `message` annotation
// (older monitoring mixins) counts too.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'alert/summary-missing',
    description: 'An alerting rule has no `summary` or `description` annotation (nor a one-line `title` or `message`), so the notification does not say what is wrong.',
    defaultSeverity: 'info',
    practice: 'alert-fatigue',
    kinds: ALERT_KINDS,
    productionOnly: true,
    fixable: true,
    equivalents: [{ tool: 'pint', id: 'alerts/annotation' }],
    convention: {
      subjects: alertCount,
      noun: 'alerts',
      follows: () => 'has a `summary`, `description`, `title` or `message` annotation',
      adopt: () => 'Add a one-line `summary` to each, or set `alert/summary-missing: off` under `rules:` in .opsreview.yml if the notification templates say what is wrong another way.',
    },
  },
  check(ctx) {
    const found = alertsOf(ctx.parsed, ctx.file);
    if (!found) return [];
    const { yaml, alerts } = found;
    const out: RuleFinding[] = [];
    for (const a of alerts) {
      if (SUMMARY_KEYS.some((k) => mapValue(a.annotations, k) !== undefined) || ONE_LINE_KEYS.some((k) => oneLine(mapValue(a.annotations, k)))) continue;
      if (templated(yaml.template, yaml.lines, a.annotations)) continue; // an include adds them at render time
      // No notification anyone reads (a rule on test data is an example: still checked, it is copied with the rule).
      if (!['pages', 'test-data'].includes(alertPurpose(a, ctx.file.relPath, ctx.config.alerts.severityLabel))) continue;
      const edit = addEntryEdit(yaml, a, alerts, 'annotations', 'summary', '"TODO: what is wrong and what it affects"');
      out.push({
        range: alertRange(yaml, a),
        message: `Alert '${a.name}' has no \`summary\`, \`description\` or \`title\` annotation: say in one line what is wrong and what it affects.`,
        fixes: edit ? [{ title: 'Add a `summary` annotation', isPreferred: true, edits: [edit] }] : undefined,
        convention: ['summary'],
      });
    }
    return out;
  },
};

const SUMMARY_KEYS = ['summary', 'description'];
/** `title` (Grafana, some templates) and `message` (older kubernetes-mixin alerts): a summary when one line. */
const ONE_LINE_KEYS = ['title', 'message'];

function oneLine(v: string | undefined): boolean {
  return v !== undefined && !v.includes('\n');
}
