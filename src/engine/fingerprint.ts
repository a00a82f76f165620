import type { FileSymbol, IndexedFile, IndexView } from './model';
import type { Finding, Position } from './types';

// A finding's identity that survives edits elsewhere in its file: the rule, the file (relative to
// the workspace), the subject it is about (the alert, resource, task, job or section holding it,
// from the file's outline) and its own line with whitespace normalised. Not the line number, so
// lines inserted or removed above it change nothing; an edit to the line itself (or moving it
// to another subject) makes it a new finding. Findings sharing all of that get an occurrence
// index (`…-1`, `…-2`), so one baseline entry hides one finding, never several.
// The baseline, SARIF `partialFingerprints` and GitLab's `fingerprint` all use it.

/** The outline path of what the finding is about, `alert HighErrorRate` or `Steps > Rollback`. */
export function findingSubject(file: IndexedFile | undefined, at: Position): string {
  if (!file?.symbols.length) return '';
  // By line: a finding on a symbol's first line (an alert's `- alert:` key) belongs to it.
  const inside = (s: FileSymbol): boolean => s.range.start.line <= at.line && at.line <= s.range.end.line;
  // The innermost chain of symbols whose range holds the position.
  const chain: FileSymbol[] = [];
  let level: FileSymbol[] | undefined = file.symbols;
  while (level?.length) {
    const hit: FileSymbol | undefined = level.find(inside);
    if (!hit) break;
    chain.push(hit);
    level = hit.children;
  }
  // Some outlines position a symbol by its name only (an alert's `alert:` line): then the thing
  // a finding belongs to is the last one that starts above it.
  if (!chain.length) {
    let last: FileSymbol | undefined;
    for (const s of file.symbols) if (s.range.start.line <= at.line) last = s;
    if (last) chain.push(last);
  }
  return chain.map((s) => `${s.kind} ${s.name}`).join(' > ');
}

/** The finding's line with runs of whitespace collapsed, trimmed, at most 200 characters. */
export function normaliseSnippet(line: string): string {
  return line.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** 64 bits of two FNV-style hashes, as 16 hex digits. */
export function hash64(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    h1 = Math.imul(h1 ^ s.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 + s.charCodeAt(i), 0x85ebca6b) >>> 0;
    h2 = (h2 ^ (h2 >>> 15)) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** The fingerprint before the occurrence index. */
export function baseFingerprint(ruleId: string, relPath: string, subject: string, snippet: string): string {
  return hash64(`${ruleId}\0${relPath}\0${subject}\0${snippet}`);
}

/** The workspace-relative path of a finding's file. */
export function relativeTo(root: string, p: string): string {
  return p.startsWith(root + '/') ? p.slice(root.length + 1) : p;
}

/**
 * Copies of `findings` with `fingerprint` set. Findings are numbered in their order (the engine
 * sorts them by position), so of two identical findings the upper one is `…` and the lower `…-1`.
 */
export function withFingerprints(findings: readonly Finding[], index: IndexView): Finding[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const file = index.get(f.path);
    const line = file && f.range.start.line < file.parsed.lines.lineCount ? file.parsed.lines.line(f.range.start.line) : '';
    const base = baseFingerprint(f.ruleId, relativeTo(index.root, f.path), f.subject ?? findingSubject(file, f.range.start), normaliseSnippet(line));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { ...f, fingerprint: n ? `${base}-${n}` : base };
  });
}

/** A finding's fingerprint, or (for findings that were never fingerprinted) one from its rule, file and message. */
export function fingerprintOf(f: Finding, root: string): string {
  return f.fingerprint ?? baseFingerprint(f.ruleId, relativeTo(root, f.path), '', f.message);
}
