import type { ParsedFile } from '../../model';
import type { AlertmanagerFile, AmRoute } from '../../parsers/alertmanager';

export { isPaging } from '../../alerting/route';

// Shared by the Alertmanager rule pack: the parsed configuration of a file, a walk over its
// routes, and whether a receiver pages a person.

export function amOf(parsed: ParsedFile): AlertmanagerFile | undefined {
  const am = parsed as AlertmanagerFile;
  return am.type === 'yaml' && !am.skippedTemplate && Array.isArray(am.alertmanager) ? am : undefined;
}

/** Every route of a tree, root first. */
export function allRoutes(route: AmRoute | undefined): AmRoute[] {
  if (!route) return [];
  return [route, ...route.routes.flatMap(allRoutes)];
}

/** "a, b and 2 more" */
export function listNames(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).map((n) => `'${n}'`);
  if (names.length > max) return `${shown.join(', ')} and ${names.length - max} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
