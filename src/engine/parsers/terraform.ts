import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileSymbol } from '../model';
import { LineIndex } from '../text';
import type { ParseError, Range, Reference } from '../types';
import type { HclAttribute, HclBlock, HclBody, HclExpr, HclObjectItem, TerraformFile } from './hclAst';

// Terraform / HCL parser on tree-sitter (web-tree-sitter + the tree-sitter-hcl grammars, WASM).
// The concrete syntax tree is converted at once into the plain nodes of hclAst.ts and freed:
// rules never see tree-sitter. Parsing never throws; syntax errors become positioned ParseErrors
// and the part of the file that did parse is still returned, so rules keep working on it.

// web-tree-sitter is an ES module package with a CommonJS build; load the CJS build at run time
// (esbuild bundles it) and describe the little of its API we use.
interface TSPoint {
  row: number;
  column: number;
}
interface TSNode {
  type: string;
  isNamed: boolean;
  isError: boolean;
  isMissing: boolean;
  hasError: boolean;
  startIndex: number;
  endIndex: number;
  startPosition: TSPoint;
  endPosition: TSPoint;
  childCount: number;
  child(i: number): TSNode | null;
  children: (TSNode | null)[];
}
interface TSTree {
  rootNode: TSNode;
  delete(): void;
}
interface TSParser {
  setLanguage(lang: unknown): TSParser;
  /** Forgets a cancelled parse, which tree-sitter would otherwise resume on the next call. */
  reset(): void;
  parse(text: string, oldTree?: TSTree | null, options?: { progressCallback?: (state: { currentOffset: number; hasError: boolean }) => boolean | void }): TSTree | null;
}
interface TSModule {
  Parser: { init(opts?: { locateFile?: (name: string, scriptDir: string) => string }): Promise<void>; new (): TSParser };
  Language: { load(input: string | Uint8Array): Promise<unknown> };
  Query?: new (language: unknown, source: string) => TSQuery;
}
interface TSQuery {
  captures(node: TSNode): { name: string; node: TSNode }[];
}

let parser: TSParser | undefined;
/** `(comment) @c`: the comments of a tree without a syntax error, found inside WebAssembly. */
let commentQuery: TSQuery | undefined;
let initError: Error | undefined;

const RUNTIME_WASM = 'tree-sitter.wasm';
const GRAMMAR_WASM = 'tree-sitter-terraform.wasm';

/** Directory candidates for a WASM file: the given folder, next to this script (dist/), node_modules. */
function locate(file: string, wasmDir: string | undefined, resolveFrom: () => string | undefined): string {
  const candidates: string[] = [];
  if (wasmDir) candidates.push(path.join(wasmDir, file));
  if (typeof __dirname === 'string') candidates.push(path.join(__dirname, file));
  try {
    const dir = resolveFrom();
    if (dir) candidates.push(path.join(dir, file));
  } catch {
    // not installed beside us: the bundle case, handled by the candidates above
  }
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error(`OpsReview cannot find ${file} (looked in ${candidates.join(', ')})`);
}

/**
 * Loads the tree-sitter runtime and the Terraform grammar. `wasmDir` is where a bundle ships the
 * WASM files; without it they are looked up next to this script, then in node_modules.
 */
