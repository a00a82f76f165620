import * as path from 'node:path';
import type { OpsReviewConfig } from '../config/schema';
import type { IndexedFile, IndexView } from '../model';
import { resolveRunbookUrl, runbookLink } from '../parsers/alerts';
import type { TerraformFile } from '../parsers/hclAst';
import type { MarkdownFile } from '../parsers/markdown';
import { detectRequiredFrontmatter } from './frontmatter';
import { alertNameKey, learnSectionVocabulary, MarkdownHints } from './markdownShape';
import { detectRunbookAnnotations, detectRunbookBaseUrl, detectRunbookPathsFrom } from './runbookLinks';
import { detectSeverities } from './severity';
import { productEvidence } from '../releaseDocs';
import { detectTerraformTags, tagMaps } from './terraformTags';
import type { Conventions, RunbookRecognition } from './types';

// Detection runs in two phases around the index's second classification pass:
//   A. from the alerts: severity vocabulary, runbook annotation, base URL, and the hints
//      (linked files, alert names) that decide which markdown is a runbook;
//   B. from the runbooks so recognised: the frontmatter keys to require; and from the Terraform
//      files, the spelling of the tag keys to require.
// Each phase returns the config with the detected values set for the options the config file
// does not set (explicit configuration always wins, option by option).

export interface DetectOptions {
  /**
   * Severity values an Alertmanager routing config sends to a pager, when the caller has one:
   * they become the paging severities instead of the vocabulary's highest level.
   */
  pagingSeverities?: readonly string[];
}

export interface AlertPhase {
  config: OpsReviewConfig;
  /** Undefined when `runbooks.globs` is configured: only globs and frontmatter decide then. */
  hints?: MarkdownHints;
  found: Pick<Conventions, 'severities' | 'runbookAnnotations' | 'runbookBaseUrl' | 'runbookPathsFrom'>;
}

export function detectAlertConventions(index: IndexView, config: OpsReviewConfig, explicitKeys: ReadonlySet<string>, opts: DetectOptions = {}): AlertPhase {
  const alertFiles = index.byKind('alert-rules', 'k8s-manifest').filter((f) => f.alerts?.length);
  const alerts = alertFiles.flatMap((f) => (f.alerts ?? []).map((a) => ({ a, f })));
  const set = (key: string): boolean => !explicitKeys.has(key);
  const out: OpsReviewConfig = { ...config, alerts: { ...config.alerts }, runbooks: { ...config.runbooks } };

  const severities = detectSeverities(
    alerts.filter(({ a }) => a.labels[config.alerts.severityLabel] !== undefined).map(({ a, f }) => ({ value: a.labels[config.alerts.severityLabel], file: f.relPath })),
    opts.pagingSeverities,
  );
  if (severities && set('alerts.allowedSeverities')) out.alerts.allowedSeverities = severities.value.allowed;
  // The paging level of the repository's own vocabulary (`s1`, `p1`, `page`) is what
  // alertmanager/critical-not-paging must see reach a pager.
  if (severities && set('alertmanager.criticalSeverities')) out.alertmanager = { ...config.alertmanager, criticalSeverities: severities.value.paging };

  const runbookAnnotations = detectRunbookAnnotations(alerts.map(({ a, f }) => ({ annotations: a.annotations, file: f.relPath })));
  if (runbookAnnotations && set('alerts.runbookAnnotations')) out.alerts.runbookAnnotations = runbookAnnotations.value;

  const keys = out.alerts.runbookAnnotations;
  const links = alerts.flatMap(({ a, f }) => {
    const url = runbookLink(a.annotations, keys);
    return url ? [{ url, file: f.relPath, alert: a.name, from: f }] : [];
  });
  const runbookBaseUrl = set('alerts.runbookBaseUrl') && !config.alerts.runbookBaseUrl ? detectRunbookBaseUrl(links, (rel) => index.exists(path.posix.join(index.root, rel))) : undefined;
  if (runbookBaseUrl) out.alerts.runbookBaseUrl = runbookBaseUrl.value;
  const runbookPathsFrom = set('alerts.runbookPathsFrom')
    ? detectRunbookPathsFrom(
        links,
        (u) => index.exists(path.posix.join(index.root, decodeSafe(u))),
        (u, rel) => index.exists(path.posix.join(index.root, path.posix.dirname(rel), decodeSafe(u))),
      )
    : undefined;
  if (runbookPathsFrom) out.alerts.runbookPathsFrom = runbookPathsFrom.value;

  let hints: MarkdownHints | undefined;
  if (set('runbooks.globs')) {
    hints = { linked: new Map(), alertNames: new Map(), shape: true };
    const product = productEvidence((rel) => index.exists(path.posix.join(index.root, rel)));
    if (product) hints.product = product;
    for (const { url, alert, from } of links) {
      const resolved = resolveRunbookUrl(url, from.path, out, index.root);
      // A bare path that names no file under the convention's reading may name one under the other.
      const target = resolved && !index.exists(resolved.target) && resolved.alternative && index.exists(resolved.alternative) ? resolved.alternative : resolved?.target;
      const rel = target && target.startsWith(index.root + '/') ? target.slice(index.root.length + 1) : undefined;
      if (rel && /\.(md|markdown|mdx)(\.erb)?$/i.test(rel) && !hints.linked.has(rel)) hints.linked.set(rel, `alert ${alert} (${from.relPath})`);
    }
    // The section titles the linked runbooks share are this repository's runbook vocabulary.
    if (index.markdownText) {
      const texts = [...hints.linked.keys()].map((rel) => index.markdownText!(path.posix.join(index.root, rel))).filter((t): t is string => t !== undefined);
      const learned = learnSectionVocabulary(texts);
      if (learned.length) hints.sections = learned;
    }
    for (const { a, f } of alerts) {
      const key = alertNameKey(a.name);
      if (key.length >= 4 && !hints.alertNames.has(key)) hints.alertNames.set(key, `alert ${a.name} (${f.relPath})`);
    }
  }
  return { config: out, hints, found: { severities, runbookAnnotations, runbookBaseUrl, runbookPathsFrom } };
}

