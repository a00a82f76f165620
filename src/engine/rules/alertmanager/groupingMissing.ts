import { matcherMatches, workspaceAlerts, type WorkspaceAlert } from '../../alerting/route';
import type { IndexedFile } from '../../model';
import type { AlertmanagerConfig, AlertmanagerFile, AmMatcher } from '../../parsers/alertmanager';
import { extractAlerts, prometheusRuleView } from '../../parsers/alerts';
import { nodeRange, stringValue, yamlOf } from '../../parsers/yaml';
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
    profile: 'all',
    practice: 'alert-fatigue',
    kinds: ['alertmanager-config'],
    productionOnly: true,
    fixable: true,
    crossFile: true,
  },
  check(ctx) {
    const am = amOf(ctx.parsed);
    if (!am) return [];
    const label = ctx.config.alerts.severityLabel;
    const critical = ctx.config.alertmanager.criticalSeverities;
    const lower = ctx.config.alerts.allowedSeverities.filter((s) => !critical.includes(s) && !NOTE_LEVELS.has(s.toLowerCase()));
    const alerts = workspaceAlerts(ctx.index, ctx.config).filter(({ alert }) => alert.labels[label] && !isTemplated(alert.labels[label]));
    const twin = findTwins(alerts, label, critical, lower);
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

      // 2. An inhibit rule muting the warning twin of a firing critical alert, judged when the
      // workspace has such twins: a critical and a lower alert on the same signal.
      if (!twin) continue;
      const crit = critical.filter((c) => alerts.some(({ alert }) => alert.labels[label] === c));
      const warn = lower.filter((w) => alerts.some(({ alert }) => alert.labels[label] === w));
      if (config.inhibitRules.some((r) => accepts(r.source, label, crit) && accepts(r.target, label, warn))) continue;
      // `equal:` is where they fire (the grouping labels); alertname only when the twins share their name.
      const sameName = twin.critical.name === twin.warning.name;
      const equal = (root.groupBy ?? []).filter((l) => l !== '...' && (sameName || l !== 'alertname'));
      const fix = inhibitFix(am, config, label, twin.critical.labels[label], twin.warning.labels[label], equal);
      out.push({
        range: config.inhibitKeyRange ?? config.routeKeyRange ?? config.range,
        severity: 'info',
        message: `No inhibit rule mutes \`${label}: ${twin.warning.labels[label]}\` alerts while their \`${label}: ${twin.critical.labels[label]}\` twin fires (e.g. '${twin.warning.name}' and '${twin.critical.name}' watch the same signal)${config.inhibitRules.length ? ` (the ${config.inhibitRules.length} inhibit rule${config.inhibitRules.length > 1 ? 's' : ''} here match${config.inhibitRules.length > 1 ? '' : 'es'} other alerts)` : ''}, so one problem notifies twice. Add one: \`source_matchers: ['${label}="${twin.critical.labels[label]}"']\`, \`target_matchers: ['${label}="${twin.warning.labels[label]}"']\`${equal.length ? `, \`equal: [${equal.map((e) => `'${e}'`).join(', ')}]\`` : ' and `equal:` the labels that say where it fires (cluster, namespace, instance)'}.`,
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
    ...(equal.length ? [`    equal: [${equal.map((e) => `'${e}'`).join(', ')}]`] : []),
  ].join(eol);
  return { title: `Add an inhibit rule: ${crit} mutes ${warn}`, edits: [{ range: { start: end, end }, newText: `${lead}${body}${eol}` }] };
}

/** Severity-like words dropped from alert names before comparing them (`HighCpuWarning` / `HighCpuCritical`). */
const LEVEL_WORDS = new Set(['critical', 'crit', 'warning', 'warn', 'page', 'ticket', 'info', 'major', 'minor', 'error', 'sev', 'severe']);

function nameKey(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t && !LEVEL_WORDS.has(t) && !/^(s|sev|p)[0-9]$/.test(t))
    .join(' ');
}

/** The expression with its numbers blanked: `disk_free < 0.05` and `disk_free < 0.2` watch the same signal. */
function exprKey(expr: string | undefined): string {
  return (expr ?? '').replace(/\s+/g, '').replace(/[0-9]+(\.[0-9]+)?/g, '#');
}

/** A critical alert and a lower-level alert on the same signal (same name but for level words, or the same expression but for thresholds). */
function findTwins(alerts: WorkspaceAlert[], label: string, critical: string[], lower: string[]): { critical: WorkspaceAlert['alert']; warning: WorkspaceAlert['alert'] } | undefined {
  const exprs = exprsOf([...new Set(alerts.map((a) => a.file))]);
  const keyed = alerts.map(({ file, alert }) => ({ alert, name: nameKey(alert.name), expr: exprKey(exprs.get(`${file.path}:${alert.line}`)) }));
  const crit = keyed.filter((k) => critical.includes(k.alert.labels[label]));
  const warn = keyed.filter((k) => lower.includes(k.alert.labels[label]));
  for (const c of crit) {
    const w = warn.find((x) => (c.name && x.name === c.name) || (c.expr && x.expr === c.expr));
    if (w) return { critical: c.alert, warning: w.alert };
  }
  return undefined;
}

/** `path:line` of each alert name -> its expression text. */
function exprsOf(files: IndexedFile[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    const y = yamlOf(f.parsed);
    const view = y && (f.kind === 'k8s-manifest' ? prometheusRuleView(y) : y);
    if (!view) continue;
    for (const a of extractAlerts(view)) {
      const e = stringValue(a.expr);
      if (e) out.set(`${f.path}:${nodeRange(view, a.nameNode).start.line}`, e);
    }
  }
  return out;
}
