import type { OpsReviewConfig } from './config/schema';
import type { IndexedFile, IndexView } from './model';
import { inDevOnlyBlock, isNonProduction, skipsProductionOnly } from './nonProduction';
import { isGeneratedFile } from './copies';
import { applySubsumption } from './subsumption';
import { ALL_RULES, getRuleMeta } from './rules';
import { invalidSuppression, ruleFailed, unusedSuppression } from './rules/opsreview';
import { currentRuleId, formerIds } from './rules/retired';
import type { Rule } from './rules/types';
import * as path from 'node:path';
import { AnsibleLintDeclarations, ansibleLintDirectives, DirectiveSyntax, excludedPathMatcher, ExternalDirective, externalIdMatches, findDirectives, findExternalDirectives } from './suppression';
import type { FileKind, Finding, RuleFinding, Severity, SuppressedFinding } from './types';

export { isNonProduction } from './nonProduction';

export interface LintOptions {
  /** Only these rule ids (the CLI's `--rule`); suppression bookkeeping is limited to them too. */
  only?: readonly string[];
  now?: Date;
  /** What the repository's `.ansible-lint` declares (`skip_list`, `exclude_paths`). */
  ansibleLint?: AnsibleLintDeclarations;
}

/** One file's findings, what suppressions took out of them, and the subjects its convention rules judged. */
export interface FileLint {
  findings: Finding[];
  /** Findings an `opsreview-disable` comment or another tool's declaration suppressed. */
  suppressed: SuppressedFinding[];
  /** For each rule with a `meta.convention` that ran: how many subjects of this file it judged. */
  subjects: Map<string, number>;
}

/** The config's setting for a rule, under its id or an id it replaced (`runbook/owner-missing`). */
function ruleSetting(ruleId: string, config: OpsReviewConfig): OpsReviewConfig['rules'][string] | undefined {
  return config.rules[ruleId] ?? formerIds(ruleId).map((id) => config.rules[id]).find((s) => s !== undefined);
}

/**
 * Whether the config's profile runs a rule nobody configured by id. `recommended` (the default)
 * holds the rules whose findings were mostly actionable on public repositories nobody tuned
 * them on; a rule with `meta.profile: 'all'` asks for a repository convention many teams do not
 * keep, so it runs under `profile: all`, or when `rules:` names it.
 */
export function inProfile(ruleId: string, config: OpsReviewConfig): boolean {
  return getRuleMeta(ruleId)?.profile !== 'all' || config.profile === 'all';
}

/**
 * The severity a rule runs at under this config, or `off`. `named`: the rules a run asks for by
 * id (the CLI's `--rule`), which names a rule as `rules:` does, so a rule outside the profile runs.
 */
export function effectiveSeverity(ruleId: string, defaultSeverity: Severity, config: OpsReviewConfig, named?: readonly string[]): Severity | 'off' {
  const setting = ruleSetting(ruleId, config);
  if (setting === undefined) return inProfile(ruleId, config) || named?.includes(ruleId) ? defaultSeverity : 'off';
  return typeof setting === 'string' ? setting : setting.severity;
}

/** Rules that run on a file of this kind under this config. */
export function rulesFor(file: IndexedFile, config: OpsReviewConfig, only?: readonly string[]): Rule<any>[] {
  return plannedRules(file, config, only).filter((p) => !p.hidden).map((p) => p.rule);
}

/** A rule that runs on a file, with the severity it runs at and whether the config names it. */
interface PlannedRule {
  rule: Rule<any>;
  severity: Severity;
  overridden: boolean;
  /**
   * Out of the config's profile: it runs so checklist evidence can read its findings (an item
   * about public buckets must fail on one), and its findings carry `profile: 'all'`, which
   * reports leave out (profile.ts). A rule `rules:` switches off does not run at all.
   */
  hidden: boolean;
}

/**
 * The rules of one (kind, production or not) under one config and `only`: the same for every
 * such file, so worked out once per config instead of filtering every rule for every file.
 */
const planCache = new WeakMap<OpsReviewConfig, Map<string, PlannedRule[]>>();

