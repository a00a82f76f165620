import type { AlertmanagerFile } from '../../parsers/alertmanager';
import { editDistance } from '../../text';
import type { Fix, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { allRoutes, amOf } from './amUtil';

// A route that names a receiver the configuration does not define: Alertmanager refuses to load
// the file (amtool: "undefined receiver"), so the running Alertmanager keeps its previous
// configuration and the change never takes effect. A root route without any receiver is refused
// the same way: alerts no child takes would have nowhere to go. Production-only: a tutorial's
// intermediate step (the next step's file adds the receiver) and a deliberately invalid test
// fixture are not configurations anyone loads.
export const rule: Rule<AlertmanagerFile> = {
  meta: {
    id: 'alertmanager/receiver-missing',
    description: 'A route names a receiver that is not defined, or the root route names none, so Alertmanager rejects the configuration.',
    defaultSeverity: 'error',
    practice: 'alert-severity-routing',
    kinds: ['alertmanager-config'],
    productionOnly: true,
    fixable: true,
    equivalents: [{ tool: 'amtool', id: 'check-config' }],
  },
  check(ctx) {
    const am = amOf(ctx.parsed);
    if (!am) return [];
    const out: RuleFinding[] = [];
    for (const config of am.alertmanager) {
      if (!config.route) continue;
      const names = config.receivers.map((r) => r.name);
      if (!config.route.receiver) {
        out.push({
          range: config.route.range,
          message: `The root route names no receiver: alerts that no child route takes have nowhere to go, and Alertmanager rejects the configuration. Add \`receiver:\` with one of ${names.length ? names.map((n) => `'${n}'`).join(', ') : 'your receivers'}.`,
        });
      }
      for (const route of allRoutes(config.route)) {
        const name = route.receiver;
        if (name === undefined || names.includes(name) || !route.receiverRange) continue;
        const closest = nearest(name, names);
        const fixes: Fix[] | undefined = closest ? [{ title: `Use receiver '${closest}'`, isPreferred: true, edits: [{ range: route.receiverRange, newText: closest }] }] : undefined;
        out.push({
          range: route.receiverRange,
          message: `Route ${route.path} sends alerts to receiver '${name}', which is not defined${closest ? ` (did you mean '${closest}'?)` : ''}: Alertmanager rejects the configuration. Defined receivers: ${names.length ? names.map((n) => `'${n}'`).join(', ') : 'none'}.`,
          fixes,
        });
      }
    }
    return out;
  },
};

function nearest(name: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.floor(name.length / 2));
  for (const n of names) {
    const d = editDistance(name.toLowerCase(), n.toLowerCase(), bestDistance);
    if (d <= bestDistance) {
      best = n;
      bestDistance = d - 1;
      if (bestDistance < 0) break;
    }
  }
  return best;
}
