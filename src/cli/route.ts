import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { routeAlertByName, routingSummary } from '../engine/alerting/route';
import { Engine } from '../engine/engine';
import { folderArg } from './folder';

// `opsreview route <alert-name> [folder]`: which receiver(s) an alert rule of the workspace
// reaches, through which Alertmanager file and route, as `amtool config routes test` would
// answer for its labels. Exit codes: 0 answered, 2 usage error or no alert of that name.

export const ROUTE_USAGE = '  opsreview route <alert-name> [folder] [--config FILE] [--format text|json]\n                                           which receivers an alert rule reaches, through which route';

export async function route(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { config: { type: 'string', short: 'c' }, format: { type: 'string', short: 'f', default: 'text' } },
  });
  const [name, folder = '.'] = positionals;
  const format = values.format!;
  if (!name || positionals.length > 2 || !['text', 'json'].includes(format)) {
    err(`opsreview: usage:\n${ROUTE_USAGE}\n`);
    return 2;
  }
  const root = folderArg(folder, err);
  if (!root) return 2;
  const engine = await Engine.create(root, { configPath: values.config ? path.resolve(values.config) : undefined });
  const found = routeAlertByName(engine.index, engine.config, name);
  if (!found.length) {
    err(`opsreview: no alert rule named '${name}' in ${root}\n`);
    return 2;
  }
  if (format === 'json') {
    out(JSON.stringify(found.map((r) => ({ ...r, line: r.line + 1, routes: r.routes.map((c) => ({ ...c, receivers: c.receivers.map((h) => ({ ...h, line: h.line + 1 })) })) })), null, 2) + '\n');
    return 0;
  }
  for (const r of found) {
    const labels = Object.entries(r.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
    out(`${r.alert} (${r.file}:${r.line + 1}) {${labels}}\n`);
    for (const line of routingSummary(r)) out(`  → ${line}\n`);
  }
  return 0;
}
