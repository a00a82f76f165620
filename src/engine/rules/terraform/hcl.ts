import * as path from 'node:path';
import type { IndexedFile } from '../../model';
import type { HclAttribute, HclBlock, HclBody, HclExpr, TerraformFile } from '../../parsers/hclAst';
import { indentOf, type LineIndex } from '../../text';
import type { Range, TextEdit } from '../../types';
import type { RuleContext } from '../types';

// Helpers the Terraform rules share: lookups in the plain HCL tree, the files of a module,
// evaluation of literal / merge() / local.x / var.x expressions to key sets when (and only when)
// they can be resolved statically, and IAM policy extraction from jsonencode(), heredoc JSON and
// aws_iam_policy_document data sources.

export type TfContext = RuleContext<TerraformFile>;

export function attr(body: HclBody | undefined, name: string): HclAttribute | undefined {
  return body?.attributes.find((a) => a.name === name);
}

export function blocksOf(body: HclBody | undefined, type: string, ...labels: string[]): HclBlock[] {
  if (!body) return [];
  return body.blocks.filter((b) => b.type === type && labels.every((l, i) => b.labels[i] === l));
}

/** `resource` blocks, optionally only of the given types. */
export function resources(file: TerraformFile, ...types: string[]): HclBlock[] {
  return file.body.blocks.filter((b) => b.type === 'resource' && b.labels.length >= 2 && (types.length === 0 || types.includes(b.labels[0])));
}

/** From the first label to the last: `"aws_s3_bucket" "receipts"`, where "this resource" findings go. */
export function labelsRange(b: HclBlock): Range {
  if (b.labelRanges.length === 0) return b.typeRange;
  return { start: b.labelRanges[0].start, end: b.labelRanges[b.labelRanges.length - 1].end };
}

export function address(b: HclBlock): string {
  return b.type === 'data' ? `data.${b.labels.join('.')}` : b.type === 'resource' ? b.labels.join('.') : `${b.type}.${b.labels.join('.')}`;
}

export function str(e: HclExpr | undefined): string | undefined {
  return e && e.type === 'string' ? e.value : undefined;
}

export function isTrueExpr(e: HclExpr | undefined): boolean {
  return !!e && ((e.type === 'bool' && e.value) || (e.type === 'string' && e.value === 'true'));
}

export function isFalseExpr(e: HclExpr | undefined): boolean {
  return !!e && ((e.type === 'bool' && !e.value) || (e.type === 'string' && e.value === 'false'));
}

/** A number literal, or a numeric string literal. */
export function num(e: HclExpr | undefined): number | undefined {
  if (!e) return undefined;
  if (e.type === 'number') return e.value;
  if (e.type === 'string' && /^-?\d+$/.test(e.value.trim())) return Number(e.value);
  return undefined;
}

/** Literal strings of a tuple (or one literal string); `undefined` when any element is not literal. */
export function stringList(e: HclExpr | undefined): { value: string; range: Range }[] | undefined {
  if (!e) return undefined;
  if (e.type === 'string') return [{ value: e.value, range: e.range }];
  if (e.type !== 'tuple') return undefined;
  const out: { value: string; range: Range }[] = [];
  for (const it of e.items) {
    if (it.type !== 'string') return undefined;
    out.push({ value: it.value, range: it.range });
  }
  return out;
}

export function posixDir(p: string): string {
  return path.posix.dirname(p.replace(/\\/g, '/'));
}

// ---------------------------------------------------------------------------------------------
// Modules: the .tf files of one directory, their locals and variables.

export interface ModuleScope {
  dir: string;
  files: TerraformFile[];
  locals: Map<string, HclExpr>;
  variables: Map<string, HclBlock>;
}

const scopeCache = new WeakMap<object, Map<string, ModuleScope>>();

/**
 * The module (directory) of `dir`: every indexed `.tf` file in it, with `current` standing for
 * its own path (the file being linted may be newer than the index's copy).
 */
