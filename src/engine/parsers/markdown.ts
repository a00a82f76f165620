import MarkdownIt from 'markdown-it';
import { isMap, parseDocument } from 'yaml';
import { LineIndex, slugify } from '../text';
import { ParseError, Range } from '../types';
import { firstAliasRange, nodeRange, YamlFile, yamlSource } from './yaml';

// Markdown runbooks and postmortems: markdown-it gives the block structure with line maps;
// inline positions (links) are found on the source line, since markdown-it has no columns.

export interface Frontmatter {
  /** Parsed mapping (empty when the YAML is invalid or not a mapping). */
  data: Record<string, unknown>;
  /** Range of the whole block including the `---` fences. */
  range: Range;
  /** Range of each top-level key, for precise diagnostics. */
  keyRanges: Map<string, Range>;
  /** Range of each top-level value. */
  valueRanges: Map<string, Range>;
  /** First line after the opening fence, and the line of the closing fence. */
  contentStartLine: number;
  closeLine: number;
  valid: boolean;
}

export interface Heading {
  level: number;
  text: string;
  slug: string;
  line: number;
  range: Range;
}

export interface Section {
  heading: Heading;
  /** Last line (inclusive) that belongs to the section, sub-sections included. */
  endLine: number;
}

export interface MdLink {
  href: string;
  text: string;
  line: number;
  /** Range of the link destination as written. */
  range: Range;
  /** An image (`![alt](src)`) rather than a link; `href` is its source. */
  image?: boolean;
}

export interface CodeBlock {
  lang: string;
  content: string;
  /** Line of the opening fence; content starts on the next line. */
  line: number;
  endLine: number;
  range: Range;
}

export interface ListItem {
  text: string;
  line: number;
  range: Range;
  /** `- [ ]` / `- [x]` task items. */
  checked?: boolean;
}

export interface MarkdownFile {
  type: 'markdown';
  text: string;
  lines: LineIndex;
  frontmatter?: Frontmatter;
  headings: Heading[];
  sections: Section[];
  links: MdLink[];
  codeBlocks: CodeBlock[];
  listItems: ListItem[];
  /** HTML comments, where suppression directives live. */
  comments: { text: string; line: number; range: Range }[];
  errors: ParseError[];
}

type Token = MarkdownIt.Token;

const md = new MarkdownIt({ html: true, linkify: false });

const FRONTMATTER_OPEN = /^---[ \t]*\r?$/;
const FRONTMATTER_CLOSE = /^(---|\.\.\.)[ \t]*\r?$/;

export function parseMarkdown(text: string): MarkdownFile {
  const lines = new LineIndex(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const src = lines.text;
  const errors: ParseError[] = [];
  const file: MarkdownFile = { type: 'markdown', text: src, lines, headings: [], sections: [], links: [], codeBlocks: [], listItems: [], comments: [], errors };

  let bodyStartLine = 0;
  if (FRONTMATTER_OPEN.test(lines.line(0))) {
    let close = -1;
    for (let i = 1; i < lines.lineCount; i++) {
      if (FRONTMATTER_CLOSE.test(lines.line(i))) {
        close = i;
        break;
      }
    }
    if (close === -1) {
      errors.push({ message: 'Frontmatter opened with `---` on line 1 is never closed.', range: lines.lineRange(0), severity: 'error' });
    } else {
      file.frontmatter = parseFrontmatter(lines, close, errors);
      bodyStartLine = close + 1;
    }
  }

  let tokens: Token[];
  try {
    // Blank out the frontmatter rather than slicing it off, so markdown-it's line maps stay true.
    const body = bodyStartLine > 0 ? '\n'.repeat(bodyStartLine) + src.slice(lines.offsetAt({ line: bodyStartLine, character: 0 })) : src;
    tokens = md.parse(body, {});
  } catch (e) {
    errors.push({ message: `Markdown could not be parsed: ${(e as Error).message}`, range: lines.lineRange(0), severity: 'error' });
    return file;
  }

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'heading_open' && t.map) {
      const inline = tokens[i + 1];
      const text = inlineText(inline);
      const line = t.map[0];
      file.headings.push({ level: Number(t.tag.slice(1)), text, slug: slugify(text), line, range: lines.lineRange(line) });
    } else if ((t.type === 'fence' || t.type === 'code_block') && t.map) {
      const endLine = Math.max(t.map[0], t.map[1] - 1);
      file.codeBlocks.push({
        lang: t.info.trim().split(/\s+/)[0] ?? '',
        content: t.content,
        line: t.map[0],
        endLine,
        range: { start: lines.lineRange(t.map[0]).start, end: { line: endLine, character: lines.line(endLine).length } },
      });
    } else if (t.type === 'list_item_open' && t.map) {
      // The item's own paragraph is the next inline token.
      let j = i + 1;
      while (j < tokens.length && tokens[j].type !== 'inline' && tokens[j].type !== 'list_item_close') j++;
      const inline = tokens[j];
      const raw = inline && inline.type === 'inline' ? inline.content : '';
      const task = /^\[( |x|X)\]\s*/.exec(raw);
      const line = t.map[0];
      file.listItems.push({
        text: task ? raw.slice(task[0].length) : raw,
        line,
        range: lines.lineRange(line),
        checked: task ? task[1] !== ' ' : undefined,
      });
    } else if (t.type === 'html_block' && t.map) {
      collectComments(t.content, t.map[0], lines, file);
    }
    if (t.type === 'inline' && t.map && t.children) {
      collectInline(t, lines, file);
    }
  }

  // Sections: a heading owns everything up to the next heading of the same or a higher level.
  const last = lines.lineCount - 1;
  file.sections = file.headings.map((h, idx) => {
    let endLine = last;
    for (let k = idx + 1; k < file.headings.length; k++) {
      if (file.headings[k].level <= h.level) {
        endLine = file.headings[k].line - 1;
        break;
      }
    }
    return { heading: h, endLine };
  });
  return file;
}

