import type { CodeLens, Hover } from 'vscode-languageserver';
import { AlertRouting, routingOf, routingSummary, workspaceAlerts } from '../../engine/alerting/route';
import type { Feature, FileContext } from '../context';
import { pathToUri } from '../context';

// Which receiver does this alert reach? On every alert rule, a code lens names the receiver(s)
// its labels route to in each Alertmanager configuration of the workspace (click: open the
// route), and a hover on the alert's line gives the full answer with the route paths, as
// `amtool config routes test` would.

function routingsOf({ engine, file }: FileContext): AlertRouting[] {
  if (file.kind !== 'alert-rules' && file.kind !== 'k8s-manifest') return [];
  if (!engine.index.byKind('alertmanager-config').length) return [];
  return workspaceAlerts(engine.index, engine.config)
    .filter((wa) => wa.file.path === file.path)
    .map((wa) => routingOf(engine.index, engine.config, wa));
}

export function alertRoutingLenses(at: FileContext): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const r of routingsOf(at)) {
    const range = { start: { line: r.line, character: 0 }, end: { line: r.line, character: 0 } };
    for (const c of r.routes) {
      const names = [...new Set(c.receivers.map((h) => h.receiver))];
      const pages = c.receivers.some((h) => h.paging);
      const multi = r.routes.length > 1 ? ` (${c.file})` : '';
      lenses.push({
        range,
        command: {
          title: `$(broadcast) Routes to ${names.join(', ')}${pages ? '' : ' (no pager)'}${multi}`,
          command: 'opsreview.openRunbook',
          arguments: [pathToUri(`${at.engine.index.root}/${c.file}`), c.receivers[0]?.line ?? 0],
        },
      });
    }
  }
  return lenses;
}

export function alertRoutingHover(at: FileContext, position: { line: number; character: number }): Hover | undefined {
  const r = routingsOf(at).find((x) => x.line === position.line);
  if (!r) return undefined;
  const labels = Object.entries(r.labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  const lines = routingSummary(r).map((l) => `- ${l}`);
  return { contents: { kind: 'markdown', value: [`**Alert ${r.alert} routes to:**`, '', ...lines, '', `Labels: \`{${labels}}\``].join('\n') } };
}

export const alerting: Feature = {
  name: 'alert routing',
  register(ctx) {
    ctx.codeLensProviders.push(alertRoutingLenses);
    ctx.hoverProviders.push(alertRoutingHover);
  },
};
