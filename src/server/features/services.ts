import type { Hover } from 'vscode-languageserver';
import { routingOf, routingSummary, workspaceAlerts } from '../../engine/alerting/route';
import { serviceAt } from '../../engine/services/infer';
import { serviceModelOf } from '../../engine/services/query';
import { modelJson } from '../../engine/services/report';
import type { Feature, FileContext } from '../context';
import { checked, Requests, ServicesResult, zServicesParams } from '../protocol';

// Services (issue 17): the engine's service model for the Services view and the Service
// Overview panel, and a hover on an alert's name wherever it is written (a runbook, a
// postmortem, an SLO) with its severity, routing, runbook and owner.

/** The word under the cursor when it can be an alert name (`CheckoutHighErrorRate`, `node:up`). */
function wordAt(text: string, line: number, character: number): string | undefined {
  const l = text.split(/\r?\n/, line + 1)[line] ?? '';
  const re = /[A-Za-z_:][A-Za-z0-9_:]*/g;
  for (let m = re.exec(l); m; m = re.exec(l)) if (m.index <= character && character <= m.index + m[0].length) return m[0];
  return undefined;
}

export function alertNameHover({ engine, file }: FileContext, position: { line: number; character: number }): Hover | undefined {
  // On alert rule files the routing hover of features/alerting answers.
  if (file.kind === 'alert-rules' || file.kind === 'k8s-manifest') return undefined;
  const word = wordAt(file.parsed.text, position.line, position.character);
  if (!word || word.length < 4) return undefined;
  const matches = workspaceAlerts(engine.index, engine.config).filter((wa) => wa.alert.name === word);
  if (!matches.length) return undefined;
  const model = serviceModelOf(engine);
  const sev = engine.config.alerts.severityLabel;
  const parts: string[] = [];
  for (const wa of matches.slice(0, 3)) {
    const a = wa.alert;
    const service = serviceAt(model, wa.file.path, a.line);
    const owner = engine.config.alerts.ownerLabels.map((k) => a.labels[k]).find(Boolean) ?? service?.owner;
    const runbook = engine.config.alerts.runbookAnnotations.map((k) => a.annotations[k]).find(Boolean);
    const routes = engine.index.byKind('alertmanager-config').length ? routingSummary(routingOf(engine.index, engine.config, wa)) : ['no Alertmanager configuration in the workspace'];
    parts.push(
      [
        `**Alert ${a.name}** — ${wa.file.relPath}:${a.line + 1}`,
        '',
        `- Severity: ${a.labels[sev] ? `\`${a.labels[sev]}\`` : 'none'}`,
        `- Service: ${service ? `\`${service.name}\`` : 'not inferred'}`,
        `- Owner: ${owner ? `\`${owner}\`` : 'none'}`,
        `- Runbook: ${runbook ?? 'none'}`,
        `- Routes to: ${routes.join('; ')}`,
      ].join('\n'),
    );
  }
  return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') } };
}

export const services: Feature = {
  name: 'services',
  register(ctx) {
    ctx.hoverProviders.push(alertNameHover);
    ctx.connection.onRequest(
      Requests.services,
      ctx.guard('services request', { folders: [] } as ServicesResult, async (raw: unknown) => {
        const q = checked(zServicesParams, raw ?? {}, 'services params');
        await ctx.ready();
        const folders: ServicesResult['folders'] = [];
        for (const engine of ctx.engines()) {
          if (q.folder && engine.root !== q.folder.replace(/\\/g, '/')) continue;
          folders.push({ folder: engine.root, services: modelJson(serviceModelOf(engine)) });
        }
        return { folders };
      }),
    );
  },
};
