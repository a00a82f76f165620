import type { IndexedFile } from './model';
import { getRuleMeta } from './rules';
import type { FileLint } from './linter';
import type { Finding, Fix, TextEdit } from './types';

// One decision is one finding. A rule with `meta.convention` reports each subject (an alert, a
// postmortem, a `uses:`) that does not follow a convention, tagging the finding with the
// convention's key. This pass looks at the whole workspace: when no subject anywhere follows a
// key (and two or more do not), the repository has not adopted it, a single decision, so the
// per-subject findings make way for one finding at repository level: on the template when there
// is one, else on the first file in path order. As soon as some subject follows it, the others
// are exceptions to the repository's own convention and are reported one by one again, except
// in a folder none of whose subjects follows it while the rest of the repository does (one
// mixin of a catalogue, one team's folder of a monorepo): each such folder made one decision,
// and the folders that never follow are reported together, once.

export interface LintedFile {
  file: IndexedFile;
  lint: FileLint;
}

export interface ConventionPassResult {
  /** Findings per file path, after the pass. */
  findings: Map<string, Finding[]>;
  /** Each convention the repository never follows (`<rule id>\u0000<key>`), and the files its findings were in (the host first). */
  collapsed: Map<string, string[]>;
  /** The keys collapsed per rule, and the repository-level findings per host file (to patch one file's findings). */
  dropped: Map<string, ReadonlySet<string>>;
  /** Keys dropped only in some folders (`<rule id>\u0000<key>` → folder paths), where no subject follows them. */
  droppedIn?: Map<string, ReadonlySet<string>>;
  added: Map<string, Finding[]>;
}

/**
 * What of a file's lint the pass reads: its subjects, and where and how its convention findings
 * (fixes included, which the repository-level fix gathers) and suppressed ones are. When an edit
 * leaves it unchanged, the last pass holds and only that file's findings are redone (`patchFile`).
 */
export function conventionSignature(lint: FileLint | undefined): string {
  if (!lint) return '';
  const tagged = lint.findings.filter((f) => f.convention?.length).map((f) => [f.ruleId, f.convention, f.range, f.fixes]);
  const suppressed = lint.suppressed.filter((f) => f.convention?.length).map((f) => [f.ruleId, f.convention]);
  return lint.subjects.size || tagged.length || suppressed.length ? JSON.stringify([[...lint.subjects], tagged, suppressed]) : '';
}

/** One file's findings under an earlier pass whose collapsed conventions still hold. */
export function patchFile(pass: ConventionPassResult, path: string, lint: FileLint): Finding[] {
  const dir = folderOf(path);
  const gone = (f: Finding, k: string) => !!pass.dropped.get(f.ruleId)?.has(k) || !!pass.droppedIn?.get(`${f.ruleId}\u0000${k}`)?.has(dir);
  const kept = pass.dropped.size || pass.droppedIn?.size ? lint.findings.filter((f) => !(f.convention?.length && f.convention.every((k) => gone(f, k)))) : lint.findings;
  const extra = pass.added.get(path);
  return extra ? [...kept, ...extra].sort(byPosition) : kept;
}

function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId);
}

/** A template, whose every new copy inherits the convention or its absence. */
const TEMPLATE = /(^|[/_.\s-])templates?([/_.\s-]|$)/i;
/** The file family a template must share with its subjects (markdown, YAML, HCL, or the extension). */
function familyOf(p: string): string {
  const name = p.slice(p.lastIndexOf('/') + 1).toLowerCase();
  if (/\.(md|markdown|mdx)(\.erb)?$/.test(name)) return 'markdown';
  if (/\.ya?ml(\.j2|\.tpl)?$/.test(name)) return 'yaml';
  if (/\.(tf|hcl|tfvars)$/.test(name)) return 'hcl';
  return name.includes('.') ? name.slice(name.lastIndexOf('.')) : name;
}

/**
 * `templates`: workspace-relative paths of templates the index reads but does not check (a
 * `postmortems/template.md` is not a postmortem); the finding names the one beside the subjects.
 */