function plannedRules(file: IndexedFile, config: OpsReviewConfig, only?: readonly string[]): PlannedRule[] {
  // A generated manifest is rewritten by its generator: production-only advice belongs on its source.
  const nonProduction = skipsProductionOnly(file, config) || (file.kind === 'k8s-manifest' && isGeneratedFile(file));
  let byKind = planCache.get(config);
  if (!byKind) planCache.set(config, (byKind = new Map()));
  const key = `${file.kind}\0${nonProduction}\0${only ? only.join('\0') : '*'}`;
  let plan = byKind.get(key);
  if (!plan) {
    const outOfProfile = (id: string): boolean => ruleSetting(id, config) === undefined && !inProfile(id, config);
    plan = ALL_RULES.filter(
      (r) =>
        r.meta.kinds.includes(file.kind) &&
        !(r.meta.productionOnly && nonProduction) &&
        (effectiveSeverity(r.meta.id, r.meta.defaultSeverity, config, only) !== 'off' || (!only && outOfProfile(r.meta.id))) &&
        (!only || only.includes(r.meta.id)),
    ).map((rule) => {
      const severity = effectiveSeverity(rule.meta.id, rule.meta.defaultSeverity, config, only);
      return { rule, severity: severity === 'off' ? rule.meta.defaultSeverity : severity, overridden: ruleSetting(rule.meta.id, config) !== undefined, hidden: severity === 'off' };
    });
    byKind.set(key, plan);
  }
  return plan;
}

/**
 * Runs every applicable rule on one indexed file and applies severities and suppressions.
 * A rule that throws is reported as `opsreview/rule-failed` on that file; the others still run.
 * (Per file: the workspace's convention pass, `applyConventionPass`, runs over every file's result.)
 */
export function lintFile(file: IndexedFile, index: IndexView, config: OpsReviewConfig, opts: LintOptions = {}): Finding[] {
  return lintFileDetailed(file, index, config, opts).findings;
}

export function lintFileDetailed(file: IndexedFile, index: IndexView, config: OpsReviewConfig, opts: LintOptions = {}): FileLint {
  const now = opts.now ?? new Date();
  const raw: Finding[] = [];
  const subjects = new Map<string, number>();
  // One context for every rule of the file: what rules cache per context (a Terraform module's
  // scope) is then worked out once per file, not once per rule.
  const ctx = { file, parsed: file.parsed, config, index, now };
  for (const { rule, severity, overridden, hidden } of plannedRules(file, config, opts.only)) {
    let found: RuleFinding[];
    try {
      found = rule.check(ctx);
      if (rule.meta.convention) subjects.set(rule.meta.id, rule.meta.convention.subjects(ctx));
    } catch (e) {
      const err = e as Error;
      raw.push({
        ruleId: ruleFailed.id,
        severity: ruleFailed.defaultSeverity,
        path: file.path,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `Rule ${rule.meta.id} failed on this file: ${err.message}. Please report it; the other rules still ran.`,
        ...(hidden ? { profile: 'all' as const } : {}),
      });
      continue;
    }
    for (const f of found) {
      // A resource created only in a development environment (`count = local.is-development ? 1 : 0`).
      if (rule.meta.productionOnly && file.kind === 'terraform' && config.nonProduction.length > 0 && inDevOnlyBlock(file, f.range)) continue;
      raw.push({ ...f, ruleId: rule.meta.id, severity: f.severity && !overridden ? f.severity : severity, path: file.path, ...(hidden ? { profile: 'all' as const } : {}) });
    }
  }
  const suppressed: SuppressedFinding[] = [];
  const findings = applySubsumption(applySuppressions(file, raw, config, opts.only, suppressed, externalDirectives(file, index.root, opts.ansibleLint))).sort(byPosition);
  return { findings, suppressed, subjects };
}

export function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId);
}

function syntaxOf(kind: FileKind): DirectiveSyntax {
  if (kind === 'terraform' || kind === 'terraform-vars') return 'hcl';
  if (kind === 'runbook' || kind === 'postmortem' || kind === 'checklist') return 'other';
  return 'yaml';
}

const excludedCache = new WeakMap<AnsibleLintDeclarations, (rel: string) => boolean>();

