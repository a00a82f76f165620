import { globMatcher } from '../classify';
import { effectiveSeverity } from '../linter';
import type { IndexedFile, IndexView } from '../model';
import type { MarkdownFile } from '../parsers/markdown';
import type { OpsReviewConfig } from '../config/schema';
import { getRuleMeta } from '../rules';
import { FILE_KINDS, FileKind, Finding } from '../types';
import type { Checklist, ChecklistItem, EveryQuery, ExistsQuery, Query, Run, RunItem } from './schema';

// Decides each item of a checklist from the workspace: evidence items from the rules' findings
// and index queries, manual items from the run file. The CLI gate and the editor panel both call
// `evaluateChecklist`, so they cannot disagree.

/** What evaluation reads: the engine satisfies it. */
export interface EvidenceSource {
  readonly index: IndexView;
  readonly config: OpsReviewConfig;
  allFindings(): Finding[];
}

export type ItemState = 'pass' | 'fail' | 'na' | 'open' | 'done' | 'waived';
export type Verdict = 'ready' | 'blocked';

/** A finding or file behind an evidence result; `file` is workspace-relative, `line` 1-based (null: no file). */
export interface EvidenceRef {
  ruleId: string;
  file: string | null;
  line: number | null;
  message: string;
}

/** One rule id or query of an item, decided on its own. `unknown`: not evaluated (see `note`). */
export interface EvidencePart {
  kind: 'rule' | 'query';
  /** The rule id, or the query's label. */
  label: string;
  state: 'pass' | 'fail' | 'na' | 'unknown';
  /** Findings (rule) or files lacking what the query asks (query) behind a failure. */
  refs: EvidenceRef[];
  /** Files of the kinds looked at. */
  checked: number;
  note?: string;
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
  /** Failing findings and files (empty unless the evidence fails). */
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
  /** Notes on evidence that could not be evaluated (unknown rule ids or kinds). */
  notes: string[];
}