export function applyConventionPass(files: readonly LintedFile[], templates: readonly string[] = []): ConventionPassResult {
  const ordered = [...files].sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
  // Per rule and key: the findings of subjects that do not follow it (suppressed ones included:
  // a suppressed subject still does not follow the convention).
  const totals = new Map<string, number>();
  const against = new Map<string, { findings: Finding[]; suppressed: number }>();
  for (const { lint } of ordered) {
    for (const [rule, n] of lint.subjects) totals.set(rule, (totals.get(rule) ?? 0) + n);
    for (const f of lint.findings) for (const key of f.convention ?? []) entry(against, f.ruleId, key).findings.push(f);
    for (const f of lint.suppressed) for (const key of f.convention ?? []) entry(against, f.ruleId, key).suppressed++;
  }
  // The keys no subject follows, by rule: one repository-level finding per rule lists them all
  // (a repository that writes none of the three default tag keys made one decision).
  const byRule = new Map<string, { keys: string[]; findings: Set<Finding> }>();
  for (const [id, { findings, suppressed }] of against) {
    const [rule, key] = id.split('\u0000');
    const meta = getRuleMeta(rule);
    const total = totals.get(rule) ?? 0;
    if (!meta?.convention || findings.length < 2 || adopted(total - findings.length - suppressed, total)) continue;
    let r = byRule.get(rule);
    if (!r) byRule.set(rule, (r = { keys: [], findings: new Set() }));
    r.keys.push(key);
    findings.forEach((f) => r!.findings.add(f));
  }
  const collapsed = new Map<string, string[]>();
  const dropKeys = new Map<Finding, Set<string>>();
  const added = new Map<string, Finding[]>();
  for (const [rule, { keys, findings: set }] of byRule) {
    const findings = [...set];
    const c = getRuleMeta(rule)!.convention!;
    const total = totals.get(rule) ?? 0;
    const paths = [...new Set(findings.map((f) => f.path))];
    const ran = ordered.filter(({ lint }) => lint.subjects.has(rule));
    // (A template of these subjects: one that has some, not any file under a `templates/` folder.)
    const template = ran.find(({ file, lint }) => TEMPLATE.test(file.relPath) && (lint.subjects.get(rule) ?? 0) > 0)?.file.path;
    const host = template ?? paths[0];
    // A template that is not itself checked, in the folder of (or above) the subjects.
    const relOf = (p: string) => ordered.find(({ file }) => file.path === p)?.file.relPath ?? p;
    // Of the same family as the subjects: a markdown playbook template is no start for workflows.
    const besides = template
      ? undefined
      : templates.find((t) => TEMPLATE.test(t) && paths.some((p) => familyOf(relOf(p)) === familyOf(t) && relOf(p).startsWith(t.slice(0, t.lastIndexOf('/') + 1))));
    const anchor = findings.find((f) => f.path === host) ?? ran.find(({ file }) => file.path === host)?.lint.findings[0];
    const examples = paths.slice(0, 3).map((p) => ordered.find(({ file }) => file.path === p)?.file.relPath ?? p);
    const where = paths.length > 1 ? ` in ${paths.length} files (${examples.join(', ')}${paths.length > 3 ? ', …' : ''})` : '';
    // The subjects that follow at least one of the keys (a few may, below the adoption bar).
    const followers = Math.max(0, ...keys.map((k) => {
      const e = against.get(`${rule}\u0000${k}`)!;
      return total - e.findings.length - e.suppressed;
    }));
    const finding: Finding = {
      ruleId: rule,
      severity: findings[0].severity,
      path: host,
      range: anchor?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `${followers ? `Only ${followers} of the ${total} ${c.noun} in this repository ${followers === 1 ? 'follows' : 'follow'} the convention (each ${c.follows(keys)})` : `None of the ${total} ${c.noun} in this repository ${c.follows(keys)}`}${where}: that is one decision, reported once here${template ? ' on the template' : ''} rather than on each. ${c.adopt(keys)}${besides ? ` Start with the template ${besides}, so new ones follow it.` : ''} Once some follow it, each one that does not is reported.`,
      fixes: adoptEverywhere(findings, c.noun),
      // A convention the repository never adopted is reported when it asks for it (profile.ts).
      ...(c.unadoptedInRecommended ? {} : { profile: 'all' as const }),
    };
    let list = added.get(host);
    if (!list) added.set(host, (list = []));
    list.push(finding);
    collapsed.set(`${rule}\u0000${keys.join(',')}`, [host, ...paths.filter((p) => p !== host)]);
    for (const f of findings) {
      let s = dropKeys.get(f);
      if (!s) dropKeys.set(f, (s = new Set()));
      for (const k of keys) s.add(k);
    }
  }
  // Folders that never follow a convention the rest of the repository follows: one finding per
  // rule names them all.
  const droppedIn = new Map<string, Set<string>>();
  const unitsByRule = new Map<string, { keys: Set<string>; dirs: Map<string, Finding[]>; followers: number; total: number }>();
  for (const [id, { findings, suppressed }] of against) {
    const [rule, key] = id.split('\u0000');
    const meta = getRuleMeta(rule);
    if (!meta?.convention || byRule.get(rule)?.keys.includes(key)) continue;
    const total = totals.get(rule) ?? 0;
    const followers = total - findings.length - suppressed;
    if (!adopted(followers, total)) continue;
    const inDir = new Map<string, Finding[]>();
    for (const f of findings) {
      const d = folderOf(f.path);
      let l = inDir.get(d);
      if (!l) inDir.set(d, (l = []));
      l.push(f);
    }
    // A folder of one subject that does not follow it counts only beside a folder of several.
    const units: [string, Finding[]][] = [];
    for (const [d, list] of inDir) {
      let dirTotal = 0;
      let dirSuppressed = 0;
      for (const { file, lint } of ordered) {
        if (folderOf(file.path) !== d) continue;
        dirTotal += lint.subjects.get(rule) ?? 0;
        dirSuppressed += lint.suppressed.filter((f) => f.ruleId === rule && f.convention?.includes(key)).length;
      }
      if (adopted(dirTotal - list.length - dirSuppressed, dirTotal)) continue;
      if (list.length >= 2 || dirTotal === 1) units.push([d, list]);
    }
    if (!units.some(([, list]) => list.length >= 2)) continue;
    for (const [d, list] of units) {
      let u = unitsByRule.get(rule);
      if (!u) unitsByRule.set(rule, (u = { keys: new Set(), dirs: new Map(), followers, total }));
      u.keys.add(key);
      u.followers = Math.max(u.followers, followers);
      const prev = u.dirs.get(d) ?? [];
      u.dirs.set(d, [...new Set([...prev, ...list])]);
      let set = droppedIn.get(id);
      if (!set) droppedIn.set(id, (set = new Set()));
      set.add(d);
    }
  }
  for (const [rule, u] of unitsByRule) {
    const c = getRuleMeta(rule)!.convention!;
    const keys = [...u.keys];
    const dirs = [...u.dirs.keys()].sort();
    const findings = dirs.flatMap((d) => u.dirs.get(d)!);
    const host = findings[0].path;
    const relDir = (d: string) => {
      const f = ordered.find(({ file }) => folderOf(file.path) === d)?.file;
      const rel = f ? folderOf(f.relPath) : d;
      return rel ? `${rel}/` : './';
    };
    const named = dirs.slice(0, 3).map(relDir).join(', ') + (dirs.length > 3 ? ', …' : '');
    const finding: Finding = {
      ruleId: rule,
      severity: findings[0].severity,
      path: host,
      range: findings[0].range,
      message: `None of the ${findings.length} ${c.noun} under ${dirs.length === 1 ? 'the folder' : `${dirs.length} folders`} (${named}) ${c.follows(keys)}, while ${u.followers} of the repository's ${u.total} do: each folder made one decision, reported once here rather than on each. ${c.adopt(keys)} Once some there follow it, each one that does not is reported.`,
      fixes: adoptEverywhere(findings, c.noun),
    };
    let list = added.get(host);
    if (!list) added.set(host, (list = []));
    list.push(finding);
    const paths = [...new Set(findings.map((f) => f.path))];
    collapsed.set(`${rule}\u0000${keys.join(',')}\u0000folders`, [host, ...paths.filter((p) => p !== host)]);
    for (const f of findings) {
      let s = dropKeys.get(f);
      if (!s) dropKeys.set(f, (s = new Set()));
      for (const k of keys) s.add(k);
    }
  }
  const out = new Map<string, Finding[]>();
  for (const { file, lint } of ordered) {
    const kept = collapsed.size ? lint.findings.filter((f) => !(f.convention?.length && f.convention.every((k) => dropKeys.get(f)?.has(k)))) : lint.findings;
    const extra = added.get(file.path);
    out.set(file.path, extra ? [...kept, ...extra].sort(byPosition) : kept);
  }
  const dropped = new Map<string, ReadonlySet<string>>([...byRule].map(([rule, r]) => [rule, new Set(r.keys)]));
  return { findings: out, collapsed, dropped, droppedIn, added };
}