export function moduleScope(ctx: TfContext, dir: string): ModuleScope {
  let perCtx = scopeCache.get(ctx);
  if (!perCtx) {
    perCtx = new Map();
    scopeCache.set(ctx, perCtx);
  }
  const cached = perCtx.get(dir);
  if (cached) return cached;
  const files: TerraformFile[] = [];
  for (const f of ctx.index.inDir(dir)) {
    if (f.kind !== 'terraform' || f.path === ctx.file.path) continue;
    if (f.parsed.type === 'terraform') files.push(f.parsed);
  }
  if (posixDir(ctx.file.path) === dir && ctx.file.kind === 'terraform') files.unshift(ctx.parsed);
  const locals = new Map<string, HclExpr>();
  const variables = new Map<string, HclBlock>();
  for (const f of files) {
    for (const b of f.body.blocks) {
      if (b.type === 'locals') for (const a of b.attributes) locals.set(a.name, a.value);
      else if (b.type === 'variable' && b.labels[0]) variables.set(b.labels[0], b);
    }
  }
  const scope = { dir, files, locals, variables };
  perCtx.set(dir, scope);
  return scope;
}

/** `.tfvars` files of a directory (their top-level attributes set root-module variables). */
export function tfvarsFiles(ctx: TfContext, dir: string): TerraformFile[] {
  return ctx.index
    .inDir(dir)
    .filter((f) => f.kind === 'terraform-vars' && f.parsed.type === 'terraform')
    .map((f) => f.parsed as TerraformFile);
}

export interface ModuleCall {
  /** The file holding the `module` block. */
  file: IndexedFile;
  block: HclBlock;
  dir: string;
}

/** `module` blocks elsewhere in the workspace whose local `source` is `dir`. */
export function callersOf(ctx: TfContext, dir: string): ModuleCall[] {
  const out: ModuleCall[] = [];
  for (const f of ctx.index.referrers(dir)) {
    if (f.kind !== 'terraform' || f.parsed.type !== 'terraform') continue;
    for (const r of f.references) {
      if (r.kind !== 'module_source' || r.target !== dir) continue;
      const block = (f.parsed as TerraformFile).body.blocks.find(
        (b) => b.type === 'module' && attr(b, 'source')?.value.range.start.line === r.range.start.line && attr(b, 'source')?.value.range.start.character === r.range.start.character,
      );
      if (block) out.push({ file: f, block, dir: posixDir(f.path) });
    }
  }
  return out;
}

/**
 * Does this directory look like a root module (one `terraform apply` runs in)? It configures a
 * provider, a backend or Terraform Cloud, or has `.tfvars` beside it. Modules without any of these
 * get their provider configuration and inputs from callers.
 */
export function isRootModule(ctx: TfContext, scope: ModuleScope): boolean {
  for (const f of scope.files) if (configuresRoot(f)) return true;
  return tfvarsFiles(ctx, scope.dir).length > 0;
}

/** Per parse: whether a file holds a `provider` block or a backend / Terraform Cloud setting (asked for every file of a module, for every file of it). */
const rootMarks = new WeakMap<TerraformFile, boolean>();

function configuresRoot(f: TerraformFile): boolean {
  let marked = rootMarks.get(f);
  if (marked === undefined) {
    marked = f.body.blocks.some((b) => b.type === 'provider' || (b.type === 'terraform' && (blocksOf(b, 'backend').length > 0 || blocksOf(b, 'cloud').length > 0)));
    rootMarks.set(f, marked);
  }
  return marked;
}

/**
 * Is this a reusable module: called by another module of the workspace (a module repository's
 * `examples/` call its root), or kept under a `modules/` folder without a provider, backend or
 * `.tfvars` of its own? Its variables are filled in by callers, so what it can decide is limited:
 * `lifecycle` cannot take a variable, and tag values come from the caller.
 */
export function isReusableModule(ctx: TfContext, scope: ModuleScope): boolean {
  if (callersOf(ctx, scope.dir).length > 0) return true;
  const rel = scope.dir.startsWith(ctx.index.root + '/') ? scope.dir.slice(ctx.index.root.length + 1) : '';
  return /(^|\/)modules\//.test(rel) && !isRootModule(ctx, scope);
}

