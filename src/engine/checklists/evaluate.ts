import { globMatcher } from '../classify';
import { namedInConfig } from '../profile';
import { effectiveSeverity, inProfile } from '../linter';
import { skipsProductionOnly } from '../nonProduction';
import type { IndexedFile, IndexView } from '../model';
import type { MarkdownFile } from '../parsers/markdown';
import type { OpsReviewConfig } from '../config/schema';
import { getRuleMeta } from '../rules';
import { currentRuleId } from '../rules/retired';
import { isSubjectId, SubjectId, SUBJECTS, subjectsIn } from '../rules/subjects';
import type { RuleMeta } from '../rules/types';
import { servicesForRules } from '../services/infer';
import { serviceKey } from '../services/names';
import { FILE_KINDS, FileKind, Finding } from '../types';
import type { Checklist, ChecklistItem, EveryQuery, ExistsQuery, Query, Run, RunItem } from './schema';

// Decides each item of a checklist from the workspace: evidence items from the rules' findings
// and index queries, manual items from the run file. The CLI gate and the editor panel both call
// `evaluateChecklist`, so they cannot disagree.
//
// Evidence has three honest outcomes besides `fail`: `pass` only when it examined at least one
// subject (a production deploy job, an IAM grant, a workload, a file: see rules/subjects.ts) and
// none failed; `n/a` with the reason when there was nothing to examine ("no production deploy
// job in this workspace"); `not-evaluated`, naming the file and line, when a file the evidence
// reads did not parse, or the evidence names a rule this version does not know. The gate blocks
// on `fail` and `not-evaluated`; `n/a` is settled.

/** What evaluation reads: the engine satisfies it. */
export interface EvidenceSource {
  readonly index: IndexView;
  readonly config: OpsReviewConfig;
  allFindings(): Finding[];
  /** Reported findings and those the profile does not report (profile.ts); default `allFindings`. */
  evidenceFindings?(): Finding[];
}

export type ItemState = 'pass' | 'fail' | 'na' | 'not-evaluated' | 'open' | 'done' | 'waived';
export type Verdict = 'ready' | 'blocked';

/** A finding or file behind an evidence result; `file` is workspace-relative, `line` 1-based (null: no file). */
export interface EvidenceRef {
  ruleId: string;
  file: string | null;
  line: number | null;
  message: string;
}

/** One rule id or query of an item, decided on its own. */
export interface EvidencePart {
  kind: 'rule' | 'query';
  /** The rule id (the current one, for a retired id), or the query's label. */
  label: string;
  state: 'pass' | 'fail' | 'na' | 'not-evaluated';
  /** Findings (rule) or files lacking what the query asks (query) behind a failure; the files that did not parse. */
  refs: EvidenceRef[];
  /** Subjects examined (jobs, resources, workloads, files: see `examined`). */
  checked: number;
  /** What was counted, e.g. "production deploy job" or "terraform file". */
  examined: string;
  /** Why the part is n/a or not evaluated, in a sentence. */
  reason?: string;
}

export interface ItemResult {
  id: string;
  section: string;
  sectionTitle: string;
  text: string;
  why: string;
  practice?: string;
  docs?: string;
  kind: 'auto' | 'manual';
  state: ItemState;
  /** Why an evidence item is n/a or not evaluated (also kept when such an item is waived). */
  reason?: string;
  /** Failing findings and files, and files that did not parse (empty unless the evidence fails or is not evaluated). */
  evidence: EvidenceRef[];
  parts: EvidencePart[];
  /** What the run file says about the item (who ticked or waived it, when, why). */
  run?: RunItem;
  blocking: boolean;
}

export interface ChecklistResult {
  checklist: string;
  title: string;
  description: string;
  run: string | null;
  verdict: Verdict;
  items: ItemResult[];
  /** Ids of the items that block the gate. */
  blocking: string[];
  progress: { total: number; settled: number };
  /** Why evidence could not be evaluated (files that did not parse, unknown rule ids), and rules switched off. */
  notes: string[];
}