/** The folder a subject's file is in: the unit that makes its own decision. */
function folderOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(0, i) : '';
}

/**
 * Does the repository follow a convention that `followers` of `total` subjects follow? Yes from
 * one in five, or from two when they are at least one in twenty: a single item that happens to
 * name an owner among 120 does not make a convention, nor do the 30 alerts of 900 that carry a
 * `team` label in a repository that routes by something else; then the others are still one
 * decision.
 */
export function adopted(followers: number, total: number): boolean {
  return followers > 0 && (followers * 5 >= total || (followers >= 2 && followers * 20 >= total));
}

function entry(map: Map<string, { findings: Finding[]; suppressed: number }>, rule: string, key: string): { findings: Finding[]; suppressed: number } {
  const id = `${rule}\u0000${key}`;
  let e = map.get(id);
  if (!e) map.set(id, (e = { findings: [], suppressed: 0 }));
  return e;
}

/** Every subject's own preferred fix, as one edit across the repository (none when one of them has none). */
function adoptEverywhere(findings: Finding[], noun: string): Fix[] | undefined {
  const edits: TextEdit[] = [];
  for (const f of findings) {
    const fix = f.fixes?.find((x) => x.isPreferred) ?? (f.fixes?.length === 1 ? f.fixes[0] : undefined);
    if (!fix) return undefined;
    for (const e of fix.edits) edits.push({ ...e, path: e.path ?? f.path });
  }
  return [{ title: `Adopt it in all ${findings.length} ${noun}`, isPreferred: true, edits }];
}

/** Paths whose findings differ between two passes because a convention was collapsed in one and not the other (or moved host). */
export function conventionChanges(before: ConventionPassResult | undefined, after: ConventionPassResult): Set<string> {
  const out = new Set<string>();
  const b = before?.collapsed ?? new Map<string, string[]>();
  for (const [id, paths] of after.collapsed) {
    const prev = b.get(id);
    if (!prev) paths.forEach((p) => out.add(p));
    else {
      out.add(paths[0]);
      out.add(prev[0]);
    }
  }
  for (const [id, paths] of b) if (!after.collapsed.has(id)) paths.forEach((p) => out.add(p));
  return out;
}