/** Local module calls of a file: each `module` block with the directory its `source` names. */
export function localModuleCalls(ctx: TfContext): { block: HclBlock; dir: string }[] {
  const out: { block: HclBlock; dir: string }[] = [];
  for (const b of ctx.parsed.body.blocks) {
    if (b.type !== 'module') continue;
    const src = attr(b, 'source')?.value;
    if (!src) continue;
    const ref = ctx.file.references.find(
      (r) => r.kind === 'module_source' && r.range.start.line === src.range.start.line && r.range.start.character === src.range.start.character,
    );
    if (ref) out.push({ block: b, dir: ref.target });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Static evaluation of map keys (tags, labels).

/**
 * The keys of a map-valued expression, or `undefined` when they cannot be known statically.
 * Understands object literals, `merge()`, `tomap()`, `local.x`, `var.x` (the values callers pass,
 * values set in `.tfvars` next to a root module, else the default), `null` and `{}`.
 */
export function resolveKeys(ctx: TfContext, e: HclExpr | undefined, scope: ModuleScope, depth = 0, vars?: ReadonlyMap<string, Set<string> | undefined>): Set<string> | undefined {
  if (!e || depth > 8) return undefined;
  switch (e.type) {
    case 'null':
      return new Set();
    case 'object': {
      const keys = new Set<string>();
      for (const it of e.items) {
        // `(var.k) = …` and interpolated keys are unknown
        if (it.key.startsWith('(') || it.key.includes('${')) return undefined;
        keys.add(it.key);
      }
      return keys;
    }
    case 'call': {
      if (e.name === 'tomap' && e.args.length === 1) return resolveKeys(ctx, e.args[0], scope, depth + 1, vars);
      if (e.name !== 'merge') return undefined;
      const keys = new Set<string>();
      for (const a of e.args) {
        const k = resolveKeys(ctx, a, scope, depth + 1, vars);
        if (!k) return undefined;
        for (const x of k) keys.add(x);
      }
      return keys;
    }
    case 'reference': {
      // `vars`: the keys one particular caller gives this module's variables.
      const v = /^var\.([A-Za-z_][\w-]*)$/.exec(e.path);
      if (vars && v && vars.has(v[1])) return vars.get(v[1]);
      const value = resolveReference(ctx, e.path, scope, depth);
      if (!value) return undefined;
      return intersectAll(value.map((x) => resolveKeys(ctx, x.expr, x.scope, depth + 1, x.scope === scope ? vars : undefined)));
    }
    default:
      return undefined;
  }
}

interface ScopedExpr {
  expr: HclExpr;
  scope: ModuleScope;
}

/**
 * The expression(s) `local.x` / `var.x` may stand for. Several when a module has several callers
 * (or a root module several `.tfvars`): a key counts only if every one of them supplies it.
 */
export function resolveReference(ctx: TfContext, ref: string, scope: ModuleScope, depth = 0): ScopedExpr[] | undefined {
  if (depth > 8) return undefined;
  const m = /^(local|var)\.([A-Za-z_][\w-]*)$/.exec(ref);
  if (!m) return undefined;
  if (m[1] === 'local') {
    const v = scope.locals.get(m[2]);
    return v ? [{ expr: v, scope }] : undefined;
  }
  const variable = scope.variables.get(m[2]);
  if (!variable) return undefined;
  const def = attr(variable, 'default')?.value;
  const callers = callersOf(ctx, scope.dir);
  if (callers.length > 0) {
    const out: ScopedExpr[] = [];
    for (const c of callers) {
      const arg = attr(c.block, m[2])?.value;
      if (arg) out.push({ expr: arg, scope: moduleScope(ctx, c.dir) });
      else if (def) out.push({ expr: def, scope });
      else return undefined;
    }
    return out;
  }
  // Nobody in the workspace calls this module: a root module's values come from .tfvars or the
  // defaults; a reusable module's come from callers we cannot see.
  if (!isRootModule(ctx, scope)) return undefined;
  const fromVars = tfvarsFiles(ctx, scope.dir)
    .map((f) => attr(f.body, m[2])?.value)
    .filter((v): v is HclExpr => !!v);
  if (fromVars.length > 0) return fromVars.map((expr) => ({ expr, scope }));
  return def ? [{ expr: def, scope }] : undefined;
}

function intersectAll(sets: (Set<string> | undefined)[]): Set<string> | undefined {
  let out: Set<string> | undefined;
  for (const s of sets) {
    if (!s) return undefined;
    out = out ? new Set([...out].filter((k) => s.has(k))) : new Set(s);
  }
  return out;
}

/** Follows `local.x` (only locals: a variable's default is not its value) to the expression it names. */
export function followLocal(e: HclExpr | undefined, scope: ModuleScope, depth = 0): HclExpr | undefined {
  if (!e || depth > 8) return e;
  if (e.type === 'reference') {
    const m = /^local\.([A-Za-z_][\w-]*)$/.exec(e.path);
    if (m) {
      const v = scope.locals.get(m[1]);
      return v ? followLocal(v, scope, depth + 1) : undefined;
    }
  }
  return e;
}

// ---------------------------------------------------------------------------------------------
// IAM policies.

/** A policy value with positions: from jsonencode({...}) or from JSON text in the file. */
export type PolicyValue =
  | { kind: 'string'; value: string; range: Range }
  | { kind: 'array'; items: PolicyValue[]; range: Range }
  | { kind: 'object'; entries: { key: string; keyRange: Range; value: PolicyValue }[]; range: Range }
  | { kind: 'other'; range: Range };

export interface PolicyStatement {
  effect: 'Allow' | 'Deny' | 'unknown';
  actions?: PolicyValue[];
  /** `Action` / `actions` key, where findings about the statement's actions go. */
  actionsKeyRange?: Range;
  notActions: boolean;
  resources?: PolicyValue[];
  principal?: PolicyValue;
  principalKeyRange?: Range;
  /** The statement names a principal (a resource-based policy: bucket, key, queue policy). */
  hasPrincipal: boolean;
  /** True when the statement has conditions (they may narrow an otherwise broad grant). */
  hasCondition: boolean;
  range: Range;
}

/** Converts an HCL expression (a `jsonencode` argument) into a policy value. */
export function policyFromHcl(e: HclExpr): PolicyValue {
  switch (e.type) {
    case 'string':
      return { kind: 'string', value: e.value, range: e.range };
    case 'tuple':
      return { kind: 'array', items: e.items.map(policyFromHcl), range: e.range };
    case 'object':
      return { kind: 'object', entries: e.items.map((it) => ({ key: it.key, keyRange: it.keyRange, value: policyFromHcl(it.value) })), range: e.range };
    default:
      return { kind: 'other', range: e.range };
  }
}

/**
 * A policy document written as `jsonencode({...})`, a heredoc or a JSON string, possibly behind a
 * `local.x`. Returns undefined for references to `aws_iam_policy_document` (see policyDocumentBlocks)
 * and anything else that is not a literal policy.
 */
export function policyValue(e: HclExpr | undefined, lines: LineIndex, scope?: ModuleScope): PolicyValue | undefined {
  const v = scope ? followLocal(e, scope) : e;
  if (!v) return undefined;
  if (v.type === 'call' && v.name === 'jsonencode' && v.args.length === 1) return policyFromHcl(v.args[0]);
  if ((v.type === 'string' || v.type === 'template') && v.heredoc) {
    // Parse the heredoc body where it stands in the file, so positions are exact (JSON ignores
    // the indentation `<<-` would strip).
    const start = lines.offsetAt({ line: v.range.start.line + 1, character: 0 });
    const endLine = v.range.end.line;
    const end = lines.offsetAt({ line: endLine, character: 0 });
    return parseJsonAt(lines, start, end);
  }
  if (v.type === 'string' && v.value.trim().startsWith('{')) {
    // A quoted JSON string: escapes break the offset mapping, so everything points at the string.
    const inner = parseJsonText(v.value);
    return inner ? relocate(inner, v.range) : undefined;
  }
  return undefined;
}

/** Statements of a policy value (`Statement` may be one object or a list). */
export function policyStatements(p: PolicyValue | undefined): PolicyStatement[] {
  if (!p || p.kind !== 'object') return [];
  const st = entry(p, 'Statement');
  if (!st) return [];
  const list = st.value.kind === 'array' ? st.value.items : [st.value];
  const out: PolicyStatement[] = [];
  for (const s of list) {
    if (s.kind !== 'object') continue;
    const effect = entry(s, 'Effect');
    const action = entry(s, 'Action') ?? entry(s, 'NotAction');
    const resource = entry(s, 'Resource') ?? entry(s, 'NotResource');
    const principal = entry(s, 'Principal');
    out.push({
      effect: !effect ? 'Allow' : effect.value.kind === 'string' ? (effect.value.value === 'Deny' ? 'Deny' : effect.value.value === 'Allow' ? 'Allow' : 'unknown') : 'unknown',
      actions: action ? listOf(action.value) : undefined,
      actionsKeyRange: action?.keyRange,
      notActions: !!entry(s, 'NotAction'),
      resources: resource && !entry(s, 'NotResource') ? listOf(resource.value) : undefined,
      principal: principal?.value,
      principalKeyRange: principal?.keyRange,
      hasPrincipal: !!principal || !!entry(s, 'NotPrincipal'),
      hasCondition: !!entry(s, 'Condition'),
      range: s.range,
    });
  }
  return out;
}

/** Statements of a `data "aws_iam_policy_document"` block. */
export function policyDocumentStatements(doc: HclBlock): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  for (const s of blocksOf(doc, 'statement')) {
    const effect = attr(s, 'effect')?.value;
    const actions = attr(s, 'actions') ?? attr(s, 'not_actions');
    const res = attr(s, 'resources');
    const principals = blocksOf(s, 'principals');
    let principal: PolicyValue | undefined;
    let principalKeyRange: Range | undefined;
    for (const p of principals) {
      const ids = attr(p, 'identifiers');
      const type = str(attr(p, 'type')?.value);
      const list = ids ? stringList(ids.value) : undefined;
      // `type = "*"` or `type = "AWS"` with `identifiers = ["*"]` is everyone
      const star = list?.find((i) => i.value === '*');
      if (star && (type === '*' || type === 'AWS')) {
        principal = { kind: 'string', value: '*', range: star.range };
        principalKeyRange = star.range;
      }
    }
    out.push({
      effect: !effect ? 'Allow' : effect.type === 'string' ? (effect.value === 'Deny' ? 'Deny' : effect.value === 'Allow' ? 'Allow' : 'unknown') : 'unknown',
      actions: actions ? listOf(policyFromHcl(actions.value)) : undefined,
      actionsKeyRange: actions?.nameRange,
      notActions: !!attr(s, 'not_actions'),
      resources: res ? listOf(policyFromHcl(res.value)) : undefined,
      principal,
      principalKeyRange,
      hasPrincipal: principals.length > 0 || blocksOf(s, 'not_principals').length > 0,
      hasCondition: blocksOf(s, 'condition').length > 0,
      range: s.range,
    });
  }
  return out;
}

/** `data "aws_iam_policy_document" "x"` blocks of a module, by name. */
export function policyDocuments(scope: ModuleScope): Map<string, HclBlock> {
  const out = new Map<string, HclBlock>();
  for (const f of scope.files) for (const b of blocksOf(f.body, 'data', 'aws_iam_policy_document')) if (b.labels[1]) out.set(b.labels[1], b);
  return out;
}

/** `data.aws_iam_policy_document.<name>.json` -> name. */
export function policyDocumentRef(e: HclExpr | undefined): string | undefined {
  if (!e || e.type !== 'reference') return undefined;
  const m = /^data\.aws_iam_policy_document\.([\w-]+)\.(json|minified_json)$/.exec(e.path);
  return m?.[1];
}

/** Is this principal everyone (`"*"` or `{ AWS = "*" }`)? Returns the range of the `*`. */
export function publicPrincipal(p: PolicyValue | undefined): Range | undefined {
  if (!p) return undefined;
  if (p.kind === 'string') return p.value === '*' ? p.range : undefined;
  if (p.kind === 'object') {
    for (const e of p.entries) {
      if (e.key !== 'AWS') continue;
      for (const v of listOf(e.value)) if (v.kind === 'string' && v.value === '*') return v.range;
    }
  }
  return undefined;
}

function entry(o: PolicyValue, key: string): { key: string; keyRange: Range; value: PolicyValue } | undefined {
  return o.kind === 'object' ? o.entries.find((e) => e.key === key) : undefined;
}

function listOf(v: PolicyValue): PolicyValue[] {
  return v.kind === 'array' ? v.items : [v];
}

function relocate(v: PolicyValue, r: Range): PolicyValue {
  switch (v.kind) {
    case 'array':
      return { kind: 'array', items: v.items.map((i) => relocate(i, r)), range: r };
    case 'object':
      return { kind: 'object', entries: v.entries.map((e) => ({ key: e.key, keyRange: r, value: relocate(e.value, r) })), range: r };
    default:
      return { ...v, range: r };
  }
}

function parseJsonText(text: string): PolicyValue | undefined {
  const fake = { positionAt: () => ({ line: 0, character: 0 }) } as unknown as LineIndex;
  return new JsonReader(text, 0, text.length, fake).read();
}

/** Parses JSON in `lines.text[start, end)` into a policy value with file positions. */
export function parseJsonAt(lines: LineIndex, start: number, end: number): PolicyValue | undefined {
  return new JsonReader(lines.text, start, end, lines).read();
}

/** A small JSON reader that keeps offsets (JSON.parse does not). Interpolations are read as strings. */
class JsonReader {
  private i: number;
  constructor(
    private readonly s: string,
    start: number,
    private readonly end: number,
    private readonly lines: LineIndex,
  ) {
    this.i = start;
  }

  read(): PolicyValue | undefined {
    try {
      const v = this.value();
      return v;
    } catch {
      return undefined;
    }
  }

  private r(a: number, b: number): Range {
    return { start: this.lines.positionAt(a), end: this.lines.positionAt(b) };
  }

  private ws(): void {
    while (this.i < this.end && /\s/.test(this.s[this.i])) this.i++;
  }

  private value(): PolicyValue {
    this.ws();
    const c = this.s[this.i];
    const start = this.i;
    if (c === '{') {
      this.i++;
      const entries: { key: string; keyRange: Range; value: PolicyValue }[] = [];
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return { kind: 'object', entries, range: this.r(start, this.i) };
      }
      for (;;) {
        this.ws();
        const ks = this.i;
        const key = this.string();
        const keyRange = this.r(ks, this.i);
        this.ws();
        if (this.s[this.i] !== ':') throw new Error('expected :');
        this.i++;
        entries.push({ key, keyRange, value: this.value() });
        this.ws();
        if (this.s[this.i] === ',') {
          this.i++;
          continue;
        }
        if (this.s[this.i] === '}') {
          this.i++;
          return { kind: 'object', entries, range: this.r(start, this.i) };
        }
        throw new Error('expected , or }');
      }
    }
    if (c === '[') {
      this.i++;
      const items: PolicyValue[] = [];
      this.ws();
      if (this.s[this.i] === ']') {
        this.i++;
        return { kind: 'array', items, range: this.r(start, this.i) };
      }
      for (;;) {
        items.push(this.value());
        this.ws();
        if (this.s[this.i] === ',') {
          this.i++;
          continue;
        }
        if (this.s[this.i] === ']') {
          this.i++;
          return { kind: 'array', items, range: this.r(start, this.i) };
        }
        throw new Error('expected , or ]');
      }
    }
    if (c === '"') {
      const value = this.string();
      return { kind: 'string', value, range: this.r(start, this.i) };
    }
    if (c === '$' && this.s[this.i + 1] === '{') {
      // `${jsonencode(var.x)}` in a heredoc: an unknown value
      let depth = 0;
      do {
        if (this.s[this.i] === '{') depth++;
        else if (this.s[this.i] === '}') depth--;
        this.i++;
      } while (depth > 0 && this.i < this.end);
      return { kind: 'other', range: this.r(start, this.i) };
    }
    const m = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(this.s.slice(this.i, Math.min(this.end, this.i + 40)));
    if (!m) throw new Error('unexpected character');
    this.i += m[0].length;
    return { kind: 'other', range: this.r(start, this.i) };
  }

  private string(): string {
    if (this.s[this.i] !== '"') throw new Error('expected string');
    this.i++;
    let out = '';
    while (this.i < this.end) {
      const c = this.s[this.i];
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const n = this.s[this.i + 1];
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
        this.i += 2;
        continue;
      }
      if (c === '\n') throw new Error('newline in string');
      out += c;
      this.i++;
    }
    throw new Error('unterminated string');
  }
}

