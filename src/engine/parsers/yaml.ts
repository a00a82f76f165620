import * as yamlLib from 'yaml';
import {
  Document,
  Node,
  Pair,
  parseAllDocuments,
  Scalar,
  Schema,
  visit,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { LineIndex } from '../text';
import { insideQuotes, rewriteTemplate, TemplateAction } from './template';
import { ParseError, Range } from '../types';

// Bound once: the bundle reaches a CommonJS package's exports through a getter on every call
// otherwise (a percent of a whole check, these run for every YAML key).
const { isMap, isPair, isScalar, isSeq } = yamlLib;

// YAML files (Ansible, alert rules, workflows, manifests) are parsed with `yaml`, keeping its
// CST-backed nodes: each node carries `range = [start, valueEnd, nodeEnd]` offsets, which
// `YamlFile.rangeOf` turns into positions, so rules can point at the exact key or value.

export interface YamlFile {
  type: 'yaml';
  text: string;
  lines: LineIndex;
  /** Every `---` separated document; an empty file has none. */
  docs: Document.Parsed[];
  errors: ParseError[];
  /** True when the file is a Go/Helm template that could not be parsed as YAML: rules skip it. */
  skippedTemplate: boolean;
  /** A template read as YAML once its actions were rewritten in place (see parsers/template.ts). */
  template?: TemplateAction[];
  /**
   * True when the strict read failed and a lenient one (duplicate keys allowed, a tab in the
   * indentation read as a space) succeeded: `docs` come from the lenient read, `errors` still
   * say what the strict read found.
   */
  lenient?: boolean;
}

// Tags that real operations files use and that must not be reported as unknown:
// Ansible vault, GitLab `!reference`, CloudFormation intrinsics.
const PASSTHROUGH_TAGS = ['!vault', '!unsafe', '!reference', '!Ref', '!Sub', '!GetAtt', '!Join', '!If', '!Select', '!Split', '!FindInMap', '!ImportValue', '!GetAZs', '!Base64', '!Cidr', '!Equals', '!And', '!Or', '!Not', '!Condition'];

const customTags = PASSTHROUGH_TAGS.flatMap((tag) => [
  { tag, resolve: (str: string) => str },
  { tag, collection: 'seq' as const, resolve: (seq: unknown) => seq },
  { tag, collection: 'map' as const, resolve: (map: unknown) => map },
]);

/**
 * The schema every document without a `%YAML` directive gets (YAML 1.2 core and the tags above):
 * built once instead of per document (yaml builds the tag list again for each one, a few percent
 * of a whole check). A directive may ask for YAML 1.1: those documents get their own.
 */
const coreSchema = new Schema({ resolveKnownTags: true, schema: 'core', customTags: customTags as never });
const schemaFor = (source: string): { schema: Schema } | { customTags: never } => (source.includes('%YAML') ? { customTags: customTags as never } : { schema: coreSchema });

/**
 * `readTemplates`: a Go/Helm template is read with its actions rewritten in place when that makes
 * it YAML (alert rule files and manifests); templated values read as values set at render time,
 * and `template` lists the actions so rules can tell a mapping that may get keys at render time.
 */
export function parseYaml(text: string, opts: { readTemplates?: boolean } = {}): YamlFile {
  const lines = new LineIndex(text);
  const errors: ParseError[] = [];
  let docs: Document.Parsed[] = [];
  const looksTemplated = looksLikeTemplate(text);
  // The parser builds an Error per problem; their stack traces (never shown) were a fifth of a
  // 10,000-file check, Helm templates being full of errors.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    docs = readDocuments(yamlSource(text), true);
  } catch (e) {
    errors.push({ message: `YAML could not be parsed: ${(e as Error).message}`, range: lines.rangeOf(0, 0), severity: 'error' });
    docs = [];
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  for (const doc of docs) for (const err of doc.errors) errors.push(yamlError(lines, err));
  if (errors.length && docs.length) {
    // Quoted values continued on under-indented lines are read by PyYAML (Ansible) and go-yaml
    // (Kubernetes) as the file's authors meant: so here too. The problems left are the file's.
    const joined = joinedQuotes(yamlSource(text));
    if (joined.spans.length) {
      const stackLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        const again = readDocuments(joined.text, true);
        const left = again.flatMap((d) => d.errors);
        if (left.length < errors.length) {
          foldJoined(again, joined.spans);
          docs = again;
          errors.length = 0;
          for (const err of left) errors.push(yamlError(lines, err));
        }
      } catch {
        // keep the strict read
      } finally {
        Error.stackTraceLimit = stackLimit;
      }
    }
  }
  const hasErrors = errors.some((e) => e.severity === 'error');
  let lenient = false;
  if (hasErrors && !looksTemplated && docs.length) {
    // What a tolerant reader makes of it: the rules that need the file still report the strict
    // problems, but a file nothing needs is not an error (see opsreview/parse-error).
    // Duplicate keys allowed, tabs in the indentation read as spaces.
    const stackLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      const retry = readDocuments(joinQuotedLines(tabsAsSpaces(yamlSource(text))), false);
      if (retry.every((d) => d.errors.length === 0)) {
        docs = retry;
        lenient = true;
      }
    } catch {
      // keep the strict read
    } finally {
      Error.stackTraceLimit = stackLimit;
    }
  }
  if (looksTemplated && opts.readTemplates) {
    // Many templates break YAML only where an action stands outside a quoted value
    // (`{{- include "labels" . | nindent 4 }}`, `namespace: {{ .Values.ns }}`): with those
    // rewritten in place (offsets kept) the rest is plain YAML, and its rules can run. Also when
    // the text happens to parse as it is (`replicas: {{ .Values.n }}` is a flow map to YAML).
    const rewritten = rewriteTemplate(text);
    const docs = rewritten ? readRewritten(rewritten.text) : undefined;
    if (rewritten && docs) return { type: 'yaml', text, lines, docs, errors: [], skippedTemplate: false, template: rewritten.actions };
  }
  if (hasErrors && looksTemplated) {
    // A Helm/Go template is not YAML until rendered: say so once and let rules skip it.
    return {
      type: 'yaml',
      text,
      lines,
      docs: [],
      errors: [{ message: 'Template ({{ … }} or %{ … }) is not valid YAML before rendering; OpsReview skipped it.', range: lines.lineRange(0), severity: 'info' }],
      skippedTemplate: true,
    };
  }
  return { type: 'yaml', text, lines, docs, errors, skippedTemplate: false, ...(lenient ? { lenient } : {}) };
}