export function evaluateChecklist(checklist: Checklist, source: EvidenceSource, run?: Run, runName?: string): ChecklistResult {
  const findingsByRule = new Map<string, Finding[]>();
  for (const f of source.evidenceFindings?.() ?? source.allFindings()) {
    let list = findingsByRule.get(f.ruleId);
    if (!list) findingsByRule.set(f.ruleId, (list = []));
    list.push(f);
  }
  const ctx: EvalContext = { source, findingsByRule };
  const items: ItemResult[] = [];
  for (const section of checklist.sections) {
    for (const item of section.items) items.push(evaluateItem(item, section.id, section.title, ctx, run?.items[item.id]));
  }
  const blocking = items.filter((i) => i.blocking).map((i) => i.id);
  const notes = [...new Set(items.flatMap((i) => i.parts.filter((p) => p.reason && (p.state === 'not-evaluated' || p.reason.includes('switched off'))).map((p) => p.reason!)))];
  return {
    checklist: checklist.id,
    title: checklist.title,
    description: checklist.description,
    run: runName ?? null,
    verdict: blocking.length ? 'blocked' : 'ready',
    items,
    blocking,
    progress: { total: items.length, settled: items.filter((i) => !i.blocking).length },
    notes,
  };
}

interface EvalContext {
  source: EvidenceSource;
  findingsByRule: Map<string, Finding[]>;
}

/**
 * Which files, and which lines of them, an item's evidence looks at: `path` is a glob on the
 * workspace-relative path, `service` a service of the service model (services/infer.ts): the
 * files and line spans the model attributes to it (its runbooks, alerts, SLOs, workloads,
 * Terraform resources, deploy jobs). Every rule and query narrows the same way.
 */
interface EvidenceScope {
  path?: string;
  service?: string;
}

interface Scope {
  /** The file may hold something in scope. */
  file(f: IndexedFile): boolean;
  /** A finding or subject at this absolute path and 0-based line is in scope. */
  at(absPath: string, relPath: string, line: number): boolean;
  /** " under services/api/**", " of service api". */
  words: string;
  /** Set when the scope itself cannot be resolved (a service the workspace does not have). */
  error?: string;
}

/** Resolved scopes per index generation and config (a service scope reads the service model). */
const scopeCache = new WeakMap<IndexView, { generation: number; config: OpsReviewConfig; scopes: Map<string, Scope> }>();

function resolveScope(scope: EvidenceScope, source: EvidenceSource): Scope {
  const generation = source.index.generation;
  if (generation === undefined) return buildScope(scope, source);
  let hit = scopeCache.get(source.index);
  if (!hit || hit.generation !== generation || hit.config !== source.config) scopeCache.set(source.index, (hit = { generation, config: source.config, scopes: new Map() }));
  const key = JSON.stringify([scope.path ?? null, scope.service ?? null]);
  let resolved = hit.scopes.get(key);
  if (!resolved) hit.scopes.set(key, (resolved = buildScope(scope, source)));
  return resolved;
}

function buildScope(scope: EvidenceScope, source: EvidenceSource): Scope {
  const inPath = scope.path ? globMatcher([scope.path]) : undefined;
  const words = [scope.path ? ` under ${scope.path}` : '', scope.service ? ` of service ${scope.service}` : ''].join('');
  if (!scope.service) {
    return { file: (f) => !inPath || inPath(f.relPath), at: (_a, rel) => !inPath || inPath(rel), words };
  }
  const model = servicesForRules(source.index, source.config);
  const wanted = serviceKey(scope.service);
  const service = model.services.find((s) => serviceKey(s.name) === wanted || s.aliases.some((a) => serviceKey(a) === wanted));
  if (!service) {
    const known = model.services.map((s) => s.name).slice(0, 8);
    return { file: () => false, at: () => false, words, error: `no service '${scope.service}' in this workspace${known.length ? ` (services: ${known.join(', ')}${model.services.length > known.length ? ', …' : ''})` : ''}, so it was not evaluated` };
  }
  const spans = new Map<string, { start: number; end: number }[]>();
  for (const sp of service.spans) {
    let list = spans.get(sp.path);
    if (!list) spans.set(sp.path, (list = []));
    list.push(sp);
  }
  return {
    file: (f) => spans.has(f.path) && (!inPath || inPath(f.relPath)),
    at: (abs, rel, line) => (!inPath || inPath(rel)) && !!spans.get(abs)?.some((sp) => line >= sp.start && line <= sp.end),
    words,
  };
}