// ---------------------------------------------------------------------------------------------
// Text edits.

export { indentOf };

/** The indentation unit: a tab when the file indents with tabs, else two spaces (terraform fmt). */
export function indentUnit(lines: LineIndex): string {
  for (let n = 0; n < Math.min(lines.lineCount, 200); n++) {
    const ind = indentOf(lines, n);
    if (!ind) continue;
    return ind.startsWith('\t') ? '\t' : '  ';
  }
  return '  ';
}

/**
 * Inserts lines (already without indentation) as the last lines of a multi-line block, indented
 * one level in from its closing brace; undefined for a one-line block.
 */
export function appendToBlockEdit(lines: LineIndex, b: HclBlock, body: string[]): TextEdit | undefined {
  const close = b.closeBrace;
  if (close.start.line === b.openBrace.start.line || lines.line(close.start.line).trim() !== '}') return undefined;
  const outer = indentOf(lines, close.start.line);
  const unit = indentUnit(lines);
  const pos = { line: close.start.line, character: 0 };
  const text = body.map((l) => (l ? `${outer}${unit}${l.replace(/^ {2}/gm, unit)}` : '') + lines.eol).join('');
  return { range: { start: pos, end: pos }, newText: text };
}

/** An HCL object key: bare when it is an identifier, quoted otherwise. */
export function hclKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k);
}

/** A Terraform state lock table: a DynamoDB table keyed by `LockID`, as the S3 backend wants it. Its rows are locks held for seconds. */
export function isStateLockTable(b: HclBlock): boolean {
  return b.labels[0] === 'aws_dynamodb_table' && str(attr(b, 'hash_key')?.value) === 'LockID';
}
