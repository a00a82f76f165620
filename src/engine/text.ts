import { Position, Range } from './types';

/**
 * Converts between string offsets and 0-based line/character positions for one text.
 * Built once per parse; lookups are a binary search over line starts.
 */
export class LineIndex {
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) starts.push(i + 1);
      else if (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    // An offset between the CR and LF of a line break is the end of the line's content.
    const inCrLf = o > 0 && this.text.charCodeAt(o) === 10 && this.text.charCodeAt(o - 1) === 13;
    return { line: lo, character: o - this.lineStarts[lo] - (inCrLf ? 1 : 0) };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.lineStarts.length) return this.text.length;
    return Math.min(this.lineStarts[Math.max(0, pos.line)] + pos.character, this.text.length);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** The text of line `n` without its line break. */
  line(n: number): string {
    if (n < 0 || n >= this.lineStarts.length) return '';
    const start = this.lineStarts[n];
    let end = n + 1 < this.lineStarts.length ? this.lineStarts[n + 1] : this.text.length;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }

  /** Range covering line `n` from its first non-blank character to its end. */
  lineRange(n: number): Range {
    const text = this.line(n);
    const first = text.length - text.trimStart().length;
    return { start: { line: n, character: first }, end: { line: n, character: text.length } };
  }

  /** The line break the file uses, so inserted text matches it. */
  get eol(): string {
    return this.text.includes('\r\n') ? '\r\n' : '\n';
  }
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function rangeContains(outer: Range, inner: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

/** GitHub-style heading slug, used to check `#anchor` links. */
export function slugify(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^<>]*>/g, '') // not `<[^>]*>`: quadratic on a run of `<` without `>`
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/**
 * Levenshtein distance of `a` and `b`, giving up early: once every path exceeds `limit` it
 * returns `limit + 1`. "Did you mean" searches pass their best distance so far, which keeps a
 * search over thousands of paths cheap.
 */
// Two rows reused across calls: a search calls this thousands of times.
let rowA = new Uint32Array(256);
let rowB = new Uint32Array(256);

export function editDistance(a: string, b: string, limit = Number.MAX_SAFE_INTEGER): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (rowA.length <= b.length) {
    rowA = new Uint32Array(b.length * 2 + 2);
    rowB = new Uint32Array(b.length * 2 + 2);
  }
  // A small limit (the did-you-mean searches): only the diagonal band |i - j| <= limit can hold a
  // distance within it, so the rest of the table is never computed (a few times fewer cells).
  if (limit < Math.max(a.length, b.length)) return bandedDistance(a, b, limit);
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    const swap = prev;
    prev = cur;
    cur = swap;
  }
  return prev[b.length];
}

/** editDistance within `limit`: exact up to it, `limit + 1` beyond (|a.length - b.length| <= limit). */
function bandedDistance(a: string, b: string, limit: number): number {
  const m = b.length;
  const over = limit + 1;
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= m; j++) prev[j] = j <= limit ? j : over;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - limit);
    const hi = Math.min(m, i + limit);
    cur[lo - 1] = lo === 1 ? Math.min(i, over) : over;
    let rowMin = cur[lo - 1];
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1), over);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < m) cur[hi + 1] = over;
    if (rowMin > limit) return over;
    const swap = prev;
    prev = cur;
    cur = swap;
  }
  return Math.min(prev[m], over);
}

/** Leading whitespace of a line. */
export function indentOf(lines: LineIndex, line: number): string {
  const t = lines.line(line);
  return t.slice(0, t.length - t.trimStart().length);
}

/**
 * Indexes of the markdown lines outside fenced code blocks (``` or ~~~), fence lines excluded:
 * the prose and headings a reader sees as text.
 */
export function* linesOutsideFences(lines: readonly string[]): Generator<number> {
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(lines[i]);
    if (f) {
      if (!fence) fence = f[1][0];
      else if (f[1][0] === fence) fence = undefined;
      continue;
    }
    if (!fence) yield i;
  }
}