function decodeSafe(u: string): string {
  try {
    return decodeURIComponent(u);
  } catch {
    return u;
  }
}

export interface RunbookPhase {
  config: OpsReviewConfig;
  found: Pick<Conventions, 'requiredFrontmatter' | 'runbooks' | 'terraformTags'>;
}

/**
 * Phase B. `previous` (the last result) lets a caller skip the parts an edit cannot change:
 * `redo.runbooks` false reuses the frontmatter and recognition figures, `redo.terraform` false
 * the tag keys.
 */
export function detectRunbookConventions(
  index: IndexView,
  config: OpsReviewConfig,
  explicitKeys: ReadonlySet<string>,
  detectionOn: boolean,
  previous?: RunbookPhase['found'],
  redo: { runbooks: boolean; terraform: boolean } = { runbooks: true, terraform: true },
): RunbookPhase {
  const out: OpsReviewConfig = { ...config, runbooks: { ...config.runbooks } };
  let requiredFrontmatter = previous?.requiredFrontmatter;
  let runbookRecognition = previous?.runbooks;
  if (redo.runbooks || !previous) {
    const runbooks = index.byKind('runbook');
    requiredFrontmatter = explicitKeys.has('runbooks.requiredFrontmatter')
      ? undefined
      : detectRequiredFrontmatter(
          runbooks.map((f) => ({ keys: frontmatterKeys(f), file: f.relPath })),
          config.runbooks.requiredFrontmatter,
        );
    runbookRecognition = recognition(runbooks, detectionOn);
  }
  if (requiredFrontmatter) out.runbooks.requiredFrontmatter = requiredFrontmatter.value;
  // Tag keys: from the maps the Terraform files write.
  let terraformTags = previous?.terraformTags;
  if (redo.terraform || !previous) {
    terraformTags = explicitKeys.has('terraform.requiredTags') ? undefined : detectTerraformTags(index.byKind('terraform').flatMap(cachedTagMaps), config.terraform.requiredTags);
  }
  if (terraformTags) out.terraform = { ...config.terraform, requiredTags: terraformTags.value };
  return { config: out, found: { requiredFrontmatter, terraformTags, runbooks: runbookRecognition! } };
}

/** The top-level frontmatter keys of a markdown file (empty without frontmatter). */
export function frontmatterKeys(f: IndexedFile): Set<string> {
  return new Set(Object.keys((f.parsed as MarkdownFile).frontmatter?.data ?? {}));
}

// Detection runs again after edits; a file's tag maps only change when the file is re-parsed
// (a new IndexedFile), so they are kept per entry.
const tagMapCache = new WeakMap<IndexedFile, ReturnType<typeof tagMaps>>();
function cachedTagMaps(f: IndexedFile): ReturnType<typeof tagMaps> {
  let maps = tagMapCache.get(f);
  if (!maps) tagMapCache.set(f, (maps = tagMaps(f.parsed as TerraformFile, f.relPath)));
  return maps;
}