export async function initTerraformParser(wasmDir?: string): Promise<void> {
  if (parser) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('web-tree-sitter') as TSModule;
  const runtime = locate(RUNTIME_WASM, wasmDir, () => path.dirname(require.resolve('web-tree-sitter')));
  const grammar = locate(GRAMMAR_WASM, wasmDir, () => path.dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')));
  try {
    await ts.Parser.init({ locateFile: (name: string) => (name === RUNTIME_WASM ? runtime : path.join(path.dirname(runtime), name)) });
    const lang = await ts.Language.load(grammar);
    const p = new ts.Parser();
    p.setLanguage(lang);
    try {
      commentQuery = ts.Query ? new ts.Query(lang, '(comment) @c') : undefined;
    } catch {
      commentQuery = undefined; // the tree walk finds them instead
    }
    parser = p;
    initError = undefined;
  } catch (e) {
    initError = e as Error;
    throw e;
  }
}

/**
 * CPU time any file may take to parse, plus a millisecond per KB (1 MB/s; real Terraform parses
 * at several MB/s). Short enough that one hostile file cannot stall a language server for long.
 */
const PARSE_BUDGET_BASE_MS = 500;
/** The per-KB part stops here: 2 s in all, whatever the size (the index does not parse Terraform over 2 MB). */
const PARSE_BUDGET_MAX_EXTRA_MS = 1500;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Parses Terraform (`.tf`) or variable definitions (`.tfvars`). Never throws. */
export function parseTerraform(text: string): TerraformFile {
  const lines = new LineIndex(text);
  const file: TerraformFile = { type: 'terraform', text, lines, body: { attributes: [], blocks: [] }, comments: [], errors: [] };
  if (!parser) {
    file.errors.push({
      message: `The Terraform parser is not initialised${initError ? ` (${initError.message})` : ''}; this file was not checked.`,
      range: lines.lineRange(0),
      severity: 'error',
    });
    return file;
  }
  let tree: TSTree | null = null;
  try {
    // tree-sitter's error recovery is superlinear on some inputs (100,000 spaces after `x =`,
    // thousands of unclosed `"${`): give it a time budget that any real file stays far under.
    // CPU time, not wall time, so a loaded machine does not cut real files short.
    const budgetMs = PARSE_BUDGET_BASE_MS + Math.min(text.length / 1024, PARSE_BUDGET_MAX_EXTRA_MS);
    const started = cpuMs();
    let stoppedAt = -1;
    let lastLook = Date.now();
    tree = parser.parse(text, null, {
      progressCallback: (state) => {
        // Called very often: ask for CPU time (a system call) at most every 20 ms of wall time.
        const wall = Date.now();
        if (wall - lastLook < 20) return false;
        lastLook = wall;
        if (cpuMs() - started <= budgetMs) return false;
        stoppedAt = state.currentOffset;
        return true;
      },
    });
    if (!tree && stoppedAt >= 0) {
      parser.reset();
      const at = lines.positionAt(Math.min(stoppedAt / 2, text.length)); // byte offset of UTF-16 input
      file.errors.push({
        message: `The Terraform parser gave up on this file after ${(budgetMs / 1000).toFixed(1)} s (near line ${at.line + 1}): it is too irregular to check. Look for unbalanced quotes, braces or \`\${\` here.`,
        range: lines.lineRange(at.line),
        severity: 'error',
      });
      return file;
    }
    if (!tree) throw new Error('tree-sitter returned no tree');
    new Converter(text, lines, file).run(new CachedNode(tree.rootNode), commentQuery);
  } catch (e) {
    file.errors.push({ message: `OpsReview could not parse this Terraform file (${(e as Error).message}).`, range: lines.lineRange(0), severity: 'error' });
  } finally {
    tree?.delete();
  }
  return file;
}

class Converter {
  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly file: TerraformFile,
  ) {}

  run(root: TSNode, comments?: TSQuery): void {
    // Without a syntax error anywhere, `collect` would visit every node only to find the
    // comments: the query finds the same nodes, in the same (document) order, without
    // reading each node from WebAssembly.
    if (comments && !root.hasError && root instanceof CachedNode) {
      for (const { node } of comments.captures(root.node)) {
        const r = this.range(node);
        this.file.comments.push({ text: this.raw(node), line: r.start.line, range: r });
      }
    } else this.collect(root);
    for (const c of kids(root)) {
      if (c.type === 'body') this.body(c, this.file.body);
    }
  }

  private range(n: TSNode): Range {
    return this.lines.rangeOf(n.startIndex, n.endIndex);
  }

  private raw(n: TSNode): string {
    return this.text.slice(n.startIndex, n.endIndex);
  }

  /** Comments and syntax errors, anywhere in the tree. */
  private collect(n: TSNode): void {
    if (n.type === 'comment') {
      const r = this.range(n);
      this.file.comments.push({ text: this.raw(n), line: r.start.line, range: r });
      return;
    }
    if (n.isMissing) {
      this.error(n, true);
      return;
    }
    if (n.isError) {
      this.error(n, false);
      // comments inside an error region still carry directives
      this.comments(n);
      return;
    }
    if (!n.hasError && !hasComment(n)) return;
    for (const c of kids(n)) this.collect(c);
  }

  private comments(n: TSNode): void {
    for (const c of kids(n)) {
      if (c.type === 'comment') {
        const r = this.range(c);
        this.file.comments.push({ text: this.raw(c), line: r.start.line, range: r });
      } else this.comments(c);
    }
  }

  private error(n: TSNode, missing: boolean): void {
    const start = this.lines.positionAt(n.startIndex);
    let range: Range;
    let near: string;
    let what = missing ? `: missing \`${n.type}\`` : '';
    let unterminated: TSNode | undefined;
    if (missing) {
      // A zero-width node: point at the end of the previous token's line content.
      const lineText = this.lines.line(start.line);
      near = lineText.trim() || n.type;
      range = { start, end: start };
      if (start.character === 0 && start.line > 0 && !lineText.trim()) {
        // missing token at the start of an empty line: report on the previous non-empty line
        let l = start.line - 1;
        while (l > 0 && !this.lines.line(l).trim()) l--;
        near = this.lines.line(l).trim();
        const r = this.lines.lineRange(l);
        range = { start: r.end, end: r.end };
      }
    } else if (this.lines.positionAt(n.endIndex).line > start.line && (unterminated = findUnterminated(n))) {
      // HCL quoted strings end on their line: one that runs on is the real culprit.
      const at = this.lines.positionAt(unterminated.startIndex);
      const lr = this.lines.lineRange(at.line);
      near = this.lines.line(at.line).trim();
      range = { start: at, end: lr.end };
      what = ': unterminated string';
    } else {
      const firstLine = this.raw(n).split(/\r?\n|\r/).find((s) => s.trim()) ?? '';
      near = firstLine.trim();
      const end = this.lines.positionAt(n.endIndex);
      if (end.line === start.line) range = { start, end };
      else {
        const startLine = this.lines.positionAt(n.startIndex + this.raw(n).indexOf(firstLine)).line;
        const lr = this.lines.lineRange(startLine);
        range = startLine === start.line ? { start, end: lr.end } : lr;
      }
      if (!near) {
        near = this.lines.line(start.line).trim();
      }
    }
    if (near.length > 40) near = near.slice(0, 39) + '…';
    const err: ParseError = { message: `Terraform syntax error near \`${near}\`${what}`, range, severity: 'error' };
    if (!this.file.errors.some((e) => e.range.start.line === range.start.line && e.message === err.message)) this.file.errors.push(err);
  }

  private body(n: TSNode, out: HclBody): void {
    for (const c of kids(n)) {
      if (c.type === 'attribute') {
        const a = this.attribute(c);
        if (a) out.attributes.push(a);
      } else if (c.type === 'block') {
        const b = this.block(c);
        if (b) out.blocks.push(b);
      }
    }
  }

  private attribute(n: TSNode): HclAttribute | undefined {
    const cs = kids(n);
    const id = cs.find((c) => c.type === 'identifier');
    const expr = cs.find((c) => c.type === 'expression');
    if (!id || !expr || id.isMissing) return undefined;
    return { name: this.raw(id), nameRange: this.range(id), value: this.expr(expr), range: this.range(n) };
  }

  private block(n: TSNode): HclBlock | undefined {
    const cs = kids(n);
    const typeNode = cs[0];
    if (!typeNode || typeNode.type !== 'identifier') return undefined;
    const labels: string[] = [];
    const labelRanges: Range[] = [];
    let open: TSNode | undefined;
    let close: TSNode | undefined;
    let bodyNode: TSNode | undefined;
    for (const c of cs.slice(1)) {
      if (c.type === 'string_lit') {
        labels.push(this.stringLit(c));
        labelRanges.push(this.range(c));
      } else if (c.type === 'identifier' && !open) {
        labels.push(this.raw(c));
        labelRanges.push(this.range(c));
      } else if (c.type === 'block_start') open = c;
      else if (c.type === 'block_end') close = c;
      else if (c.type === 'body') bodyNode = c;
    }
    const r = this.range(n);
    const openBrace = open ? this.range(open) : { start: r.end, end: r.end };
    const closeBrace = close && !close.isMissing && close.endIndex > close.startIndex ? this.range(close) : { start: r.end, end: r.end };
    const block: HclBlock = {
      type: this.raw(typeNode),
      labels,
      typeRange: this.range(typeNode),
      labelRanges,
      range: r,
      openBrace,
      closeBrace,
      attributes: [],
      blocks: [],
    };
    if (bodyNode) this.body(bodyNode, block);
    return block;
  }

  /** The value of a `string_lit` node (label, literal string), escapes resolved. */
  private stringLit(n: TSNode): string {
    let s = '';
    for (const c of kids(n)) if (c.type === 'template_literal') s += this.raw(c);
    return unescapeHcl(s);
  }

  expr(n: TSNode): HclExpr {
    const range = this.range(n);
    const raw = this.raw(n);
    const other: HclExpr = { type: 'other', range, raw };
    if (n.type !== 'expression') return this.term(n, range, raw) ?? other;
    const cs = kids(n).filter((c) => c.type !== 'comment');
    if (cs.length === 0) return other;
    // `( expr )`
    if (cs[0].type === '(' && cs[1]?.type === 'expression') {
      return cs.length === 3 ? this.expr(cs[1]) : other;
    }
    const head = cs[0];
    if (head.type === 'variable_expr') {
      if (cs.slice(1).every((c) => ['get_attr', 'index', 'splat', 'legacy_index'].includes(c.type))) {
        return { type: 'reference', path: raw.replace(/\s+/g, ''), range, raw };
      }
      return other;
    }
    if (cs.length !== 1) return other;
    return this.term(head, range, raw) ?? other;
  }

  private term(n: TSNode, range: Range, raw: string): HclExpr | undefined {
    switch (n.type) {
      case 'expression':
        return this.expr(n);
      case 'literal_value':
        return this.literal(kids(n)[0], range, raw);
      case 'collection_value':
        return this.collection(kids(n)[0], range, raw);
      case 'template_expr':
        return this.template(kids(n)[0], range, raw);
      case 'function_call':
        return this.call(n, range, raw);
      case 'variable_expr':
        return { type: 'reference', path: raw.trim(), range, raw };
      default:
        return undefined;
    }
  }

  private literal(n: TSNode | undefined, range: Range, raw: string): HclExpr | undefined {
    if (!n) return undefined;
    switch (n.type) {
      case 'string_lit':
        return { type: 'string', value: this.stringLit(n), range, raw };
      case 'numeric_lit':
        return { type: 'number', value: Number(raw), range, raw };
      case 'bool_lit':
        return { type: 'bool', value: raw.trim() === 'true', range, raw };
      case 'null_lit':
        return { type: 'null', range, raw };
      default:
        return undefined;
    }
  }

  private collection(n: TSNode | undefined, range: Range, raw: string): HclExpr | undefined {
    if (!n) return undefined;
    if (n.type === 'tuple') {
      return { type: 'tuple', items: kids(n).filter((c) => c.type === 'expression').map((c) => this.expr(c)), range, raw };
    }
    if (n.type === 'object') {
      const items: HclObjectItem[] = [];
      for (const el of kids(n)) {
        if (el.type !== 'object_elem') continue;
        const parts = kids(el).filter((c) => c.type === 'expression');
        if (parts.length < 2) continue;
        const [k, v] = parts;
        const keyExpr = this.expr(k);
        const key = k.child(0)?.type === '('
          ? this.raw(k)
          : keyExpr.type === 'string' ? keyExpr.value : keyExpr.type === 'reference' && /^[A-Za-z_][\w-]*$/.test(keyExpr.path) ? keyExpr.path : keyExpr.raw;
        items.push({ key, keyRange: this.range(k), value: this.expr(v), range: this.range(el) });
      }
      return { type: 'object', items, range, raw };
    }
    return undefined;
  }

  private template(n: TSNode | undefined, range: Range, raw: string): HclExpr | undefined {
    if (!n) return undefined;
    const cs = kids(n);
    const dynamic = cs.some((c) => c.type === 'template_interpolation' || c.type === 'template_directive');
    if (n.type === 'quoted_template') {
      let value = '';
      for (const c of cs) {
        if (c.type === 'template_literal') value += unescapeHcl(this.raw(c));
        else if (c.type === 'template_interpolation' || c.type === 'template_directive') value += this.raw(c);
      }
      return { type: dynamic ? 'template' : 'string', value, range, raw };
    }
    if (n.type === 'heredoc_template') {
      const ids = cs.filter((c) => c.type === 'heredoc_identifier');
      const start = cs.find((c) => c.type === 'heredoc_start');
      if (ids.length < 2) return { type: dynamic ? 'template' : 'string', value: '', heredoc: true, range, raw };
      // The content runs from the line after `<<EOT` to the start of the closing marker's line.
      const afterOpen = this.lines.positionAt(ids[0].endIndex).line + 1;
      const contentStart = this.lines.offsetAt({ line: afterOpen, character: 0 });
      const closeLine = this.lines.positionAt(ids[ids.length - 1].startIndex).line;
      const contentEnd = this.lines.offsetAt({ line: closeLine, character: 0 });
      let value = contentStart <= contentEnd ? this.text.slice(contentStart, contentEnd) : '';
      if (start && this.raw(start).includes('-')) value = dedent(value);
      value = value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
      return { type: dynamic ? 'template' : 'string', value, heredoc: true, range, raw };
    }
    return undefined;
  }

  private call(n: TSNode, range: Range, raw: string): HclExpr | undefined {
    const cs = kids(n);
    const id = cs.find((c) => c.type === 'identifier');
    const argsNode = cs.find((c) => c.type === 'function_arguments');
    if (!id) return undefined;
    const args = argsNode ? kids(argsNode).filter((c) => c.type === 'expression').map((c) => this.expr(c)) : [];
    // provider-defined functions (`provider::aws::arn_parse`) keep their full name
    const name = this.text.slice(cs[0].startIndex, id.endIndex).trim();
    return { type: 'call', name, args, range, raw };
  }
}

