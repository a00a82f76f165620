import { alertLabels, routeAlert, workspaceAlerts } from '../../alerting/route';
import type { AlertmanagerFile } from '../../parsers/alertmanager';
import type { RuleFinding } from '../../types';
import { isTemplated } from '../alert/alertUtil';
import type { Rule } from '../types';
import { allRoutes, amOf, listNames } from './amUtil';

// Severity routing only works if every severity the alert rules use has a route. An alert whose
// severity no route matches falls through to the root route's receiver: often a catch-all chat
// channel, so a new `severity: page` alert pages nobody. Each Alertmanager configuration of the
// workspace is judged on its own, against every alert rule of the workspace; a configuration that
// does not route on the severity label at all is not judged (it routes by something else).
export const rule: Rule<AlertmanagerFile> = {
  meta: {
    id: 'alertmanager/severity-unrouted',
    description: 'A severity the workspace\'s alert rules use matches no route, so those alerts fall through to the root receiver.',
    defaultSeverity: 'warning',
    profile: 'all',
    practice: 'alert-severity-routing',
    kinds: ['alertmanager-config'],
    productionOnly: true,
    crossFile: true,
  },
  check(ctx) {
    const am = amOf(ctx.parsed);
    if (!am) return [];
    const label = ctx.config.alerts.severityLabel;
    const alerts = workspaceAlerts(ctx.index, ctx.config);
    const out: RuleFinding[] = [];
    for (const config of am.alertmanager) {
      const root = config.route;
      if (!root || !root.routes.length) continue;
      const routed = new Set<string>();
      for (const r of allRoutes(root).slice(1)) for (const m of r.matchers) if (m.label === label && (m.op === '=' || m.op === '=~')) routed.add(m.value);
      if (!routed.size) continue;
      const bySeverity = new Map<string, { names: string[]; toRoot: boolean }>();
      for (const { alert } of alerts) {
        const severity = alert.labels[label];
        if (!severity || isTemplated(severity)) continue;
        const entry = bySeverity.get(severity) ?? { names: [], toRoot: true };
        entry.names.push(alert.name);
        if (entry.toRoot) entry.toRoot = routeAlert(config, alertLabels(alert)).every((m) => m.chain.length === 1);
        bySeverity.set(severity, entry);
      }
      for (const [severity, { names, toRoot }] of [...bySeverity].sort(([a], [b]) => a.localeCompare(b))) {
        if (!toRoot) continue;
        const unique = [...new Set(names)];
        out.push({
          range: config.routeKeyRange ?? root.range,
          message: `\`${label}: ${severity}\` (alert${unique.length > 1 ? 's' : ''} ${listNames(unique)}) matches no route${config.name ? ` of ${config.format === 'AlertmanagerConfig' ? 'AlertmanagerConfig ' : ''}'${config.name}'` : ''}: ${unique.length > 1 ? 'they fall' : 'it falls'} through to the root receiver '${root.receiver ?? '(none)'}'. Add a route for it, or use a severity the routes match (${[...routed].map((s) => `\`${s}\``).join(', ')}).`,
        });
      }
    }
    return out;
  },
};
