import { templated } from '../../parsers/template';
import type { YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { addEntryEdit, ALERT_KINDS, alertRange, alertsOf, mapValue } from './alertUtil';

// The notification is all the responder sees first: without a `summary` (or `description`)
// it shows only the alert name and labels, and the first minutes go to reading the expression.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'alert/summary-missing',
    description: 'An alerting rule has neither a `summary` nor a `description` annotation, so the notification does not say what is wrong.',
    defaultSeverity: 'info',
    practice: 'alert-fatigue',
    kinds: ALERT_KINDS,
    fixable: true,
    equivalents: [{ tool: 'pint', id: 'alerts/annotation' }],
  },
  check(ctx) {
    const found = alertsOf(ctx.parsed, ctx.file);
    if (!found) return [];
    const { yaml, alerts } = found;
    const out: RuleFinding[] = [];
    for (const a of alerts) {
      if (mapValue(a.annotations, 'summary') !== undefined || mapValue(a.annotations, 'description') !== undefined) continue;
      if (templated(yaml.template, yaml.lines, a.annotations)) continue; // an include adds them at render time
      const edit = addEntryEdit(yaml, a, alerts, 'annotations', 'summary', '"TODO: what is wrong and what it affects"');
      out.push({
        range: alertRange(yaml, a),
        message: `Alert '${a.name}' has no \`summary\` or \`description\` annotation: say in one line what is wrong and what it affects.`,
        fixes: edit ? [{ title: 'Add a `summary` annotation', isPreferred: true, edits: [edit] }] : undefined,
      });
    }
    return out;
  },
};
