import type { FileSymbol, ParsedFile } from '../model';
import type { AlertmanagerFile, AmRoute } from '../parsers/alertmanager';
import type { SloFile } from '../parsers/slo';
import { matcherText } from './route';

// Outline and Infrastructure-tree children of Alertmanager configurations (the route tree and
// the receivers) and SLO files (one entry per SLO with its objective).

export function alertingSymbols(parsed: ParsedFile): FileSymbol[] {
  const am = (parsed as AlertmanagerFile).alertmanager;
  if (am) {
    return am.flatMap((c) => {
      const out: FileSymbol[] = [];
      if (c.route) out.push(routeSymbol(c.route, c.name ? `route (${c.name})` : 'route'));
      for (const r of c.receivers) out.push({ name: r.name, detail: `receiver: ${r.integrations.join(', ') || 'no integration'}`, kind: 'object', range: r.range, selectionRange: r.range });
      return out;
    });
  }
  const slos = (parsed as SloFile).slos;
  if (slos) {
    return slos.map((s) => ({
      name: s.name,
      detail: `SLO ${s.objectives.map((o) => (o.unit === 'ratio' ? `${+(o.value * 100).toFixed(6)}%` : `${o.value}%`)).join(', ')}`.trim(),
      kind: 'object',
      range: s.range,
      selectionRange: s.range,
    }));
  }
  return [];
}

function routeSymbol(r: AmRoute, name: string): FileSymbol {
  return {
    name,
    detail: `${r.receiver ? `→ ${r.receiver}` : '(inherits receiver)'}${r.continue ? ', continue' : ''}`,
    kind: 'group',
    range: r.range,
    selectionRange: r.range,
    children: r.routes.map((c) => routeSymbol(c, c.matchers.length ? c.matchers.map(matcherText).join(', ') : '(matches all)')),
  };
}
