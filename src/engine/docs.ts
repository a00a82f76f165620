import { docsPath } from './rules/types';

/** Where rule docs live when no client supplies a local copy (the CLI, SARIF `helpUri`). */
export const DOCS_BASE_URL = 'https://github.com/opsreview/opsreview/blob/main/';

/** URL of a rule's docs page under `base` (a folder URL ending in `/`, e.g. the installed extension). */
export function docsUrl(ruleId: string, base: string = DOCS_BASE_URL): string {
  const b = base.endsWith('/') ? base : base + '/';
  return b + docsPath(ruleId);
}