/**
 * A tree-sitter node whose properties are read from WebAssembly once: every getter of a
 * web-tree-sitter node (`type`, `endIndex`, `isMissing`…) copies the node into WebAssembly memory
 * and calls into it, and the converter reads `type` of each node several times. Lives as long as
 * the conversion (the tree is deleted after it); the values are the node's own.
 */
class CachedNode implements TSNode {
  private _type: string | undefined;
  private _endIndex: number | undefined;
  private _isMissing: boolean | undefined;
  private _isError: boolean | undefined;
  private _hasError: boolean | undefined;
  private _childCount: number | undefined;
  private _children: (TSNode | null)[] | undefined;
  private _kids: TSNode[] | undefined;
  constructor(readonly node: TSNode) {}
  private get n(): TSNode {
    return this.node;
  }
  get type(): string {
    return (this._type ??= this.n.type);
  }
  get isNamed(): boolean {
    return this.n.isNamed;
  }
  get isError(): boolean {
    return (this._isError ??= this.n.isError);
  }
  get isMissing(): boolean {
    return (this._isMissing ??= this.n.isMissing);
  }
  get hasError(): boolean {
    return (this._hasError ??= this.n.hasError);
  }
  get startIndex(): number {
    return this.n.startIndex;
  }
  get endIndex(): number {
    return (this._endIndex ??= this.n.endIndex);
  }
  get startPosition(): TSPoint {
    return this.n.startPosition;
  }
  get endPosition(): TSPoint {
    return this.n.endPosition;
  }
  get childCount(): number {
    return (this._childCount ??= this.n.childCount);
  }
  get children(): (TSNode | null)[] {
    return (this._children ??= this.n.children.map((c) => (c ? new CachedNode(c) : null)));
  }
  child(i: number): TSNode | null {
    return i >= 0 && i < this.childCount ? (this.children[i] ?? null) : null;
  }
  /** The non-null children, computed once (callers only read the list). */
  kids(): TSNode[] {
    return (this._kids ??= this.childCount ? this.children.filter((c): c is TSNode => c !== null) : []);
  }
}