function evaluateItem(item: ChecklistItem, section: string, sectionTitle: string, ctx: EvalContext, runItem: RunItem | undefined): ItemResult {
  const base = { id: item.id, section, sectionTitle, text: item.text, why: item.why, practice: item.practice, docs: item.docs, run: runItem };
  if (item.manual) {
    const state: ItemState = runItem?.state ?? 'open';
    return { ...base, kind: 'manual', state, evidence: [], parts: [], blocking: state === 'open' };
  }
  const evidence = item.evidence!;
  const scope: EvidenceScope = { path: evidence.path, service: evidence.service };
  const parts: EvidencePart[] = [
    ...(evidence.rules ?? []).map((id) => ruleEvidence(id, resolveScope(scope, ctx.source), ctx)),
    ...(evidence.queries ?? []).map((q) => queryEvidence(q, resolveScope({ path: q.path ?? scope.path, service: q.service ?? scope.service }, ctx.source), ctx.source)),
  ];
  const has = (s: EvidencePart['state']): boolean => parts.some((p) => p.state === s);
  let state: ItemState = has('fail') ? 'fail' : has('not-evaluated') ? 'not-evaluated' : has('pass') ? 'pass' : 'na';
  const reason =
    state === 'na' || state === 'not-evaluated'
      ? [...new Set(parts.filter((p) => p.state === state && p.reason).map((p) => p.reason!))].join('; ') || undefined
      : undefined;
  const refs = state === 'fail' || state === 'not-evaluated' ? parts.flatMap((p) => (p.state === state ? p.refs : [])) : [];
  // A failing (or unevaluable) evidence item may be waived in the run, with a note: the gate then
  // records the exception and who took it instead of blocking. `done` cannot override evidence.
  if ((state === 'fail' || state === 'not-evaluated') && runItem?.state === 'waived') state = 'waived';
  return { ...base, kind: 'auto', state, reason, evidence: refs, parts, blocking: state === 'fail' || state === 'not-evaluated' };
}

/** Files whose parser gave up on part of them: the rules could not read what they hold. */
function parseErrorRefs(files: IndexedFile[], ruleId: string): EvidenceRef[] {
  const out: EvidenceRef[] = [];
  for (const f of files) {
    if (f.parsed.type === 'yaml' && f.parsed.skippedTemplate) continue;
    const e = f.errors.find((x) => x.severity === 'error');
    if (e) out.push({ ruleId, file: f.relPath, line: e.range.start.line + 1, message: `Did not parse (${e.message.replace(/\.$/, '')}): what it holds was not checked.` });
  }
  return out;
}

function notParsedReason(refs: EvidenceRef[], what: string): string {
  const first = refs.slice(0, 3).map((r) => `${r.file}:${r.line}`);
  const more = refs.length > 3 ? ` and ${refs.length - 3} more` : '';
  return `${first.join(', ')}${more} did not parse, so ${what} could not check ${refs.length === 1 ? 'it' : 'them'}`;
}

function kindNoun(kinds: readonly string[]): string {
  return `${kinds.join(' or ')} file`;
}

function ruleEvidence(named: string, scope: Scope, ctx: EvalContext): EvidencePart {
  const ruleId = currentRuleId(named);
  const meta = getRuleMeta(ruleId);
  const part = (state: EvidencePart['state'], refs: EvidenceRef[], checked: number, examined: string, reason?: string): EvidencePart => ({ kind: 'rule', label: ruleId, state, refs, checked, examined, reason });
  if (!meta) {
    return part('not-evaluated', [], 0, 'rule', `rule ${ruleId} is not known to this version of OpsReview, so it was not evaluated`);
  }
  // A rule out of the profile still runs (its findings are not reported, linter.ts): the item
  // reads them. Only a rule `.opsreview.yml` switches off leaves the item without evidence.
  const outOfProfile = !inProfile(ruleId, ctx.source.config) && !namedInConfig(ruleId, ctx.source.config);
  if (effectiveSeverity(ruleId, meta.defaultSeverity, ctx.source.config) === 'off' && !outOfProfile) {
    return part('na', [], 0, 'rule', `rule ${ruleId} is switched off in .opsreview.yml`);
  }
  if (scope.error) return part('not-evaluated', [], 0, 'rule', scope.error);
  const root = ctx.source.index.root;
  const files = ruleFiles(meta, ctx.source, scope);
  const { count, noun } = countSubjects(meta, files, scope);
  const broken = parseErrorRefs(files, ruleId);
  const findings = (ctx.findingsByRule.get(ruleId) ?? []).filter((f) => scope.at(f.path, relative(root, f.path), f.range.start.line));
  if (findings.length) {
    return part('fail', [...findings.map((f) => ({ ruleId, file: relative(root, f.path), line: f.range.start.line + 1, message: f.message })), ...broken], count, noun);
  }
  if (broken.length) return part('not-evaluated', broken, count, noun, notParsedReason(broken, ruleId));
  return count ? part('pass', [], count, noun) : part('na', [], 0, noun, `no ${noun} in this workspace${scope.words}`);
}

