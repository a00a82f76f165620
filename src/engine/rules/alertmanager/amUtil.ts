import type { OpsReviewConfig } from '../../config/schema';
import type { ParsedFile } from '../../model';
import type { AlertmanagerFile, AmReceiver, AmRoute } from '../../parsers/alertmanager';

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

const patternCache = new WeakMap<readonly string[], RegExp[]>();

/** True when the receiver notifies a pager: a paging integration, a webhook to one, or a name the config says pages. */
export function isPaging(r: AmReceiver, config: OpsReviewConfig): boolean {
  const c = config.alertmanager;
  if (c.pagingReceivers.includes(r.name)) return true;
  if (r.integrations.some((i) => c.pagingIntegrations.includes(i))) return true;
  let patterns = patternCache.get(c.pagingWebhookPatterns);
  if (!patterns) {
    patterns = c.pagingWebhookPatterns.flatMap((p) => {
      try {
        return [new RegExp(p, 'i')];
      } catch {
        return [];
      }
    });
    patternCache.set(c.pagingWebhookPatterns, patterns);
  }
  return r.webhookUrls.some((u) => patterns!.some((p) => p.test(u)));
}

/** "a, b and 2 more" */
export function listNames(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).map((n) => `'${n}'`);
  if (names.length > max) return `${shown.join(', ')} and ${names.length - max} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