function inlineText(token: Token | undefined): string {
  if (!token || token.type !== 'inline') return '';
  if (!token.children) return token.content;
  return token.children
    .filter((c) => c.type === 'text' || c.type === 'code_inline')
    .map((c) => c.content)
    .join('')
    .trim();
}

function collectInline(inline: Token, lines: LineIndex, file: MarkdownFile): void {
  const [startLine, endLine] = inline.map!;
  const children = inline.children!;
  // Search cursor, so two links with the same target on one line get their own ranges.
  let searchLine = startLine;
  let searchCol = 0;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (c.type === 'html_inline') collectComments(c.content, startLine, lines, file);
    const image = c.type === 'image';
    if (c.type !== 'link_open' && !image) continue;
    const href = String((image ? c.attrGet('src') : c.attrGet('href')) ?? '');
    let text = '';
    if (image) text = c.content;
    else for (let j = i + 1; j < children.length && children[j].type !== 'link_close'; j++) text += children[j].content;
    const search = (fromLine: number, fromCol: number): Range | undefined => {
      for (let ln = fromLine; ln < Math.max(endLine, startLine + 1); ln++) {
        const lineText = lines.line(ln);
        // The destination is written raw in the source; markdown-it normalises it (percent-encoding).
        const candidates = [href, safeDecode(href)];
        for (const cand of candidates) {
          if (!cand) continue;
          const col = lineText.indexOf(cand, ln === fromLine ? fromCol : 0);
          if (col >= 0) return { start: { line: ln, character: col }, end: { line: ln, character: col + cand.length } };
        }
      }
      return undefined;
    };
    // An image inside a link (`[![badge](b.svg)](target)`) comes after the link in the token
    // stream but before its destination in the source: search again from the start.
    const fromCursor = search(searchLine, searchCol);
    const found = fromCursor ?? (image ? search(startLine, 0) : undefined);
    const range = found ?? lines.lineRange(startLine);
    if (fromCursor) {
      searchLine = fromCursor.end.line;
      searchCol = fromCursor.end.character;
    }
    file.links.push(image ? { href, text, line: range.start.line, range, image: true } : { href, text, line: range.start.line, range });
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
}

function collectComments(html: string, firstLine: number, lines: LineIndex, file: MarkdownFile): void {
  const re = /<!--([\s\S]*?)-->/g;
  let m: RegExpExecArray | null;
  // Line breaks counted from the previous comment on, not from the block's start each time
  // (quadratic on an HTML block of thousands of comments).
  let lineOffset = 0;
  let counted = 0;
  while ((m = re.exec(html))) {
    for (let i = html.indexOf('\n', counted); i >= 0 && i < m.index; i = html.indexOf('\n', i + 1)) lineOffset++;
    counted = m.index;
    const line = firstLine + lineOffset;
    const col = lines.line(line).indexOf('<!--');
    file.comments.push({
      text: m[1].trim(),
      line,
      range: { start: { line, character: Math.max(0, col) }, end: { line, character: lines.line(line).length } },
    });
  }
}

function parseFrontmatter(lines: LineIndex, closeLine: number, errors: ParseError[]): Frontmatter {
  const startOffset = lines.offsetAt({ line: 1, character: 0 });
  const endOffset = lines.offsetAt({ line: closeLine, character: 0 });
  const yamlText = lines.text.slice(startOffset, endOffset);
  const fm: Frontmatter = {
    data: {},
    range: { start: { line: 0, character: 0 }, end: { line: closeLine, character: lines.line(closeLine).length } },
    keyRanges: new Map(),
    valueRanges: new Map(),
    contentStartLine: 1,
    closeLine,
    valid: true,
  };
  // Positions from the YAML parser are relative to the frontmatter text; shift by one line.
  const inner = new LineIndex(yamlText);
  const shift = (r: Range): Range => ({
    start: { line: r.start.line + 1, character: r.start.character },
    end: { line: r.end.line + 1, character: r.end.character },
  });
  const doc = parseDocument(yamlSource(yamlText), { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    fm.valid = false;
    for (const err of doc.errors) {
      errors.push({
        message: `Invalid frontmatter YAML: ${err.message.split('\n')[0]}`,
        range: shift(inner.rangeOf(err.pos[0], Math.max(err.pos[1], err.pos[0] + 1))),
        severity: 'error',
      });
    }
    return fm;
  }
  if (doc.contents === null) return fm;
  if (!isMap(doc.contents)) {
    fm.valid = false;
    errors.push({ message: 'Frontmatter must be a YAML mapping of keys (title, owner, service, tags, …).', range: fm.range, severity: 'error' });
    return fm;
  }
  const pseudo: YamlFile = { type: 'yaml', text: yamlText, lines: inner, docs: [], errors: [], skippedTemplate: false };
  let value: Record<string, unknown> | undefined;
  try {
    // Aliases that expand exponentially ("billion laughs") stop here, as a positioned error.
    value = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (e) {
    fm.valid = false;
    errors.push({ message: `Invalid frontmatter YAML: ${(e as Error).message}`, range: shift(firstAliasRange(doc, inner)), severity: 'error' });
    return fm;
  }
  fm.data = value ?? {};
  for (const pair of doc.contents.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    fm.keyRanges.set(key, shift(nodeRange(pseudo, pair.key as never)));
    if (pair.value) fm.valueRanges.set(key, shift(nodeRange(pseudo, pair.value as never)));
  }
  return fm;
}