/** The files a rule runs on within the scope (production-only rules skip examples and fixtures). */
function ruleFiles(meta: RuleMeta, source: EvidenceSource, scope: Scope): IndexedFile[] {
  return source.index.byKind(...meta.kinds).filter((f) => scope.file(f) && !(meta.productionOnly && skipsProductionOnly(f, source.config)));
}

function countSubjects(meta: RuleMeta, files: IndexedFile[], scope: Scope): { count: number; noun: string } {
  if (!meta.subject) return { count: files.length, noun: kindNoun(meta.kinds) };
  const subject = meta.subject;
  return { count: files.reduce((n, f) => n + subjectsIn(f, subject).filter((r) => scope.at(f.path, f.relPath, r.line)).length, 0), noun: SUBJECTS[subject].noun };
}

const KNOWN_KINDS = new Set<string>(FILE_KINDS);
const MARKDOWN_KINDS = new Set<string>(['runbook', 'postmortem']);

function list(k: string | string[]): string[] {
  return Array.isArray(k) ? k : [k];
}

function kindsOf(q: Query): string[] {
  return list('exists' in q ? q.exists : q.every);
}

/** A readable name for a query when the checklist gives none, e.g. "every postmortem has sections Timeline, Impact". */
export function queryLabel(q: Query): string {
  if (q.label) return q.label;
  const kinds = kindsOf(q).join(' or ');
  const filters = [q.type ? `type ${q.type.join('|')}` : undefined, q.path ? `under ${q.path}` : undefined].filter(Boolean).join(', ');
  const what = `${kinds}${filters ? ` (${filters})` : ''}`;
  if ('exists' in q) return `a ${what} exists${q.when ? ` when there is a ${list(q.when).join(' or ')}` : ''}`;
  const needs = [q.sections ? `sections ${q.sections.join(', ')}` : undefined, q.frontmatter ? `frontmatter ${q.frontmatter.join(', ')}` : undefined].filter(Boolean).join(' and ');
  return `every ${what} has ${needs}`;
}

/** Files and subjects a list of kinds names, within the scope; broken files of those kinds too. */
interface Found {
  count: number;
  /** The first few, as "file:line name", for messages. */
  samples: string[];
  files: IndexedFile[];
  broken: EvidenceRef[];
  nouns: string[];
}

function findAll(names: string[], q: Pick<ExistsQuery, 'type'>, scope: Scope, source: EvidenceSource): Found {
  const types = q.type?.map((t) => t.toLowerCase());
  // `type` is runbook frontmatter: it narrows runbooks and postmortems, not files of other kinds.
  const keep = (f: IndexedFile): boolean => scope.file(f) && (!types || !MARKDOWN_KINDS.has(f.kind) || types.includes((f.runbook?.type ?? '').toLowerCase()));
  const out: Found = { count: 0, samples: [], files: [], broken: [], nouns: [] };
  const kinds = names.filter((k) => KNOWN_KINDS.has(k)) as FileKind[];
  if (kinds.length) {
    out.files = source.index.byKind(...kinds).filter(keep);
    out.count += out.files.length;
    out.samples.push(...out.files.slice(0, 3).map((f) => f.relPath));
    out.nouns.push(kindNoun(kinds));
  }
  for (const id of names.filter(isSubjectId) as SubjectId[]) {
    const files = source.index.byKind(...SUBJECTS[id].kinds).filter(keep);
    for (const f of files) {
      const refs = subjectsIn(f, id).filter((r) => scope.at(f.path, f.relPath, r.line));
      out.count += refs.length;
      for (const r of refs) if (out.samples.length < 3) out.samples.push(`${f.relPath}:${r.line + 1} ${r.name}`);
    }
    out.broken.push(...parseErrorRefs(files, 'query/exists'));
    out.nouns.push(SUBJECTS[id].noun);
  }
  return out;
}

function queryEvidence(q: Query, scope: Scope, source: EvidenceSource): EvidencePart {
  const label = queryLabel(q);
  if (scope.error) return { kind: 'query', label, state: 'not-evaluated', refs: [], checked: 0, examined: 'file', reason: scope.error };
  const names = [...kindsOf(q), ...('exists' in q && q.when ? list(q.when) : [])];
  const unknown = names.filter((k) => !KNOWN_KINDS.has(k) && !isSubjectId(k));
  const subjectsInEvery = 'every' in q ? kindsOf(q).filter((k) => isSubjectId(k)) : [];
  if (unknown.length || subjectsInEvery.length) {
    const reason = unknown.length
      ? `file kind or subject ${unknown.join(', ')} is not known to this version of OpsReview, so "${label}" was not evaluated`
      : `\`every\` reads files, not subjects (${subjectsInEvery.join(', ')}), so "${label}" was not evaluated`;
    return { kind: 'query', label, state: 'not-evaluated', refs: [], checked: 0, examined: 'file', reason };
  }
  if ('exists' in q) return existsEvidence(q, label, scope, source);
  return everyEvidence(q, label, scope, source);
}