/** Other tools' suppressions that apply to this file: its own comments and annotations, and `.ansible-lint`. */
function externalDirectives(file: IndexedFile, root: string, ansibleLint: AnsibleLintDeclarations | undefined): ExternalDirective[] {
  const own = findExternalDirectives(file.parsed.lines, syntaxOf(file.kind));
  if (!ansibleLint || !file.kind.startsWith('ansible-')) return own;
  let excluded = excludedCache.get(ansibleLint);
  if (!excluded) excludedCache.set(ansibleLint, (excluded = excludedPathMatcher(ansibleLint.excludePaths)));
  return [...own, ...ansibleLintDirectives(file.relPath, ansibleLint, file.parsed.lines.lineCount, excluded).map((d) => ({ ...d, source: d.source && path.posix.join(root, d.source) }))];
}

/** The other tool's declaration that covers this finding, with the id it names. */
function externalMatch(f: Finding, directives: readonly ExternalDirective[]): { d: ExternalDirective; id: string } | undefined {
  const eqs = getRuleMeta(f.ruleId)?.equivalents;
  if (!eqs?.length) return undefined;
  const line = f.range.start.line;
  for (const d of directives) {
    if (line < d.from || line > d.to) continue;
    for (const id of d.ids) if (eqs.some((e) => e.tool === d.tool && externalIdMatches(id, e.id, f.message))) return { d, id };
  }
  return undefined;
}

function applySuppressions(
  file: IndexedFile,
  findings: Finding[],
  config: OpsReviewConfig,
  only: readonly string[] | undefined,
  suppressed: SuppressedFinding[],
  external: readonly ExternalDirective[],
): Finding[] {
  // A retired id in a comment (`runbook/owner-missing`) suppresses the rule that replaced it.
  const directives = findDirectives(file.parsed.lines).map((d) => ({ ...d, ruleIds: d.ruleIds.map(currentRuleId) }));
  if (!directives.length && !external.length) return findings;
  const kept: Finding[] = [];
  const used = new Set<string>(); // `${directiveIndex}:${ruleId}`
  for (const f of findings) {
    let by: (typeof directives)[number] | undefined;
    directives.forEach((d, i) => {
      if (!d.ruleIds.includes(f.ruleId)) return;
      if (d.kind === 'file' || d.targetLine === f.range.start.line) {
        by = d;
        used.add(`${i}:${f.ruleId}`);
      }
    });
    if (by) {
      suppressed.push({ ...f, suppressedBy: { tool: 'opsreview', id: f.ruleId, text: file.parsed.lines.line(by.range.start.line).slice(by.range.start.character).trim(), path: file.path, line: by.range.start.line } });
      continue;
    }
    // What the repository tells another tool to skip, where the crosswalk names that check.
    const ext = externalMatch(f, external);
    if (ext) {
      suppressed.push({ ...f, suppressedBy: { tool: ext.d.tool, id: ext.id, text: ext.d.text, path: ext.d.source ?? file.path, line: ext.d.line } });
      continue;
    }
    kept.push(f);
  }
  const report = (meta: typeof unusedSuppression, range: Finding['range'], message: string): void => {
    const severity = effectiveSeverity(meta.id, meta.defaultSeverity, config);
    if (severity === 'off' || (only && !only.includes(meta.id))) return;
    kept.push({ ruleId: meta.id, severity, path: file.path, range, message });
  };
  directives.forEach((d, i) => {
    if (!d.ruleIds.length) {
      report(invalidSuppression, d.range, 'opsreview-disable needs the id of the rule it suppresses, e.g. `opsreview-disable-next-line runbook/placeholder`.');
      return;
    }
    d.ruleIds.forEach((id, k) => {
      const meta = getRuleMeta(id);
      if (!meta) {
        report(invalidSuppression, d.idRanges[k], `Unknown rule '${id}' in opsreview-disable comment.`);
        return;
      }
      // A suppression of a rule that is switched off or filtered out cannot be judged unused.
      const active =
        effectiveSeverity(id, meta.defaultSeverity, config, only) !== 'off' && (!only || only.includes(id)) && !(meta.productionOnly && (skipsProductionOnly(file, config) || (file.kind === 'k8s-manifest' && isGeneratedFile(file))));
      if (active && meta.kinds.includes(file.kind) && !used.has(`${i}:${id}`)) {
        report(unusedSuppression, d.idRanges[k], `Unused suppression: ${id} reports nothing ${d.kind === 'file' ? 'in this file' : 'on the line it covers'}. Remove it.`);
      }
    });
  });
  return kept;
}