export function evaluateChecklist(checklist: Checklist, source: EvidenceSource, run?: Run, runName?: string): ChecklistResult {
  const findingsByRule = new Map<string, Finding[]>();
  for (const f of source.allFindings()) {
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
  const notes = [...new Set(items.flatMap((i) => i.parts.filter((p) => p.state === 'unknown' && p.note).map((p) => p.note!)))];
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

function evaluateItem(item: ChecklistItem, section: string, sectionTitle: string, ctx: EvalContext, runItem: RunItem | undefined): ItemResult {
  const base = { id: item.id, section, sectionTitle, text: item.text, why: item.why, practice: item.practice, docs: item.docs, run: runItem };
  if (item.manual) {
    const state: ItemState = runItem?.state ?? 'open';
    return { ...base, kind: 'manual', state, evidence: [], parts: [], blocking: state === 'open' };
  }
  const evidence = item.evidence!;
  const parts: EvidencePart[] = [
    ...(evidence.rules ?? []).map((id) => ruleEvidence(id, ctx)),
    ...(evidence.queries ?? []).map((q) => queryEvidence(q, ctx.source)),
  ];
  let state: ItemState = parts.some((p) => p.state === 'fail') ? 'fail' : parts.some((p) => p.state === 'pass') ? 'pass' : 'na';
  // A failing evidence item may be waived in the run, with a note: the gate then records the
  // exception and who took it instead of blocking. `done` cannot override evidence.
  if (state === 'fail' && runItem?.state === 'waived') state = 'waived';
  const refs = state === 'fail' || state === 'waived' ? parts.flatMap((p) => (p.state === 'fail' ? p.refs : [])) : [];
  return { ...base, kind: 'auto', state, evidence: refs, parts, blocking: state === 'fail' };
}

function ruleEvidence(ruleId: string, ctx: EvalContext): EvidencePart {
  const meta = getRuleMeta(ruleId);
  const part = (state: EvidencePart['state'], refs: EvidenceRef[], checked: number, note?: string): EvidencePart => ({ kind: 'rule', label: ruleId, state, refs, checked, note });
  if (!meta) return part('unknown', [], 0, `rule ${ruleId} is not known to this version of OpsReview; not evaluated`);
  if (effectiveSeverity(ruleId, meta.defaultSeverity, ctx.source.config) === 'off') return part('unknown', [], 0, `rule ${ruleId} is switched off in .opsreview.yml; not evaluated`);
  const checked = ctx.source.index.byKind(...meta.kinds).length;
  const findings = ctx.findingsByRule.get(ruleId) ?? [];
  if (findings.length) {
    const root = ctx.source.index.root;
    return part(
      'fail',
      findings.map((f) => ({ ruleId, file: relative(root, f.path), line: f.range.start.line + 1, message: f.message })),
      checked,
    );
  }
  return checked ? part('pass', [], checked) : part('na', [], 0);
}

const KNOWN_KINDS = new Set<string>(FILE_KINDS);
const MARKDOWN_KINDS = new Set<string>(['runbook', 'postmortem']);

function kindsOf(q: Query): string[] {
  const k = 'exists' in q ? q.exists : q.every;
  return Array.isArray(k) ? k : [k];
}

/** A readable name for a query when the checklist gives none, e.g. "every postmortem has sections Timeline, Impact". */
export function queryLabel(q: Query): string {
  if (q.label) return q.label;
  const kinds = kindsOf(q).join(' or ');
  const filters = [q.type ? `type ${q.type.join('|')}` : undefined, q.path ? `under ${q.path}` : undefined].filter(Boolean).join(', ');
  const what = `${kinds}${filters ? ` (${filters})` : ''}`;
  if ('exists' in q) return `a ${what} exists`;
  const needs = [q.sections ? `sections ${q.sections.join(', ')}` : undefined, q.frontmatter ? `frontmatter ${q.frontmatter.join(', ')}` : undefined].filter(Boolean).join(' and ');
  return `every ${what} has ${needs}`;
}

function queryEvidence(q: Query, source: EvidenceSource): EvidencePart {
  const label = queryLabel(q);
  const kinds = kindsOf(q);
  const unknown = kinds.filter((k) => !KNOWN_KINDS.has(k));
  const known = kinds.filter((k) => KNOWN_KINDS.has(k)) as FileKind[];
  if (!known.length) return { kind: 'query', label, state: 'unknown', refs: [], checked: 0, note: `file kind ${unknown.join(', ')} is not known to this version of OpsReview; "${label}" not evaluated` };
  const inPath = q.path ? globMatcher([q.path]) : undefined;
  const types = q.type?.map((t) => t.toLowerCase());
  const files = source.index
    .byKind(...known)
    // `type` is runbook frontmatter: it narrows runbooks and postmortems, not files of other kinds.
    .filter((f) => (!inPath || inPath(f.relPath)) && (!types || !MARKDOWN_KINDS.has(f.kind) || types.includes((f.runbook?.type ?? '').toLowerCase())));
  if ('exists' in q) return existsEvidence(q, label, files);
  return everyEvidence(q, label, files);
}

function existsEvidence(_q: ExistsQuery, label: string, files: IndexedFile[]): EvidencePart {
  if (files.length) return { kind: 'query', label, state: 'pass', refs: [], checked: files.length };
  return { kind: 'query', label, state: 'fail', refs: [{ ruleId: 'query/exists', file: null, line: null, message: `None found: ${label}.` }], checked: 0 };
}

function everyEvidence(q: EveryQuery, label: string, files: IndexedFile[]): EvidencePart {
  if (!files.length) return { kind: 'query', label, state: 'na', refs: [], checked: 0 };
  const refs: EvidenceRef[] = [];
  for (const f of files) {
    const missing = [...(q.sections ?? []).filter((s) => !hasSection(f, s)).map((s) => `section "${s}"`), ...(q.frontmatter ?? []).filter((k) => !hasFrontmatter(f, k)).map((k) => `frontmatter key "${k}"`)];
    if (missing.length) refs.push({ ruleId: 'query/every', file: f.relPath, line: 1, message: `Lacks ${missing.join(', ')}.` });
  }
  return { kind: 'query', label, state: refs.length ? 'fail' : 'pass', refs, checked: files.length };
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