function existsEvidence(q: ExistsQuery, label: string, scope: Scope, source: EvidenceSource): EvidencePart {
  const part = (state: EvidencePart['state'], refs: EvidenceRef[], checked: number, examined: string, reason?: string): EvidencePart => ({ kind: 'query', label, state, refs, checked, examined, reason });
  let context = '';
  if (q.when) {
    const given = findAll(list(q.when), {}, scope, source);
    const noun = given.nouns.join(' or ');
    if (!given.count) {
      if (given.broken.length) return part('not-evaluated', given.broken, 0, noun, notParsedReason(given.broken, `"${label}"`));
      return part('na', [], 0, noun, `no ${noun} in this workspace${scope.words}`);
    }
    context = `; the workspace has ${given.count} × ${noun}: ${given.samples.join(', ')}${given.count > given.samples.length ? ', …' : ''}`;
  }
  const found = findAll(kindsOf(q), q, scope, source);
  const noun = found.nouns.join(' or ');
  if (found.count) return part('pass', [], found.count, noun);
  if (found.broken.length) return part('not-evaluated', found.broken, 0, noun, notParsedReason(found.broken, `"${label}"`));
  return part('fail', [{ ruleId: 'query/exists', file: null, line: null, message: `None found: ${label}${context}.` }], 0, noun);
}

function everyEvidence(q: EveryQuery, label: string, scope: Scope, source: EvidenceSource): EvidencePart {
  const found = findAll(kindsOf(q), q, scope, source);
  const noun = found.nouns.join(' or ');
  const part = (state: EvidencePart['state'], refs: EvidenceRef[], checked: number, reason?: string): EvidencePart => ({ kind: 'query', label, state, refs, checked, examined: noun, reason });
  const files = found.files;
  if (!files.length) return part('na', [], 0, `no ${noun} in this workspace${scope.words}`);
  const refs: EvidenceRef[] = [];
  for (const f of files) {
    const missing = [...(q.sections ?? []).filter((s) => !hasSection(f, s)).map((s) => `section "${s}"`), ...(q.frontmatter ?? []).filter((k) => !hasFrontmatter(f, k)).map((k) => `frontmatter key "${k}"`)];
    if (missing.length) refs.push({ ruleId: 'query/every', file: f.relPath, line: 1, message: `Lacks ${missing.join(', ')}.` });
  }
  if (refs.length) return part('fail', refs, files.length);
  const broken = parseErrorRefs(files, 'query/every');
  if (broken.length) return part('not-evaluated', broken, files.length, notParsedReason(broken, `"${label}"`));
  return part('pass', [], files.length);
}

function headingsOf(f: IndexedFile): string[] {
  if (f.runbook) return f.runbook.sections.map((s) => s.title);
  return f.parsed.type === 'markdown' ? f.parsed.headings.map((h) => h.text) : [];
}

/** `Root cause|RCA`: a heading containing any of the alternatives as words, case-insensitive. */
function hasSection(f: IndexedFile, wanted: string): boolean {
  const alternatives = wanted.split('|').map((w) => w.trim()).filter(Boolean);
  const patterns = alternatives.map((w) => new RegExp(`(^|[^\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '[\\s-]+')}($|[^\\p{L}\\p{N}])`, 'iu'));
  return headingsOf(f).some((h) => patterns.some((p) => p.test(h)));
}

function hasFrontmatter(f: IndexedFile, key: string): boolean {
  const data = f.parsed.type === 'markdown' ? (f.parsed as MarkdownFile).frontmatter?.data : undefined;
  if (!data) return false;
  const present = (k: string): boolean => data[k] !== undefined && data[k] !== null && data[k] !== '' && !(Array.isArray(data[k]) && (data[k] as unknown[]).length === 0);
  return present(key) || (key === 'owner' && present('team'));
}

function relative(root: string, p: string): string {
  return p.startsWith(root + '/') ? p.slice(root.length + 1) : p;
}
