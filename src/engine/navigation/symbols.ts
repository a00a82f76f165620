import * as path from 'node:path';
import type { FileSymbol, IndexedFile, IndexView } from '../model';
import type { Range } from '../types';

// Workspace symbols: every alert, runbook (and its sections), postmortem, Terraform resource,
// data source and module by address, Ansible play and role, CI job and Kubernetes object, as one
// table searched fuzzily. Each file's entries are computed once per parse (the index makes a new
// IndexedFile on every change, so the cache follows it without being told) and a query only scores.

export type WorkspaceSymbolKind = 'runbook' | 'postmortem' | 'section' | 'alert' | 'resource' | 'data' | 'module' | 'play' | 'role' | 'job' | 'object' | 'variable' | 'output';

export interface WorkspaceSymbolEntry {
  /** What the user types: `aws_db_instance.legacy`, `module.vpc`, `Deployment/payments-api`. */
  name: string;
  kind: WorkspaceSymbolKind;
  /** Where it lives, for the picker: the runbook of a section, the file of a resource. */
  container: string;
  path: string;
  range: Range;
  /** Lower-cased name, computed once. */
  lower: string;
  /** Which characters the name holds (see charMask): a query needing others is rejected at once. */
  mask: number;
}

/** A 31-bit set of the characters of `s`: a–z one bit each, digits and the rest sharing bits. */
export function charMask(s: string): number {
  let m = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) m |= 1 << (c - 97);
    else if (c >= 48 && c <= 57) m |= 1 << 26;
    else if (c === 46) m |= 1 << 27; // .
    else if (c === 47) m |= 1 << 28; // /
    else if (c === 95 || c === 45) m |= 1 << 29; // _ -
    else m |= 1 << 30;
  }
  return m;
}

const byFile = new WeakMap<IndexedFile, WorkspaceSymbolEntry[]>();

/** The workspace-symbol entries of one indexed file (cached per parse). */
export function fileSymbolEntries(file: IndexedFile): WorkspaceSymbolEntry[] {
  let out = byFile.get(file);
  if (!out) byFile.set(file, (out = computeEntries(file)));
  return out;
}

function entry(file: IndexedFile, name: string, kind: WorkspaceSymbolKind, range: Range, container = file.relPath): WorkspaceSymbolEntry {
  const lower = name.toLowerCase();
  return { name, kind, container, path: file.path, range, lower, mask: charMask(lower) };
}

function computeEntries(file: IndexedFile): WorkspaceSymbolEntry[] {
  const out: WorkspaceSymbolEntry[] = [];
  const walk = (syms: readonly FileSymbol[], visit: (s: FileSymbol) => void): void => {
    for (const s of syms) {
      visit(s);
      if (s.children) walk(s.children, visit);
    }
  };
  switch (file.kind) {
    case 'runbook':
    case 'postmortem': {
      const title = file.runbook?.title ?? path.posix.basename(file.relPath);
      const h1 = file.symbols[0]?.selectionRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      out.push(entry(file, title, file.kind, h1));
      walk(file.symbols, (s) => {
        if (s.kind === 'section' && s.detail !== 'h1') out.push(entry(file, s.name, 'section', s.selectionRange, title));
      });
      break;
    }
    case 'terraform':
      for (const s of file.symbols) {
        if (s.kind === 'resource') out.push(entry(file, s.name, 'resource', s.selectionRange));
        else if (s.kind === 'data') out.push(entry(file, `data.${s.name}`, 'data', s.selectionRange));
        else if (s.kind === 'module') out.push(entry(file, `module.${s.name}`, 'module', s.selectionRange));
        else if (s.kind === 'variable') out.push(entry(file, `var.${s.name}`, 'variable', s.selectionRange));
        else if (s.kind === 'output') out.push(entry(file, `output.${s.name}`, 'output', s.selectionRange));
      }
      break;
    case 'alert-rules':
      for (const a of file.alerts ?? []) out.push(entry(file, a.name, 'alert', a.range));
      break;
    case 'ansible-playbook':
      for (const s of file.symbols) if (s.kind === 'play') out.push(entry(file, s.name, 'play', s.selectionRange));
      break;
    case 'github-workflow':
    case 'gitlab-ci':
    case 'cloud-build':
      for (const s of file.symbols) if (s.kind === 'job') out.push(entry(file, s.name, 'job', s.selectionRange));
      break;
    case 'k8s-manifest':
      for (const s of file.symbols) if (s.kind === 'object') out.push(entry(file, `${s.detail}/${s.name}`, 'object', s.selectionRange));
      break;
  }
  // A role is its tasks/main.yml: `roles/<name>/tasks/main.yml`.
  const role = roleOfPath(file.relPath);
  if (role && role.isMain) out.push(entry(file, role.name, 'role', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }));
  return out;
}

