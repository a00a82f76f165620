import { isMap, isScalar } from 'yaml';
import { getPair, nodeRange, YamlFile } from '../../parsers/yaml';
import type { Fix, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { pagesNobody } from './alertPurpose';
import { addEntryEdit, Alert, alertCount, ALERT_KINDS, alertRange, alertsOf, isTemplated, yamlScalar } from './alertUtil';

// Alertmanager routes on the severity label: which alerts page a human at 3am, which open a
// ticket, which only show on a dashboard. An alert without it (or with a value no route
// matches, e.g. `page` when routes expect `critical`) falls through to the default route.
// A repository none of whose alerts has the label is reported once (the convention pass).

/** Values a missing severity defaults to, in order of preference: never page by default. */
const MILD_DEFAULTS = ['warning', 'ticket', 'info', 'low', 'minor', 'none'];

export function defaultSeverity(allowed: readonly string[]): string {
  return MILD_DEFAULTS.find((d) => allowed.includes(d)) ?? allowed[allowed.length - 1] ?? 'warning';
}

export const rule: Rule<YamlFile> = {
  meta: {
    id: 'alert/severity-missing',
    description: 'An alerting rule has no severity label, or one outside the allowed values, so Alertmanager cannot route it by urgency.',
    defaultSeverity: 'warning',
    practice: 'alert-severity-routing',
    kinds: ALERT_KINDS,
    subject: 'alert-rule',
    productionOnly: true,
    fixable: true,
    equivalents: [{ tool: 'pint', id: 'rule/label' }],
    convention: {
      subjects: alertCount,
      noun: 'alerts',
      follows: () => 'carries a severity label',
      adopt: () => 'Give each one (or each group, in its `labels:` with Prometheus 3.0+), name the label your alerts do use in `alerts.severityLabel` of .opsreview.yml, or set `alert/severity-missing: off` under `rules:` there.',
    },
  },
  check(ctx) {
    const found = alertsOf(ctx.parsed, ctx.file);
    if (!found) return [];
    const { yaml, alerts } = found;
    const { severityLabel: label, allowedSeverities: allowed } = ctx.config.alerts;
    const list = allowed.map((s) => `\`${s}\``).join(', ');
    const fallback = defaultSeverity(allowed);
    const addEdit = (a: Alert) => addEntryEdit(yaml, a, alerts, 'labels', label, yamlScalar(fallback));
    // The rule's own label, else its group's (Prometheus 3.0+ group labels).
    const pairOf = (a: Alert) => getPair(a.labels, label) ?? getPair(a.groupLabels, label);
    // A value set on the group is judged once, on the group's label, not once per alert.
    const judgedGroupValues = new Set<unknown>();
    const each = (a: Alert): RuleFinding | undefined => {
      const pair = pairOf(a);
      const fromGroup = !!pair && !getPair(a.labels, label);
      if (fromGroup) {
        if (judgedGroupValues.has(pair)) return undefined;
        judgedGroupValues.add(pair);
      }
      const who = fromGroup ? `Group '${a.group}'` : `Alert '${a.name}'`;
      if (!pair) {
        const edit = addEdit(a);
        return {
          range: alertRange(yaml, a),
          message: `Alert '${a.name}' has no \`${label}\` label: add one of ${list} so Alertmanager routes it by urgency.`,
          fixes: edit ? [{ title: `Add label \`${label}: ${fallback}\``, isPreferred: true, edits: [edit] }] : undefined,
          convention: ['severity'],
        };
      }
      const node = pair.value;
      if (node != null && !isScalar(node)) {
        return { range: nodeRange(yaml, node), message: `${who}: the \`${label}\` label must be one of ${list}, not a ${isMap(node) ? 'map' : 'list'}.` };
      }
      const value = String(node?.value ?? '').trim();
      if (value === '') {
        // `severity:` or `severity: ""`: on the value when it is written, else on the key.
        const written = !!node?.range && node.range[1] > node.range[0];
        return {
          range: written ? nodeRange(yaml, node) : nodeRange(yaml, pair.key),
          message: `${who} has an empty \`${label}\` label: set one of ${list}.`,
          fixes: written ? valueFixes(yaml, node!, allowed, label) : undefined,
        };
      }
      if (allowed.includes(value) || isTemplated(value)) return undefined;
      return {
        range: nodeRange(yaml, node),
        message: `${who} has \`${label}: ${value}\`, which is not an allowed severity (${list}): Alertmanager routes will not match it.`,
        fixes: valueFixes(yaml, node!, allowed, label),
      };
    };
    return alerts.filter((a) => !pagesNobody(a, ctx.file.relPath, label)).map(each).filter((f): f is RuleFinding => !!f);
  },
};

/** Same value in another case: one preferred fix; otherwise one fix per allowed value. */
function valueFixes(yaml: YamlFile, node: Parameters<typeof nodeRange>[1], allowed: readonly string[], label: string): Fix[] | undefined {
  const value = String((node as { value?: unknown }).value ?? '').trim().toLowerCase();
  const range = nodeRange(yaml, node);
  const same = allowed.find((s) => s.toLowerCase() === value);
  const fix = (s: string, isPreferred: boolean): Fix => ({ title: `Set \`${label}: ${s}\``, isPreferred, edits: [{ range, newText: yamlScalar(s) }] });
  if (same) return [fix(same, true)];
  return allowed.length ? allowed.map((s) => fix(s, false)) : undefined;
}
