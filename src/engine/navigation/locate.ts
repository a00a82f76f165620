import * as path from 'node:path';
import { docsUrl } from '../docs';
import type { IndexedFile, IndexView } from '../model';
import { getRuleMeta } from '../rules';
import { findDirectives } from '../suppression';
import { rangeContains, slugify } from '../text';
import type { Position, Range, Reference } from '../types';
import { fileSymbolEntries, roleOfPath, terraformByAddress, WorkspaceSymbolEntry } from './symbols';

// The jumps between files that OpsReview's index knows about: alert -> runbook (runbook_url),
// runbook -> runbook (links), runbook -> Terraform (an address written in the text), Terraform
// module call -> module, playbook -> role or included file; and the same links read backwards
// (references) or summarised in place (hover). Plain functions of the index: the language
// server turns their answers into LSP messages.

export interface NavLocation {
  path: string;
  range: Range;
}

/** A hover's content, in markdown. */
export interface NavHover {
  markdown: string;
  range: Range;
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function at(pos: Position): Range {
  return { start: pos, end: pos };
}

/** The reference (link, runbook_url, module source) under `pos`. */
export function referenceAt(file: IndexedFile, pos: Position): Reference | undefined {
  return file.references.find((r) => rangeContains(r.range, at(pos)));
}

/** Where a reference lands: the heading its `#fragment` names, or the start of the file. Undefined when the target is missing. */
export function referenceTarget(index: IndexView, ref: Reference): NavLocation | undefined {
  if (ref.kind === 'module_source') {
    const main = moduleMainFile(index, ref.target);
    return main ? { path: main, range: START } : undefined;
  }
  const target = index.get(ref.target);
  if (!target) return index.exists(ref.target) ? { path: ref.target, range: START } : undefined;
  return { path: target.path, range: anchorRange(target, ref.fragment) };
}

function anchorRange(file: IndexedFile, fragment: string | undefined): Range {
  if (!fragment || file.parsed.type !== 'markdown') return START;
  const slug = slugify(decodeSafe(fragment));
  const heading = file.parsed.headings.find((h) => h.slug === slug || h.slug === fragment);
  return heading?.range ?? START;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The file a module call opens: `main.tf` of the folder, or its first Terraform file. */
export function moduleMainFile(index: IndexView, dir: string): string | undefined {
  const tf = index.inDir(dir).filter((f) => f.kind === 'terraform');
  return (tf.find((f) => path.posix.basename(f.path) === 'main.tf') ?? tf[0])?.path;
}

// ---- Terraform addresses written in runbooks ---------------------------------------------

/** `aws_db_instance.legacy`, `data.aws_ami.base`, `module.vpc`, `module.vpc.aws_subnet.private[0]`. */
const ADDRESS = /(?<![\w.$-])(?:module\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.)*(?:data\.)?(?:[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*|module\.[A-Za-z_][\w-]*)(?:\[[^\]]*\])?/g;

export interface AddressMention {
  /** As it would be looked up: `aws_db_instance.legacy`, `module.vpc` (instance keys and module paths dropped). */
  address: string;
  range: Range;
}

const mentionsByFile = new WeakMap<IndexedFile, AddressMention[]>();

/** Terraform-looking addresses in a markdown file's text and code blocks (cached per parse). */
export function addressMentions(file: IndexedFile): AddressMention[] {
  let out = mentionsByFile.get(file);
  if (out) return out;
  out = [];
  if (file.parsed.type === 'markdown') {
    const lines = file.parsed.lines;
    for (let n = 0; n < lines.lineCount; n++) {
      const text = lines.line(n);
      if (!text.includes('.')) continue;
      for (const m of text.matchAll(ADDRESS)) {
        out.push({ address: lookupAddress(m[0]), range: { start: { line: n, character: m.index! }, end: { line: n, character: m.index! + m[0].length } } });
      }
    }
  }
  mentionsByFile.set(file, out);
  return out;
}

/** The block an address names: the last resource/data/module step, without instance keys. */
function lookupAddress(written: string): string {
  const steps = written.replace(/\[[^\]]*\]/g, '').split('.');
  // module.a.module.b.aws_x.y -> aws_x.y ; module.a.module.b -> module.b
  let i = 0;
  while (i + 2 < steps.length && steps[i] === 'module') i += 2;
  return steps.slice(i).join('.');
}

function mentionAt(file: IndexedFile, pos: Position): AddressMention | undefined {
  return addressMentions(file).find((m) => rangeContains(m.range, at(pos)));
}

function entryLocation(e: WorkspaceSymbolEntry): NavLocation {
  return { path: e.path, range: e.range };
}

// ---- Ansible ----------------------------------------------------------------------------

const INCLUDE = /^\s*-?\s*(?:ansible\.builtin\.)?(?:include_tasks|import_tasks|import_playbook|include_vars|include)\s*:\s*(?:file\s*:\s*)?["']?([^"'\s#{}]+)/;
const ROLE_LINE = /^\s*(?:-\s*)?(?:\{\s*)?(?:role\s*:\s*|name\s*:\s*)?["']?([\w./-]+)["']?/;

function ansibleDefinition(index: IndexView, file: IndexedFile, pos: Position): NavLocation[] {
  const line = file.parsed.lines.line(pos.line);
  const inc = INCLUDE.exec(line);
  if (inc) {
    const rel = inc[1];
    const dir = path.posix.dirname(file.path);
    const role = roleOfPath(file.relPath);
    const candidates = [path.posix.join(dir, rel)];
    if (role) candidates.push(path.posix.join(index.root, role.dir, 'tasks', rel), path.posix.join(index.root, role.dir, rel));
    candidates.push(path.posix.join(index.root, rel));
    const hit = candidates.find((c) => index.exists(c));
    return hit ? [{ path: path.posix.normalize(hit), range: START }] : [];
  }
  const word = wordAt(line, pos.character, /[\w./-]/);
  const m = ROLE_LINE.exec(line);
  if (!word || !m || m[1] !== word) return [];
  // A role named in `roles:`, `role:` or `include_role: name:`; the closest role folder first.
  return rolesNamed(index, word)
    .sort((a, b) => sharedPrefix(b.path, file.path) - sharedPrefix(a.path, file.path))
    .map(entryLocation);
}

function rolesNamed(index: IndexView, name: string): WorkspaceSymbolEntry[] {
  const out: WorkspaceSymbolEntry[] = [];
  for (const f of index.byKind('ansible-tasks', 'ansible-playbook')) for (const e of fileSymbolEntries(f)) if (e.kind === 'role' && (e.name === name || e.name.endsWith(`/${name}`))) out.push(e);
  return out;
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/** The word of `line` around `character`, made of characters matching `re`. */
export function wordAt(line: string, character: number, re: RegExp): string | undefined {
  let s = character;
  let e = character;
  while (s > 0 && re.test(line[s - 1])) s--;
  while (e < line.length && re.test(line[e])) e++;
  return e > s ? line.slice(s, e) : undefined;
}

// ---- definition -------------------------------------------------------------------------

/** Where the thing under `pos` is defined (empty when nothing there links anywhere, or the target is missing). */
export function definitionAt(index: IndexView, file: IndexedFile, pos: Position): NavLocation[] {
  const ref = referenceAt(file, pos);
  if (ref) {
    const target = referenceTarget(index, ref);
    return target ? [target] : [];
  }
  if (file.parsed.type === 'markdown') {
    const mention = mentionAt(file, pos);
    return mention ? terraformByAddress(index, mention.address).map(entryLocation) : [];
  }
  if (file.kind === 'ansible-playbook' || file.kind === 'ansible-tasks') return ansibleDefinition(index, file, pos);
  return [];
}

// ---- references -------------------------------------------------------------------------

/**
 * What points at the thing under `pos`: in a runbook, the alerts and runbooks that link to it;
 * on a Terraform block, the runbooks that mention its address; on an alert, the runbooks that
 * name it.
 */
export function referencesAt(index: IndexView, file: IndexedFile, pos: Position): NavLocation[] {
  if (file.kind === 'runbook' || file.kind === 'postmortem') {
    // On an address written in the runbook, the question is about the resource.
    const mention = mentionAt(file, pos);
    if (mention && terraformByAddress(index, mention.address).length) return mentionsOf(index, mention.address);
    return linksTo(index, file.path);
  }
  if (file.kind === 'terraform') {
    const block = fileSymbolEntries(file).find((e) => (e.kind === 'resource' || e.kind === 'data' || e.kind === 'module') && blockContains(file, e, pos));
    return block ? mentionsOf(index, block.name) : [];
  }
  if (file.alerts?.length) {
    const alert = file.alerts.find((a) => a.line === pos.line) ?? nearestAlertAbove(file, pos);
    return alert ? runbooksNaming(index, alert.name) : [];
  }
  return [];
}

/** The alerts (runbook_url) and markdown links that point at `target`. */
export function linksTo(index: IndexView, target: string): NavLocation[] {
  const out: NavLocation[] = [];
  for (const f of index.referrers(target)) {
    for (const r of f.references) if (r.target === target && r.kind !== 'module_source' && f.path !== target) out.push({ path: f.path, range: r.range });
  }
  return sortLocations(out);
}

function blockContains(file: IndexedFile, e: WorkspaceSymbolEntry, pos: Position): boolean {
  const sym = file.symbols.find((s) => s.selectionRange.start.line === e.range.start.line && s.selectionRange.start.character === e.range.start.character);
  return !!sym && rangeContains(sym.range, at(pos));
}

function nearestAlertAbove(file: IndexedFile, pos: Position): { name: string } | undefined {
  let best: { name: string; line: number } | undefined;
  for (const a of file.alerts ?? []) if (a.line <= pos.line && (!best || a.line > best.line)) best = a;
  return best;
}

function mentionsOf(index: IndexView, address: string): NavLocation[] {
  const out: NavLocation[] = [];
  for (const f of index.byKind('runbook', 'postmortem')) for (const m of addressMentions(f)) if (m.address === address) out.push({ path: f.path, range: m.range });
  return out;
}

/** Places in runbooks and postmortems where the alert's name is written (as a word). */
export function runbooksNaming(index: IndexView, alertName: string): NavLocation[] {
  if (!alertName) return [];
  const out: NavLocation[] = [];
  const re = new RegExp(`(?<![\\w-])${alertName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'g');
  for (const f of index.byKind('runbook', 'postmortem')) {
    if (!f.parsed.text.includes(alertName)) continue;
    const lines = f.parsed.lines;
    for (const m of f.parsed.text.matchAll(re)) out.push({ path: f.path, range: lines.rangeOf(m.index!, m.index! + m[0].length) });
  }
  return out;
}

function sortLocations(locs: NavLocation[]): NavLocation[] {
  return locs.sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

// ---- hover ------------------------------------------------------------------------------

/** A runbook summarised: title, owner, last review and its first lines. */
export function runbookSummary(index: IndexView, target: string, fragment?: string): string | undefined {
  const f = index.get(target);
  if (!f || f.parsed.type !== 'markdown') return undefined;
  const meta = f.runbook;
  const md = f.parsed;
  const lines: string[] = [`**${escapeMd(meta?.title ?? f.relPath)}**, \`${f.relPath}\`${fragment ? ` (at \`#${fragment}\`)` : ''}`, ''];
  const facts = [
    meta?.owner || meta?.team ? `owner: ${escapeMd((meta.owner ?? meta.team)!)}` : 'owner: none named',
    meta?.service ? `service: ${escapeMd(meta.service)}` : undefined,
    meta?.lastReviewed ? `last reviewed: ${meta.lastReviewed}` : 'never reviewed (no `last_reviewed`)',
  ].filter(Boolean);
  lines.push(facts.join(' · '), '');
  const h1 = md.headings.find((h) => h.level === 1);
  const from = h1 ? h1.line + 1 : md.frontmatter ? md.frontmatter.closeLine + 1 : 0;
  const body: string[] = [];
  for (let n = from; n < md.lines.lineCount && body.length < 6; n++) {
    const t = md.lines.line(n);
    if (!t.trim() && !body.length) continue;
    body.push(t);
  }
  while (body.length && !body[body.length - 1].trim()) body.pop();
  if (body.length) lines.push('---', '', ...body);
  return lines.join('\n');
}

function escapeMd(s: string): string {
  return s.replace(/([*_`[\]])/g, '\\$1');
}

function blockFirstLines(index: IndexView, e: WorkspaceSymbolEntry, max = 12): string {
  const f = index.get(e.path);
  if (!f) return '';
  const out: string[] = [];
  const sym = f.symbols.find((s) => s.selectionRange.start.line === e.range.start.line);
  const last = sym ? Math.min(sym.range.end.line, e.range.start.line + max - 1) : e.range.start.line + max - 1;
  for (let n = e.range.start.line; n <= last; n++) out.push(f.parsed.lines.line(n));
  const more = sym && sym.range.end.line > last ? '\n  …' : '';
  return out.join('\n') + more;
}

export interface HoverOptions {
  /** Base URL of the rule docs (the client's `docsBaseUri`). */
  docsBaseUri?: string;
}

/** What to show when the pointer rests on `pos`: a linked runbook, a Terraform address, a rule id. */
export function hoverAt(index: IndexView, file: IndexedFile, pos: Position, opts: HoverOptions = {}): NavHover | undefined {
  const ref = referenceAt(file, pos);
  if (ref && (ref.kind === 'runbook_url' || ref.kind === 'link') && ref.target !== file.path) {
    const summary = runbookSummary(index, ref.target, ref.fragment);
    if (summary) return { markdown: summary, range: ref.range };
    if (ref.kind === 'runbook_url' && !index.exists(ref.target)) {
      return { markdown: `No runbook at \`${path.posix.relative(index.root, ref.target)}\` (from \`${ref.raw}\`).`, range: ref.range };
    }
  }
  const rule = ruleIdAt(file, pos);
  if (rule) {
    const meta = getRuleMeta(rule.id);
    if (meta) return { markdown: `**${meta.id}** (${meta.defaultSeverity})\n\n${meta.description}\n\n[Rule documentation](${docsUrl(meta.id, opts.docsBaseUri)})`, range: rule.range };
    return { markdown: `\`${rule.id}\` is not an OpsReview rule id.`, range: rule.range };
  }
  if (file.parsed.type === 'markdown') {
    const mention = mentionAt(file, pos);
    if (mention) {
      const blocks = terraformByAddress(index, mention.address);
      if (!blocks.length) return undefined;
      const parts = blocks.slice(0, 3).map((b) => `\`${path.posix.relative(index.root, b.path)}\` line ${b.range.start.line + 1}\n\n\`\`\`hcl\n${blockFirstLines(index, b)}\n\`\`\``);
      return { markdown: `**${mention.address}**\n\n${parts.join('\n\n')}`, range: mention.range };
    }
  }
  return undefined;
}

/** A rule id under `pos`: in a suppression comment, or a key under `rules:` of the config file. */
export function ruleIdAt(file: IndexedFile, pos: Position): { id: string; range: Range } | undefined {
  for (const d of findDirectives(file.parsed.lines)) {
    if (d.range.start.line !== pos.line) continue;
    const i = d.idRanges.findIndex((r) => rangeContains(r, at(pos)));
    if (i >= 0) return { id: d.ruleIds[i], range: d.idRanges[i] };
  }
  if (file.kind === 'opsreview-config') {
    const line = file.parsed.lines.line(pos.line);
    const m = /^(\s*)["']?([a-z0-9-]+\/[a-z0-9-]+)["']?\s*:/.exec(line);
    if (m && pos.character >= m[1].length && pos.character <= m[0].length) {
      const start = line.indexOf(m[2]);
      return { id: m[2], range: { start: { line: pos.line, character: start }, end: { line: pos.line, character: start + m[2].length } } };
    }
  }
  return undefined;
}