/** The Ansible role a file belongs to (`roles/<name>/…`, at any depth), and whether it is the role's tasks/main. */
export { roleOfPath } from '../ansibleRoles';
import { roleOfPath } from '../ansibleRoles';

/**
 * How well `query` matches `name` (both lower-case): a prefix beats a match at a word start,
 * which beats a scattered subsequence; shorter names win ties. Undefined: no match.
 */
export function fuzzyScore(query: string, name: string): number | undefined {
  if (!query) return 0;
  if (name.startsWith(query)) return 3000 - name.length;
  const at = name.indexOf(query);
  if (at > 0 && isWordStart(name, at)) return 2000 - name.length;
  if (at > 0) return 1500 - name.length;
  // Subsequence: every query character in order; matches at word starts count more.
  if (name.length < query.length) return undefined;
  let qi = 0;
  let bonus = 0;
  for (let i = 0; i < name.length && qi < query.length; i++) {
    if (name.charCodeAt(i) === query.charCodeAt(qi)) {
      if (isWordStart(name, i)) bonus += 5;
      qi++;
    }
  }
  if (qi < query.length) return undefined;
  return 1000 + Math.min(bonus, 400) - name.length;
}

/** Characters after which a new word starts: space, `.`, `_`, `/`, `-`, `:`. */
const SEPARATORS = new Set([32, 9, 46, 95, 47, 45, 58]);

function isWordStart(name: string, i: number): boolean {
  return i === 0 || SEPARATORS.has(name.charCodeAt(i - 1));
}

/** Symbols matching `query`, best first (at most `limit`). An empty query lists runbooks and alerts first. */
export function searchSymbols(index: IndexView, query: string, limit = 200): WorkspaceSymbolEntry[] {
  const q = query.trim().toLowerCase();
  const qMask = charMask(q);
  const scored: { e: WorkspaceSymbolEntry; score: number }[] = [];
  let worst = -Infinity;
  for (const f of index.files()) {
    for (const e of fileSymbolEntries(f)) {
      if ((e.mask & qMask) !== qMask) continue;
      const score = fuzzyScore(q, e.lower);
      if (score === undefined) continue;
      // Keep only what can still make the cut, so a short query over 10,000 files sorts little.
      if (scored.length >= limit * 4 && score <= worst) continue;
      scored.push({ e, score });
      if (scored.length === limit * 8) {
        scored.sort(compare);
        scored.length = limit * 4;
        worst = scored[scored.length - 1].score;
      }
    }
  }
  scored.sort(compare);
  return scored.slice(0, limit).map((s) => s.e);
}

function compare(a: { e: WorkspaceSymbolEntry; score: number }, b: { e: WorkspaceSymbolEntry; score: number }): number {
  // Plain code-unit order for ties: localeCompare is slow when thousands of sections share a name.
  return b.score - a.score || cmp(a.e.name, b.e.name) || cmp(a.e.path, b.e.path);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Terraform blocks by address (`aws_db_instance.legacy`, `data.aws_ami.base`, `module.vpc`). */
export function terraformByAddress(index: IndexView, address: string): WorkspaceSymbolEntry[] {
  const out: WorkspaceSymbolEntry[] = [];
  for (const f of index.byKind('terraform')) for (const e of fileSymbolEntries(f)) if (e.name === address && (e.kind === 'resource' || e.kind === 'data' || e.kind === 'module')) out.push(e);
  return out;
}
