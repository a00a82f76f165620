import * as path from 'node:path';
import { Scalar } from 'yaml';
import { isBarePath, resolveRunbookUrl, runbookUrlNode } from '../../parsers/alerts';
import { getNode, nodeRange, stringValue, YamlFile } from '../../parsers/yaml';
import type { IndexedFile } from '../../model';
import { editDistance } from '../../text';
import type { Fix, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { ALERT_KINDS, alertsOf } from './alertUtil';

// A runbook link that 404s during an incident is worse than none: the responder loses minutes
// looking for a page that was renamed. When `runbook_url` points into this repository (a
// relative path, or a URL under `alerts.runbookBaseUrl`), the file must exist. The index keeps
// the reference, so renaming or deleting the runbook re-checks the alert file. A bare path
// (`docs/db/README.md`) is read as the repository does (`alerts.runbookPathsFrom`, detected by
// majority) and counts when it names a file from either the root or the alert's folder.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'alert/runbook-broken',
    description: 'An alert\'s `runbook_url` points to a file of this repository that does not exist.',
    defaultSeverity: 'error',
    practice: 'alert-runbooks',
    kinds: ALERT_KINDS,
    subject: 'alert-rule',
    fixable: true,
    crossFile: true,
  },
  check(ctx) {
    const found = alertsOf(ctx.parsed, ctx.file);
    if (!found) return [];
    const { yaml, alerts } = found;
    const root = ctx.index.root;
    const out: RuleFinding[] = [];
    for (const a of alerts) {
      const node = runbookUrlNode(a, ctx.config.alerts.runbookAnnotations);
      const url = stringValue(node);
      if (!node || !url) continue;
      const resolved = resolveRunbookUrl(url, ctx.file.path, ctx.config, root);
      if (!resolved) continue; // outside the base URL, external or templated
      const rel = path.posix.relative(root, resolved.target);
      if (!rel || rel.startsWith('..') || path.posix.isAbsolute(rel)) continue; // outside the workspace
      // A bare path (`docs/db/README.md`) that names a file from the repository root or from the
      // alert file's folder resolves: never reported, never rewritten.
      if (ctx.index.exists(resolved.target) || (resolved.alternative && ctx.index.exists(resolved.alternative))) continue;
      const range = nodeRange(yaml, node);
      const closest = closestRunbook(rel, ctx.index.byKind('runbook'));
      const fixes: Fix[] = [];
      const key = ctx.config.alerts.runbookAnnotations.find((k) => getNode(a.annotations, k) === node) ?? 'runbook_url';
      if (closest) {
        const newUrl = rewrite(url.trim(), closest.file, ctx.file.path, ctx.config.alerts.runbookBaseUrl.trim(), root, ctx.config.alerts.runbookPathsFrom === 'root');
        const quoted = quote(node as Scalar, newUrl);
        if (quoted !== undefined) {
          fixes.push({ title: `Point ${key} at ${closest.file.relPath}`, isPreferred: closest.distance <= Math.max(3, Math.floor(rel.length / 3)), edits: [{ range, newText: quoted }] });
        }
      }
      out.push({
        range,
        message: `Alert '${a.name}': ${key} points to ${rel}, which does not exist in the workspace${closest ? ` (closest runbook: ${closest.file.relPath})` : ''}.`,
        fixes: fixes.length ? fixes : undefined,
      });
    }
    return out;
  },
};

/** The existing runbook whose workspace path is the fewest edits away from the missing one. */
export function closestRunbook(missingRel: string, runbooks: IndexedFile[]): { file: IndexedFile; distance: number } | undefined {
  let best: { file: IndexedFile; distance: number } | undefined;
  const missing = missingRel.toLowerCase();
  for (const f of runbooks) {
    const d = editDistance(missing, f.relPath.toLowerCase(), best ? best.distance : undefined);
    if (!best || d < best.distance) best = { file: f, distance: d };
  }
  return best;
}


/** The URL in the form it was written (base URL, root-absolute or relative), keeping `?query#fragment`. */
function rewrite(url: string, target: IndexedFile, alertPath: string, base: string, root: string, bareFromRoot: boolean): string {
  const cut = url.search(/[?#]/);
  const suffix = cut >= 0 ? url.slice(cut) : '';
  const targetRel = path.posix.relative(root, target.path);
  if (base && url.startsWith(base)) return `${base}${encodeURI(targetRel)}${suffix}`;
  if (url.startsWith('/')) return `/${encodeURI(targetRel)}${suffix}`;
  if (bareFromRoot && isBarePath(url)) return `${encodeURI(targetRel)}${suffix}`;
  let rel = path.posix.relative(path.posix.dirname(alertPath), target.path);
  if (url.startsWith('./') && !rel.startsWith('../')) rel = `./${rel}`;
  return `${encodeURI(rel)}${suffix}`;
}

function quote(node: Scalar, value: string): string | undefined {
  switch (node.type) {
    case 'QUOTE_DOUBLE':
      return JSON.stringify(value);
    case 'QUOTE_SINGLE':
      return `'${value.replace(/'/g, "''")}'`;
    case 'PLAIN':
      return /^[^\s#'"{[&*!|>%@`]/.test(value) && !/\s#|: /.test(value) ? value : JSON.stringify(value);
    default:
      return undefined; // block scalar: leave it to the author
  }
}
