import { matcherMatches, workspaceAlerts } from '../../alerting/route';
import type { AlertmanagerConfig, AlertmanagerFile, AmMatcher } from '../../parsers/alertmanager';
import type { Fix, RuleFinding } from '../../types';
import { isTemplated } from '../alert/alertUtil';
import type { Rule } from '../types';
import { allRoutes, amOf } from './amUtil';

// Aggregate alerts by root cause. Two settings of a configuration decide how many notifications
// one problem sends: the root route's `group_by` (without it every alert lands in one group, so
// each notification mixes unrelated problems and any new alert re-sends the lot), and an inhibit
// rule that mutes the warning while its critical twin fires (without it one problem pages and
// also posts its warning). Judged on plain Alertmanager configurations that notify someone; an
// AlertmanagerConfig resource is merged into an operator-managed configuration that owns both.

/** Severity levels that are notes, not a lower alerting level. */
const NOTE_LEVELS = new Set(['info', 'none', 'informational']);

export const rule: Rule<AlertmanagerFile> = {
  meta: {
    id: 'alertmanager/grouping-missing',
    description: 'The root route has no `group_by`, or no inhibit rule mutes a warning while its critical twin fires.',
    defaultSeverity: 'warning',
    practice: 'alert-fatigue',
    kinds: ['alertmanager-config'],
    fixable: true,
    crossFile: true,
  },
  check(ctx) {
    const am = amOf(ctx.parsed);
    if (!am) return [];
    const label = ctx.config.alerts.severityLabel;
    const critical = ctx.config.alertmanager.criticalSeverities;
    const lower = ctx.config.alerts.allowedSeverities.filter((s) => !critical.includes(s) && !NOTE_LEVELS.has(s.toLowerCase()));
    // Severities in use: the workspace's alert rules, and this configuration's routes.
    const used = new Set<string>();
    for (const { alert } of workspaceAlerts(ctx.index, ctx.config)) {
      const s = alert.labels[label];
      if (s && !isTemplated(s)) used.add(s);
    }
    const out: RuleFinding[] = [];
    for (const config of am.alertmanager) {
      if (config.format !== 'alertmanager' || !config.route) continue;
      if (!config.receivers.some((r) => r.integrations.length)) continue;
      const root = config.route;
      const eol = am.lines.eol;

      // 1. group_by on the root route (children inherit it). A root whose children all set their own is fine.
      const childrenGroup = root.routes.length > 0 && root.routes.every((r) => r.groupBy !== undefined);
      if (root.groupBy === undefined && !childrenGroup) {
        const at = root.range.start;
        const fix: Fix | undefined =
          config.routeKeyRange && at.line > config.routeKeyRange.start.line
            ? { title: "Add group_by: ['alertname', 'cluster', 'service']", isPreferred: true, edits: [{ range: { start: { line: at.line, character: 0 }, end: { line: at.line, character: 0 } }, newText: `${' '.repeat(at.character)}group_by: ['alertname', 'cluster', 'service']${eol}` }] }
            : undefined;
        out.push({
          range: config.routeKeyRange ?? root.range,
          message: `The root route has no \`group_by\`: every alert lands in one group, so each notification mixes unrelated problems and any new alert re-sends the whole batch. Group by the labels that identify one problem, e.g. \`group_by: ['alertname', 'cluster', 'service']\`.`,
          fixes: fix ? [fix] : undefined,
        });
      }

      // 2. An inhibit rule muting the warning twin of a firing critical alert.
      const routed = new Set<string>();
      for (const r of allRoutes(root)) for (const m of r.matchers) if (m.label === label && m.op === '=') routed.add(m.value);
      const inUse = (levels: string[]) => levels.filter((l) => used.has(l) || routed.has(l));
      const crit = inUse(critical);
      const warn = inUse(lower);
      if (!crit.length || !warn.length) continue;
      if (config.inhibitRules.some((r) => accepts(r.source, label, crit) && accepts(r.target, label, warn))) continue;
      const equal = root.groupBy?.length && !root.groupBy.includes('...') ? root.groupBy : ['alertname'];
      const fix = inhibitFix(am, config, label, crit[0], warn[0], equal.includes('alertname') ? equal : ['alertname', ...equal]);
      out.push({
        range: config.inhibitKeyRange ?? config.routeKeyRange ?? config.range,
        severity: 'info',
        message: `No inhibit rule mutes \`${label}: ${warn[0]}\` while the \`${label}: ${crit[0]}\` alert of the same problem fires${config.inhibitRules.length ? ` (the ${config.inhibitRules.length} inhibit rule${config.inhibitRules.length > 1 ? 's' : ''} here match${config.inhibitRules.length > 1 ? '' : 'es'} other alerts)` : ''}, so one problem notifies twice. Add one: \`source_matchers: ['${label}="${crit[0]}"']\`, \`target_matchers: ['${label}="${warn[0]}"']\`, \`equal: [${equal.map((e) => `'${e}'`).join(', ')}]\`.`,
        fixes: fix ? [fix] : undefined,
      });
    }
    return out;
  },
};

/** Do the side's severity matchers (there must be some) accept one of these levels? Other labels narrow the rule but do not change its kind. */
function accepts(side: AmMatcher[], label: string, levels: string[]): boolean {
  const sev = side.filter((m) => m.label === label);
  return sev.length > 0 && levels.some((l) => sev.every((m) => matcherMatches(m, { [label]: l })));
}

/** Appends an `inhibit_rules` list at the end of a top-level configuration that has none. */
function inhibitFix(am: AlertmanagerFile, config: AlertmanagerConfig, label: string, crit: string, warn: string, equal: string[]): Fix | undefined {
  if (config.name !== undefined || config.inhibitKeyRange || am.docs.length !== 1) return undefined;
  const eol = am.lines.eol;
  const text = am.text;
  const lead = text.length === 0 || text.endsWith('\n') ? '' : eol;
  const end = am.lines.positionAt(text.length);
  const body = [
    'inhibit_rules:',
    `  - source_matchers: ['${label}="${crit}"']`,
    `    target_matchers: ['${label}="${warn}"']`,
    `    equal: [${equal.map((e) => `'${e}'`).join(', ')}]`,
  ].join(eol);
  return { title: `Add an inhibit rule: ${crit} mutes ${warn}`, edits: [{ range: { start: end, end }, newText: `${lead}${body}${eol}` }] };
}