function yamlError(lines: LineIndex, err: { message: string; pos: [number, number] }): ParseError {
  return {
    message: `Invalid YAML: ${/call stack/i.test(err.message) ? 'nested too deeply to read (thousands of levels); OpsReview stopped here' : firstLine(err.message)}`,
    range: clampToContent(lines, lines.rangeOf(err.pos[0], Math.max(err.pos[1], err.pos[0] + 1))),
    severity: 'error',
  };
}

function readDocuments(source: string, uniqueKeys: boolean): Document.Parsed[] {
  // No LineCounter: with prettyErrors off it only records line starts nothing reads (and every
  // document kept it, through its options). Positions come from `YamlFile.lines`.
  const docs = parseAllDocuments(source, {
    ...schemaFor(source),
    prettyErrors: false,
    uniqueKeys,
    strict: false,
  }) as Document.Parsed[];
  return Array.isArray(docs) ? docs : [docs as unknown as Document.Parsed];
}

/**
 * A quoted scalar continued on lines indented no deeper than its key (`description: "List of
 * regions for` / `applications (i.e. 'asia*')."` at the key's column) is valid to PyYAML and
 * Ansible, not to a strict reader: its line breaks read as spaces. Same length, so offsets hold
 * (the value keeps the continuation's indentation as spaces, which no rule of such a file reads).
 * Block scalars (`|`, `>`) and comments are left as written.
 */
export function joinQuotedLines(text: string): string {
  return joinedQuotes(text).text;
}