function recognition(runbooks: IndexedFile[], detectionOn: boolean): RunbookRecognition {
  const r: RunbookRecognition = { byGlob: 0, byFrontmatter: 0, linkedFromAlert: 0, namedAfterAlert: 0, runbookShaped: 0, total: runbooks.length, folders: [], examples: [], detectionOn };
  const folders = new Map<string, number>();
  for (const f of runbooks) {
    const why = f.reason ?? '';
    if (why.startsWith('matches')) r.byGlob++;
    else if (why.startsWith('runbook frontmatter')) r.byFrontmatter++;
    else if (why.startsWith('linked from')) r.linkedFromAlert++;
    else if (why.startsWith('named after')) r.namedAfterAlert++;
    else if (why.startsWith('runbook-shaped')) r.runbookShaped++;
    const slash = f.relPath.indexOf('/');
    const dir = slash >= 0 ? f.relPath.slice(0, slash + 1) : '.';
    folders.set(dir, (folders.get(dir) ?? 0) + 1);
  }
  r.folders = [...folders].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([dir, count]) => ({ dir, count }));
  r.examples = runbooks.filter((f) => !(f.reason ?? '').startsWith('matches')).slice(0, 3).map((f) => f.relPath);
  return r;
}

/** The dotted option paths whose value differs between two configs (of the options detection sets). */
export function changedOptions(before: OpsReviewConfig, after: OpsReviewConfig): string[] {
  const out: string[] = [];
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  for (const key of ['allowedSeverities', 'runbookAnnotations', 'runbookBaseUrl', 'runbookPathsFrom'] as const) if (!same(before.alerts[key], after.alerts[key])) out.push(`alerts.${key}`);
  if (!same(before.runbooks.requiredFrontmatter, after.runbooks.requiredFrontmatter)) out.push('runbooks.requiredFrontmatter');
  if (!same(before.terraform.requiredTags, after.terraform.requiredTags)) out.push('terraform.requiredTags');
  if (!same(before.alertmanager.criticalSeverities, after.alertmanager.criticalSeverities)) out.push('alertmanager.criticalSeverities');
  return out;
}

/**
 * One line for the CLI summary and the server log, e.g. "conventions detected: severities
 * s1–s4; runbook links via `runbook`; runbooks under docs/ (412)". Undefined when detection
 * changed nothing and recognised no runbook beyond globs and frontmatter.
 */
export function describeConventions(c: Conventions): string | undefined {
  const parts: string[] = [];
  if (c.severities && c.applied.includes('alerts.allowedSeverities')) parts.push(`severities ${c.severities.value.vocabulary} (paging: ${c.severities.value.paging.join(', ')})`);
  if (c.runbookAnnotations && c.applied.includes('alerts.runbookAnnotations')) parts.push(`runbook links via ${c.runbookAnnotations.value.map((k) => `\`${k}\``).join(', ')}`);
  if (c.runbookBaseUrl && c.applied.includes('alerts.runbookBaseUrl')) parts.push(`runbook URLs under ${c.runbookBaseUrl.value} map onto this repository`);
  if (c.runbookPathsFrom && c.applied.includes('alerts.runbookPathsFrom')) parts.push('runbook paths are relative to the repository root');
  const r = c.runbooks;
  const detected = r.linkedFromAlert + r.namedAfterAlert + r.runbookShaped;
  if (r.detectionOn && detected > 0) {
    const where = r.folders.slice(0, 3).map((f) => `${f.dir === '.' ? 'the root' : f.dir} (${f.count})`).join(', ');
    const how = [r.linkedFromAlert && `${r.linkedFromAlert} linked from alerts`, r.namedAfterAlert && `${r.namedAfterAlert} named after alerts`, r.runbookShaped && `${r.runbookShaped} by their sections`].filter(Boolean).join(', ');
    parts.push(`runbooks under ${where} (${how})`);
  }
  if (c.requiredFrontmatter && c.applied.includes('runbooks.requiredFrontmatter')) {
    const v = c.requiredFrontmatter.value;
    parts.push(v.length ? `runbook frontmatter required: ${v.join(', ')}` : 'no runbook frontmatter key required (most runbooks carry none of the default keys)');
  }
  if (c.terraformTags && c.applied.includes('terraform.requiredTags')) parts.push(`Terraform tags required: ${c.terraformTags.value.join(', ')}`);
  return parts.length ? `conventions detected: ${parts.join('; ')}` : undefined;
}
