import * as path from 'node:path';
import type { CodeLens, Hover } from 'vscode-languageserver';
import { postmortemFileName, postmortemTemplate } from '../../engine/alerting/postmortemTemplate';
import { AlertRouting, routingOf, routingSummary, workspaceAlerts } from '../../engine/alerting/route';
import type { Feature, FileContext } from '../context';
import { pathToUri } from '../context';
import { checked, PostmortemTemplateResult, Requests, zPostmortemTemplateParams } from '../protocol';

// Which receiver does this alert reach? On every alert rule, a code lens names the receiver(s)
// its labels route to in each Alertmanager configuration of the workspace (click: open the
// route), and a hover on the alert's line gives the full answer with the route paths, as
// `amtool config routes test` would. The "New Postmortem…" command asks here for its text, so
// the template follows the folder's configuration (postmortems.requiredSections).

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
  name: 'alert routing and postmortems',
  register(ctx) {
    ctx.codeLensProviders.push(alertRoutingLenses);
    ctx.hoverProviders.push(alertRoutingHover);
    ctx.connection.onRequest(
      Requests.postmortemTemplate,
      ctx.guard('postmortem template request', undefined as unknown as PostmortemTemplateResult, async (raw: unknown) => {
        const p = checked(zPostmortemTemplateParams, raw, 'postmortemTemplate params');
        await ctx.ready();
        const folder = p.folder.replace(/\\/g, '/');
        const engine = ctx.engineFor(folder) ?? [...ctx.engines()][0];
        if (!engine) throw new Error('no workspace folder is indexed');
        const fields = { title: p.title, date: p.date, service: p.service, owner: p.owner, incident: p.incident };
        // Next to the existing postmortems, else in <folder>/postmortems.
        const existing = engine.index.byKind('postmortem')[0];
        const dir = existing ? path.posix.dirname(existing.path) : path.posix.join(engine.root, 'postmortems');
        return { text: postmortemTemplate(fields, engine.config), fileName: postmortemFileName(fields), dir };
      }),
    );
  },
};