/** The joined text and the quoted scalars joined (offsets of their opening and closing quotes). */
function joinedQuotes(text: string): { text: string; spans: [number, number][] } {
  const spans: [number, number][] = [];
  if (text.indexOf('"') < 0 && text.indexOf("'") < 0) return { text, spans };
  const out = text.split('');
  let i = 0;
  let blockIndent = -1; // inside a block scalar: lines indented deeper than this belong to it
  while (i < text.length) {
    const eol = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    const line = text.slice(i, eol);
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) {
        i = eol + 1;
        continue;
      }
      blockIndent = -1;
    }
    let next = eol + 1;
    for (let k = indent; k < line.length; k++) {
      const ch = line[k];
      if (ch === '#' && (k === 0 || /\s/.test(line[k - 1]))) break;
      // A quote opens a scalar where a value starts: the line's start, after `key:`, `-`, `[`, `{`, `,`.
      if ((ch === '"' || ch === "'") && (k === indent || (/[\s[{,]/.test(line[k - 1]) && /[:\-[{,]$/.test(line.slice(indent, k).trimEnd())))) {
        const close = closingQuote(text, i + k + 1, ch);
        if (close < 0) break;
        if (close >= eol && !looksLikeStructure(text.slice(eol + 1, close))) {
          // Its line breaks inside read as spaces (a CR before one too).
          for (let j = i + k + 1; j < close; j++) if (text[j] === '\n' || (text[j] === '\r' && text[j + 1] === '\n')) out[j] = ' ';
          spans.push([i + k, close]);
          const after = text.indexOf('\n', close);
          next = after < 0 ? text.length : after + 1;
          break;
        }
        k = close - i;
        continue;
      }
      if (/^[|>][-+0-9]*\s*(#.*)?$/.test(line.slice(k).trimEnd()) && (k === indent || /[\s:-]/.test(line[k - 1]))) {
        blockIndent = indent;
        break;
      }
    }
    i = next;
  }
  return { text: spans.length ? out.join('') : text, spans };
}

/** The values of joined quoted scalars as a YAML reader folds them: a line break and its indentation are one space. */
function foldJoined(docs: Document.Parsed[], spans: [number, number][]): void {
  if (!spans.length) return;
  for (const doc of docs) {
    visit(doc, {
      Scalar(_key, node) {
        const r = node.range;
        if (r && typeof node.value === 'string' && spans.some(([a, b]) => r[0] <= a && b < r[1])) node.value = node.value.replace(/ {2,}/g, ' ');
      },
    });
  }
}

/**
 * Continuation lines that read as keys or list items: a quote left open by mistake runs into the
 * next task or key, and joining it would hide the mistake.
 */
function looksLikeStructure(continued: string): boolean {
  return /^[ \t]*(-[ \t]+|[\w.-]+:([ \t]|\r?$))/m.test(continued);
}

/** Offset of the quote closing a scalar opened just before `from` (`\"` escapes in double quotes, `''` in single); -1 if none. */
function closingQuote(text: string, from: number, quote: string): number {
  for (let j = from; j < text.length; j++) {
    const ch = text[j];
    if (quote === '"' && ch === '\\') {
      j++;
      continue;
    }
    if (ch === quote) {
      if (quote === "'" && text[j + 1] === "'") {
        j++;
        continue;
      }
      return j;
    }
  }
  return -1;
}

/** Tabs in a line's indentation read as one space each: same length, so offsets still hold. */
function tabsAsSpaces(text: string): string {
  return text.indexOf('\t') < 0 ? text : text.replace(/^[ \t]+/gm, (ws) => ws.replace(/\t/g, ' '));
}

/** The documents of a template's rewritten text; undefined when it still is not YAML. */
function readRewritten(blanked: string): Document.Parsed[] | undefined {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const docs = parseAllDocuments(yamlSource(blanked), { ...schemaFor(blanked), prettyErrors: false, uniqueKeys: true, strict: false });
    const list = (Array.isArray(docs) ? docs : [docs]) as Document.Parsed[];
    return list.some((d) => d.errors.length) ? undefined : list;
  } catch {
    return undefined;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * The text with every `{{ … }}` action that is not inside a quoted YAML scalar replaced by
 * spaces (line breaks kept), so every offset still points into the original. Actions inside
 * quotes (`summary: "{{ $labels.job }} is down"`) are valid YAML already and stay as written.
 */
export function blankTemplateActions(text: string): string {
  let out = '';
  let i = 0;
  let lineStart = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) break;
    const nl = text.lastIndexOf('\n', open - 1);
    if (nl + 1 > lineStart) lineStart = nl + 1;
    out += text.slice(i, open);
    const end = close + 2;
    if (insideQuotes(text.slice(lineStart, open))) out += text.slice(open, end);
    else out += text.slice(open, end).replace(/[^\r\n]/g, ' ');
    i = end;
  }
  return out + text.slice(i);
}

/**
 * `{{ … }}` somewhere: a Go/Helm template. A linear scan: the obvious regexp backtracks
 * quadratically over a long run of `{{` with no `}}`.
 */
// A Terraform `templatefile()` source: `%{ if … }`, `%{~ for … ~}`, `%{ endif }` directives.
const TF_DIRECTIVE = /%\{~?\s*(?:if|for|else|endif|endfor)\b/;

function looksLikeTemplate(text: string): boolean {
  if (text.includes('%{') && TF_DIRECTIVE.test(text)) return true;
  const open = text.indexOf('{{');
  if (open < 0) return false;
  return /\{\{[-\s]/.test(text) || text.indexOf('}}', open + 2) >= 0;
}

/**
 * The text handed to the YAML parser: a lone CR (old Mac line ends) becomes LF, which YAML
 * reads as a line break too. Same length, so every offset still points into the original.
 */
export function yamlSource(text: string): string {
  return text.indexOf('\r') >= 0 ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * The YAML parser reports an unclosed collection at the end of the file, often on an empty last
 * line; point at the end of the last line with content instead, where a person looks for it.
 */
function clampToContent(lines: LineIndex, r: Range): Range {
  if (lines.line(r.start.line).trim() !== '') return r;
  let n = r.start.line;
  while (n > 0 && lines.line(n).trim() === '') n--;
  for (let k = n + 1; k <= r.start.line; k++) if (lines.line(k).trim() !== '') return r;
  const end = lines.line(n).length;
  return { start: { line: n, character: Math.max(0, end - 1) }, end: { line: n, character: end } };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

/** Where the first alias (`*name`) is, for errors about alias expansion. */
export function firstAliasRange(doc: Document, lines: LineIndex): Range {
  let found: Range | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.range) found = lines.rangeOf(node.range[0], node.range[1]);
      return visit.BREAK;
    },
  });
  return found ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

// ---- helpers the rules use to walk YAML nodes --------------------------------------------

export type YNode = Node | null | undefined;

/** Range of a node (its value, without trailing comment), or of a pair's key. */
export function nodeRange(file: YamlFile, node: YNode | Pair): Range {
  if (node && isPair(node)) return nodeRange(file, node.key as Node);
  const r = (node as Node | undefined)?.range;
  if (!r) return file.lines.rangeOf(0, 0);
  return file.lines.rangeOf(r[0], r[1]);
}

/** Range spanning a pair from its key to the end of its value. */
export function pairRange(file: YamlFile, pair: Pair): Range {
  const k = (pair.key as Node | undefined)?.range;
  const v = (pair.value as Node | undefined)?.range;
  const start = k ? k[0] : v ? v[0] : 0;
  const end = v ? v[1] : k ? k[1] : start;
  return file.lines.rangeOf(start, end);
}

export function keyName(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return k.value == null ? undefined : String(k.value);
  return typeof k === 'string' ? k : undefined;
}

export function getPair(map: YNode, key: string): Pair<Scalar, Node> | undefined {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap<Scalar, Node>).items.find((p) => keyName(p) === key);
}

export function getNode(map: YNode, key: string): YNode {
  return getPair(map, key)?.value as YNode;
}

export function hasKey(map: YNode, key: string): boolean {
  return getPair(map, key) !== undefined;
}

export function pairs(map: YNode): Pair<Scalar, Node>[] {
  return isMap(map) ? (map as YAMLMap<Scalar, Node>).items : [];
}

export function seqItems(node: YNode): Node[] {
  return isSeq(node) ? ((node as YAMLSeq<Node>).items as Node[]) : [];
}

/** The JS value of a scalar node (`undefined` for maps, sequences and absent nodes). */
export function scalarValue(node: YNode): unknown {
  return isScalar(node) ? node.value : undefined;
}

export function stringValue(node: YNode): string | undefined {
  const v = scalarValue(node);
  return v === undefined || v === null ? undefined : String(v);
}

/** YAML 1.1-style truthiness as Ansible and Kubernetes read it (`yes`, `True`, `on`, …). */
export function isTrue(node: YNode): boolean {
  const v = scalarValue(node);
  if (v === true) return true;
  return typeof v === 'string' && /^(true|yes|on|y)$/i.test(v.trim());
}

export function tagOf(node: YNode): string | undefined {
  return (node as { tag?: string } | null | undefined)?.tag ?? undefined;
}

/** Column (0-based) at which a node starts, for building indented insertions. */
export function columnOf(file: YamlFile, node: YNode | Pair): number {
  return nodeRange(file, node).start.character;
}

export { isMap, isSeq, isScalar, isPair };

/** The YAML tree of a parsed file, unless it is not YAML or is a template that was skipped. */
export function yamlOf(parsed: { type: string }): YamlFile | undefined {
  const p = parsed as YamlFile;
  return p.type === 'yaml' && !p.skippedTemplate ? p : undefined;
}

/** The last line (0-based) holding non-blank text of a node or pair, for inserting after it (block scalars end on the next line). */
export function lastContentLine(file: YamlFile, node: YNode | Pair): number {
  const n = (isMap(node) || isSeq(node) || isScalar(node) ? node : (node as Pair | undefined)?.value ?? (node as Pair | undefined)?.key) as Node | undefined;
  const r = n?.range;
  if (!r) return 0;
  const end = file.lines.positionAt(r[1]);
  let line = end.character === 0 && end.line > 0 ? end.line - 1 : end.line;
  const startLine = file.lines.positionAt(r[0]).line;
  while (line > startLine && file.lines.line(line).trim() === '') line--;
  return line;
}
