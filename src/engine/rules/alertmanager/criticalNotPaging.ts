import { alertLabels, receiverNamed, RouteMatch, routeAlert, workspaceAlerts } from '../../alerting/route';
import type { AlertmanagerFile, AmRoute } from '../../parsers/alertmanager';
import type { Range, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { amOf, isPaging, listNames } from './amUtil';

// A critical alert means "a person must act now". If the routes send it only to email or a chat
// channel, it waits until someone happens to look. Each Alertmanager configuration is judged on
// its own: the workspace's critical alerts (or, when there are none, an alert with only the
// critical severity label) are routed through it, and a finding is raised where a route delivers
// them to receivers none of which pages (alertmanager.pagingIntegrations, pagingWebhookPatterns,
// pagingReceivers). A configuration without any notification integration is a placeholder and
// is not judged.
export const rule: Rule<AlertmanagerFile> = {
  meta: {
    id: 'alertmanager/critical-not-paging',
    description: 'Alerts of a critical severity reach only receivers with no paging integration (email, chat), so nobody is woken for them.',
    defaultSeverity: 'warning',
    profile: 'all',
    practice: 'incident-response',
    kinds: ['alertmanager-config'],
    productionOnly: true,
    crossFile: true,
  },
  check(ctx) {
    const am = amOf(ctx.parsed);
    if (!am) return [];
    const label = ctx.config.alerts.severityLabel;
    const critical = ctx.config.alertmanager.criticalSeverities;
    const alerts = workspaceAlerts(ctx.index, ctx.config)
      .filter(({ alert }) => critical.includes(alert.labels[label] ?? ''))
      .map(({ alert }) => ({ name: alert.name, labels: alertLabels(alert) }));
    const probes = alerts.length ? alerts : critical.map((s) => ({ name: undefined, labels: { [label]: s } }));
    const out: RuleFinding[] = [];
    for (const config of am.alertmanager) {
      // A configuration that notifies nobody at all is a placeholder (a chart's default, a
      // silenced staging Alertmanager), not a routing decision.
      if (!config.route || !config.receivers.some((r) => r.integrations.length)) continue;
      // Findings grouped by the route that names the (non-paging) receivers.
      const groups = new Map<string, { range: Range; receivers: Set<string>; alerts: Set<string>; severities: Set<string> }>();
      for (const probe of probes) {
        const matches = routeAlert(config, probe.labels);
        const receivers = matches.map((m) => receiverNamed(config, m.receiver));
        // An undefined receiver is receiver-missing's finding; a pager anywhere is enough.
        if (!matches.length || receivers.some((r) => !r || isPaging(r, ctx.config))) continue;
        const anchor = namingRoute(matches[0]);
        const range = anchor.receiverRange ?? anchor.range;
        const key = `${range.start.line}:${range.start.character}`;
        const g = groups.get(key) ?? { range, receivers: new Set(), alerts: new Set(), severities: new Set() };
        for (const r of receivers) g.receivers.add(`'${r!.name}' (${r!.integrations.join(', ') || 'no integration'})`);
        if (probe.name) g.alerts.add(probe.name);
        g.severities.add(probe.labels[label]);
        groups.set(key, g);
      }
      for (const g of groups.values()) {
        const sev = [...g.severities].map((s) => `\`${label}: ${s}\``).join(', ');
        const who = g.alerts.size ? `alert${g.alerts.size > 1 ? 's' : ''} ${listNames([...g.alerts])}` : 'alerts';
        out.push({
          range: g.range,
          message: `${sev} ${who} ${g.alerts.size === 1 ? 'reaches' : 'reach'} only ${[...g.receivers].join(', ')}, which page${g.receivers.size > 1 ? '' : 's'} nobody: route critical alerts to a receiver with ${ctx.config.alertmanager.pagingIntegrations.join('/')} (or list a paging receiver in \`alertmanager.pagingReceivers\`).`,
        });
      }
    }
    return out;
  },
};

/** The route on the path that names the receiver the alert gets (it may be inherited from an ancestor). */
function namingRoute(m: RouteMatch): AmRoute {
  for (let i = m.chain.length - 1; i >= 0; i--) if (m.chain[i].receiver !== undefined) return m.chain[i];
  return m.chain[m.chain.length - 1];
}