function kids(n: TSNode): TSNode[] {
  if (n instanceof CachedNode) return n.kids();
  // `children` walks them once; `child(i)` starts over from the first child on every call, which
  // is quadratic in an error node of 24,000 `{` (four seconds, a minute at 64 KB).
  return n.childCount ? n.children.filter((c): c is TSNode => c !== null) : [];
}

function findUnterminated(n: TSNode): TSNode | undefined {
  for (const c of kids(n)) {
    if ((c.type === 'string_lit' || c.type === 'quoted_template') && kids(c).some((t) => t.type === 'template_literal' && t.startPosition.row !== t.endPosition.row)) return c;
    const inner = c.childCount ? findUnterminated(c) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

function hasComment(n: TSNode): boolean {
  // Comments are "extras" that may appear anywhere; only bodies and collections hold them in practice.
  return n.childCount > 0;
}

/** Resolves HCL string escapes (`\n`, `\"`, `\uXXXX`, `$${`, `%%{`). */
export function unescapeHcl(s: string): string {
  if (!/[\\$%]/.test(s)) return s;
  return s
    .replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[nrt"\\])/g, (_m, e: string) => {
      switch (e[0]) {
        case 'n':
          return '\n';
        case 'r':
          return '\r';
        case 't':
          return '\t';
        case '"':
          return '"';
        case '\\':
          return '\\';
        default:
          return String.fromCodePoint(parseInt(e.slice(1), 16));
      }
    })
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');
}

/** `<<-EOT` heredocs: remove the indentation common to all non-blank lines. */
function dedent(s: string): string {
  const ls = s.split('\n');
  let min = Infinity;
  for (const l of ls) {
    if (!l.trim()) continue;
    const ind = l.length - l.trimStart().length;
    if (ind < min) min = ind;
  }
  if (!isFinite(min) || min === 0) return s;
  return ls.map((l) => (l.trim() ? l.slice(min) : l.replace(/^[ \t]+/, ''))).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Symbols and references for the index.

const SYMBOL_BLOCKS: Record<string, FileSymbol['kind']> = {
  resource: 'resource',
  data: 'data',
  module: 'module',
  variable: 'variable',
  output: 'output',
  provider: 'provider',
};

/** Outline of a Terraform file: resources, data sources, modules, variables, outputs, providers. */
export function terraformSymbols(file: TerraformFile): FileSymbol[] {
  const out: FileSymbol[] = [];
  for (const b of file.body.blocks) {
    const kind = SYMBOL_BLOCKS[b.type];
    if (!kind) continue;
    let name: string;
    let detail: string;
    if (kind === 'resource' || kind === 'data') {
      name = b.labels.length >= 2 ? `${b.labels[0]}.${b.labels[1]}` : (b.labels[0] ?? '(unnamed)');
      detail = kind === 'data' ? `data ${b.labels[0] ?? ''}`.trim() : (b.labels[0] ?? 'resource');
    } else if (kind === 'provider') {
      const alias = b.attributes.find((a) => a.name === 'alias');
      name = b.labels[0] ?? '(unnamed)';
      detail = alias && alias.value.type === 'string' ? `provider (alias ${alias.value.value})` : 'provider';
    } else if (kind === 'module') {
      name = b.labels[0] ?? '(unnamed)';
      const src = b.attributes.find((a) => a.name === 'source');
      detail = src && src.value.type === 'string' ? src.value.value : 'module';
    } else {
      name = b.labels[0] ?? '(unnamed)';
      detail = kind;
    }
    const selectionRange = b.labelRanges.length ? { start: b.typeRange.start, end: b.labelRanges[b.labelRanges.length - 1].end } : b.typeRange;
    out.push({ name, detail, kind, range: b.range, selectionRange });
  }
  return out;
}

/** Local module sources (`./x`, `../x`) as references to the module's directory. */
export function terraformReferences(file: TerraformFile, filePath: string): Reference[] {
  const out: Reference[] = [];
  const dir = path.posix.dirname(filePath.replace(/\\/g, '/'));
  for (const b of file.body.blocks) {
    if (b.type !== 'module') continue;
    const src = b.attributes.find((a) => a.name === 'source');
    if (!src || src.value.type !== 'string') continue;
    const raw = src.value.value;
    if (!raw.startsWith('./') && !raw.startsWith('../')) continue;
    // `./modules/x//sub` is go-getter subdirectory syntax; locally it is the same folder path.
    const rel = raw.replace(/\/\/+/g, '/');
    let target = path.posix.normalize(path.posix.join(dir, rel));
    if (target.length > 1 && target.endsWith('/')) target = target.slice(0, -1);
    out.push({ target, range: src.value.range, kind: 'module_source', raw });
  }
  return out;
}
