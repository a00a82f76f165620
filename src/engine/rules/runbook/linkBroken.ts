import * as path from 'node:path';
import type { IndexedFile } from '../../model';
import type { MarkdownFile, MdLink } from '../../parsers/markdown';
import type { Fix, Reference, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { editDistance } from '../../text';
import { MARKDOWN_KINDS, mdOf } from './runbookUtil';

// A runbook that says "fail over first, see [database failover](db-failover.md)" and leads to a
// 404 costs the responder minutes at the worst time. Relative links and images must point at a
// file of the workspace, and `#anchor`s at a heading of the target (GitHub's slugs). The index
// keeps every link in reverse, so renaming, deleting or editing the target re-checks this file.
// External links (http, mailto, …) and root-absolute paths are not judged; anchors are checked
// only in markdown files the index has read (runbooks and postmortems, and the file itself).
export const rule: Rule<MarkdownFile> = {
  meta: {
    id: 'runbook/link-broken',
    description: 'A relative link or image points to a file, or a heading anchor, that does not exist.',
    defaultSeverity: 'warning',
    practice: 'runbook-maintenance',
    kinds: MARKDOWN_KINDS,
    fixable: true,
    crossFile: true,
    equivalents: [{ tool: 'markdownlint', id: 'MD051' }],
  },
  check(ctx) {
    const md = mdOf(ctx.parsed);
    if (!md) return [];
    const root = ctx.index.root;
    const out: RuleFinding[] = [];
    // Everything looked up per reference is built once per check: a runbook may hold 100,000
    // links or 10,000 headings, and per-reference searches made that quadratic.
    const linkAt = new Map<string, MdLink>();
    for (const l of md.links) linkAt.set(`${l.range.start.line}:${l.range.start.character}`, l);
    const anchors = new Map<MarkdownFile, Set<string>>();
    const anchorsOf = (m: MarkdownFile): Set<string> => {
      let set = anchors.get(m);
      if (!set) anchors.set(m, (set = headingSlugs(m)));
      return set;
    };
    const htmlIds = new Map<MarkdownFile, Set<string>>();
    const htmlIdsOf = (m: MarkdownFile): Set<string> => {
      let set = htmlIds.get(m);
      if (!set) htmlIds.set(m, (set = htmlAnchors(m.text)));
      return set;
    };
    const suggest = new Suggestions();
    const liquid = liquidBranches(md);
    for (const ref of ctx.file.references) {
      if (ref.kind !== 'link') continue;
      // A link inside a Jekyll/Liquid conditional (`{% if page.url contains … %}`) is for the copy
      // of the page the site renders under that condition, where it resolves; it is not judged.
      if (liquid.some(([a, b]) => ref.range.start.line > a && ref.range.start.line < b)) continue;
      if (out.length >= MAX_FINDINGS) {
        // Past this many, more findings help no one and cost the editor dearly (100,000 links).
        out.push({ range: ref.range, message: `More than ${MAX_FINDINGS} broken links in this file; the ones from here on are not checked. Fix these first.` });
        break;
      }
      const link = linkAt.get(`${ref.range.start.line}:${ref.range.start.character}`);
      const what = link?.image ? 'Image' : 'Link';
      // The text at the range is the destination as written, unless the parser fell back to the line.
      const written = md.text.slice(md.lines.offsetAt(ref.range.start), md.lines.offsetAt(ref.range.end));
      const exact = written === ref.raw || written === safeDecode(ref.raw);
      const written0 = ref.target.length > 1 ? ref.target.replace(/\/+$/, '') : ref.target; // `../scripts/`
      // Documentation sites link to the rendered page (`rotate.html`, `rotate/`), whose source is
      // `rotate.html.md.erb` (Middleman tech-docs), `rotate.md` (Jekyll, Hugo, mkdocs) or an index.
      const target = ctx.index.exists(written0) ? written0 : renderedSource(written0, (p) => ctx.index.exists(p)) ?? written0;
      const self = target === ctx.file.path;
      const rel = path.posix.relative(root, target);
      if (!self && (rel.startsWith('..') || path.posix.isAbsolute(rel))) continue; // outside the workspace
      if (!self && !ctx.index.exists(target) && clampedOnSite(ctx.file.path, written0, root, (p) => ctx.index.exists(p))) continue;
      if (!self && !ctx.index.exists(target)) {
        const closest = /\.(md|markdown)$/i.test(target) ? suggest.file(rel, (budget) => closestMarkdown(rel, ctx.index.files(), ctx.file.path, ctx.index, budget)) : undefined;
        const fixes: Fix[] = [];
        if (closest && exact) {
          fixes.push({
            title: `Point the link at ${closest.file.relPath}`,
            isPreferred: closest.unique,
            edits: [{ range: ref.range, newText: newHref(written, ref, closest.file, ctx.file.path) }],
          });
        }
        out.push({
          range: ref.range,
          message: `${what} target \`${pathPart(written || ref.raw)}\` does not exist (${rel})${closest ? `; did you mean ${closest.file.relPath}?` : '.'}`,
          fixes: fixes.length ? fixes : undefined,
        });
        continue;
      }
      if (!ref.fragment || link?.image) continue;
      const targetMd = self ? md : markdownOf(ctx.index.get(target));
      if (!targetMd) continue; // not markdown, or a markdown file the index does not read
      const fragment = safeDecodeComponent(ref.fragment);
      // `#TODO-url`, `#tbd`: a link left to fill in is a placeholder (runbook/placeholder's), not a broken anchor.
      if (PLACEHOLDER_FRAGMENT.test(fragment)) continue;
      const slugs = anchorsOf(targetMd);
      if (slugs.has(fragment.toLowerCase()) || htmlIdsOf(targetMd).has(fragment)) continue;
      const best = suggest.slug(target, fragment.toLowerCase(), slugs);
      const where = self ? 'this file' : rel;
      const fixes: Fix[] = [];
      const hash = written.lastIndexOf('#');
      if (best && exact && hash >= 0) {
        const start = { line: ref.range.start.line, character: ref.range.start.character + hash + 1 };
        fixes.push({ title: `Point the anchor at #${best}`, isPreferred: true, edits: [{ range: { start, end: ref.range.end }, newText: best }] });
      }
      out.push({
        range: ref.range,
        message: `No heading \`#${fragment}\` in ${where}${best ? `; did you mean #${best}?` : slugs.size ? '.' : ' (it has no headings).'}`,
        fixes: fixes.length ? fixes : undefined,
      });
    }
    return out;
  },
};

/** Findings one file may get from this rule. */
const MAX_FINDINGS = 1000;

/**
 * Did-you-mean answers, memoised per missing target and bounded in total: past the budget a
 * broken link is still reported, just without a suggestion, so a file with thousands of broken
 * links against thousands of headings or files stays linear.
 */
class Suggestions {
  /** Candidate comparisons (edit distances) one file may spend on suggestions. */
  private readonly budget = { left: 200_000 };
  private readonly files = new Map<string, ReturnType<typeof closestMarkdown>>();
  private readonly slugs = new Map<string, string | undefined>();

  file(missingRel: string, search: (budget: { left: number }) => ReturnType<typeof closestMarkdown>): ReturnType<typeof closestMarkdown> {
    if (this.files.has(missingRel)) return this.files.get(missingRel);
    const found = this.budget.left > 0 ? search(this.budget) : undefined;
    this.files.set(missingRel, found);
    return found;
  }

  slug(target: string, fragment: string, slugs: Set<string>): string | undefined {
    const key = `${target}#${fragment}`;
    if (this.slugs.has(key)) return this.slugs.get(key);
    let best: string | undefined;
    if (this.budget.left >= slugs.size) {
      this.budget.left -= slugs.size;
      best = closestSlug(fragment, slugs);
    }
    this.slugs.set(key, best);
    return best;
  }
}

function markdownOf(f: IndexedFile | undefined): MarkdownFile | undefined {
  return f?.parsed.type === 'markdown' ? f.parsed : undefined;
}

/** Line spans of Liquid conditionals (`{% if %}` … `{% endif %}`, `{% unless %}`, `{% case %}`), outermost. */
function liquidBranches(md: MarkdownFile): [number, number][] {
  if (!md.text.includes('{%')) return [];
  const out: [number, number][] = [];
  let depth = 0;
  let start = -1;
  for (let n = 0; n < md.lines.lineCount; n++) {
    const l = md.lines.line(n);
    for (const m of l.matchAll(/\{%-?\s*(if|unless|case|endif|endunless|endcase)\b/g)) {
      if (!m[1].startsWith('end')) {
        if (depth++ === 0) start = n;
      } else if (depth > 0 && --depth === 0) out.push([start, n]);
    }
  }
  return out;
}

/** GitHub's anchors: each heading's slug, repeated slugs suffixed `-1`, `-2`, … */
export function headingSlugs(md: MarkdownFile): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const h of md.headings) {
    const n = seen.get(h.slug) ?? 0;
    seen.set(h.slug, n + 1);
    out.add((n ? `${h.slug}-${n}` : h.slug).toLowerCase());
    // Redcarpet-style renderers (Middleman, GOV.UK tech-docs) slug the HTML-escaped text: an
    // apostrophe becomes `-39-` (`&#39;`), an ampersand `-amp-`. The published page has that anchor.
    if (/['"&<>]/.test(h.text)) {
      const escaped = h.text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      out.add(escaped.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, ''));
    }
  }
  return out;
}

/**
 * `id`/`name` attributes of HTML tags in the text (`<a name="rollback">`), found in one linear
 * pass: an attribute counts when the last `<` before it comes after the last `>`.
 */
/** The source file of a rendered page a documentation site links to, when the repository has it. */
export function renderedSource(target: string, exists: (p: string) => boolean): string | undefined {
  const candidates: string[] = [];
  const html = /\.html?$/i.exec(target);
  if (html) {
    const stem = target.slice(0, html.index);
    candidates.push(`${stem}.html.md.erb`, `${stem}.html.md`, `${stem}.html.erb`, `${stem}.md`, `${stem}.markdown`, `${stem}.mdx`);
    if (/\/index$/i.test(stem)) candidates.push(`${stem.slice(0, -'/index'.length)}/README.md`, `${stem.slice(0, -'/index'.length)}/_index.md`);
  } else if (!/\.[a-z0-9]{1,8}$/i.test(target.slice(target.lastIndexOf('/') + 1))) {
    // An extension-less page URL (`runbooks/rotate`, `runbooks/rotate/`).
    candidates.push(`${target}.md`, `${target}.html.md.erb`, `${target}.html.md`, `${target}.mdx`, `${target}/index.md`, `${target}/_index.md`, `${target}/README.md`, `${target}/index.html.md.erb`);
  }
  return candidates.find(exists);
}

function htmlAnchors(text: string): Set<string> {
  const out = new Set<string>();
  const re = /\s(?:id|name)=["']?([^"'\s>]+)/gi;
  let lastLt = -1;
  let lastGt = -1;
  let scanned = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    for (; scanned < m.index; scanned++) {
      const c = text.charCodeAt(scanned);
      if (c === 60 /* < */) lastLt = scanned;
      else if (c === 62 /* > */) lastGt = scanned;
    }
    if (lastLt > lastGt && /^<[a-z]/i.test(text.slice(lastLt, lastLt + 2))) out.add(m[1]);
  }
  return out;
}

function closestSlug(fragment: string, slugs: Iterable<string>): string | undefined {
  const threshold = Math.max(3, Math.floor(fragment.length / 2));
  let best: { slug: string; d: number } | undefined;
  for (const s of slugs) {
    const d = editDistance(fragment, s, best ? best.d : threshold);
    if (d <= threshold && (!best || d < best.d)) best = { slug: s, d };
  }
  return best?.slug;
}

/**
 * The markdown files of the index, looked up by folder, by file name and by file name with one
 * character deleted: the candidates a did-you-mean search needs, so it does not compare a
 * missing path with every file of a 10,000-file workspace. Built once per index generation, with
 * each file's lower-cased name and folder, and the folder distances searches have computed.
 */
interface MarkdownFinder {
  byDir: Map<string, Candidate[]>;
  /** File name (and each one-deletion variant of it) -> files. */
  byName: Map<string, Candidate[]>;
  /** Folder -> folder -> the folder part of the distance (at most 2). */
  dirDistance: Map<string, Map<string, number>>;
  /** Searches run so far (marks which candidates a search has gathered). */
  searches: number;
}

interface Candidate {
  file: IndexedFile;
  /** Lower-cased file name and folder of its workspace path. */
  base: string;
  dir: string;
  /** The last search that gathered this file. */
  search: number;
}

const finders = new WeakMap<object, { generation: number; finder: MarkdownFinder }>();

function finderOf(files: Iterable<IndexedFile>, index?: { generation?: number }): MarkdownFinder {
  const cached = index && index.generation !== undefined ? finders.get(index) : undefined;
  if (cached && cached.generation === index!.generation) return cached.finder;
  const finder: MarkdownFinder = { byDir: new Map(), byName: new Map(), dirDistance: new Map(), searches: 0 };
  const add = (map: Map<string, Candidate[]>, key: string, c: Candidate): void => {
    const list = map.get(key);
    if (!list) map.set(key, [c]);
    else if (list[list.length - 1] !== c) list.push(c);
  };
  for (const f of files) {
    if (f.parsed.type !== 'markdown') continue;
    const rel = f.relPath.toLowerCase();
    const c: Candidate = { file: f, base: path.posix.basename(rel), dir: path.posix.dirname(rel), search: 0 };
    add(finder.byDir, c.dir, c);
    for (const key of nameKeys(c.base)) add(finder.byName, key, c);
  }
  if (index && index.generation !== undefined) finders.set(index, { generation: index.generation, finder });
  return finder;
}

/** A file name and its one-deletion variants (symmetric-delete lookup of near names). */
function nameKeys(name: string): string[] {
  const keys = [name];
  if (name.length <= 64) for (let i = 0; i < name.length; i++) keys.push(name.slice(0, i) + name.slice(i + 1));
  return keys;
}

/**
 * The markdown file of the index whose path is closest to the missing one: by the whole
 * workspace path, or by the file name (a file moved to another folder), when reasonably close.
 * Candidates are the files of the same folder and files elsewhere whose name is within one edit.
 */
export function closestMarkdown(
  missingRel: string,
  files: Iterable<IndexedFile>,
  self: string,
  index?: { generation?: number },
  budget?: { left: number },
): { file: IndexedFile; unique: boolean } | undefined {
  const missing = missingRel.toLowerCase();
  const base = path.posix.basename(missing);
  const dir = path.posix.dirname(missing);
  const finder = finderOf(files, index);
  // The files of the same folder, then those of near names, each once (a search mark instead of
  // a Set: a search may gather hundreds of candidates, and a workspace many searches).
  const search = ++finder.searches;
  const candidates: Candidate[] = [];
  const gather = (list: Candidate[] | undefined): void => {
    if (!list) return;
    for (const c of list) {
      if (c.search === search) continue;
      c.search = search;
      candidates.push(c);
    }
  };
  gather(finder.byDir.get(dir));
  for (const key of nameKeys(base)) gather(finder.byName.get(key));
  if (budget) {
    if (budget.left < candidates.length) return undefined;
    budget.left -= candidates.length;
  }
  // Matches farther than this are not offered, so the search can stop early at that distance.
  const threshold = Math.max(2, Math.floor(base.replace(/\.(md|markdown)$/, '').length / 3));
  let best: { file: IndexedFile; d: number } | undefined;
  let ties = 0;
  // Distance = the names' edits plus the folders': a typo in the folder (`runbook/` for
  // `runbooks/`) costs its own edits, a move to any other folder 2. Once per pair of folders.
  let fromDir = finder.dirDistance.get(dir);
  if (!fromDir) finder.dirDistance.set(dir, (fromDir = new Map()));
  const dirEdits = (d: string): number => {
    if (d === dir) return 0;
    let n = fromDir!.get(d);
    if (n === undefined) fromDir!.set(d, (n = Math.min(2, editDistance(dir, d, 2))));
    return n;
  };
  for (const c of candidates) {
    const f = c.file;
    if (f.path === self) continue;
    // What the name may cost at most: the best so far (or the threshold) less the folder's edits.
    const folder = dirEdits(c.dir);
    const limit = (best ? best.d : threshold) - folder;
    if (limit < 0) continue;
    const d = editDistance(base, c.base, limit) + folder;
    if (d > threshold) continue;
    if (!best || d < best.d) {
      best = { file: f, d };
      ties = 0;
    } else if (d === best.d) {
      ties++;
      // Ties go to the first path in sort order, so the fix does not depend on indexing order.
      if (f.relPath.localeCompare(best.file.relPath) < 0) best = { file: f, d };
    }
  }
  if (!best) return undefined;
  return { file: best.file, unique: ties === 0 };
}

/** The destination rewritten to `target`, relative to the linking file, keeping `./` and `#anchor`. */
function newHref(written: string, _ref: Reference, target: IndexedFile, from: string): string {
  const hash = written.indexOf('#');
  const suffix = hash >= 0 ? written.slice(hash) : '';
  let rel = path.posix.relative(path.posix.dirname(from), target.path);
  if (written.startsWith('./') && !rel.startsWith('../')) rel = `./${rel}`;
  return rel.replace(/ /g, '%20') + suffix;
}

function pathPart(href: string): string {
  const hash = href.indexOf('#');
  return hash >= 0 ? href.slice(0, hash) : href;
}

function safeDecode(s: string): string {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
}

function safeDecodeComponent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The source folder of the static site a page belongs to: Middleman / GOV.UK tech-docs
 * (`source/` beside `config.rb` or `config/tech-docs.yml`) or Jekyll (a folder with
 * `_config.yml`). Undefined when the page is not part of one.
 */
function siteSourceOf(file: string, root: string, exists: (p: string) => boolean): string | undefined {
  for (let dir = path.posix.dirname(file); dir.length >= root.length; dir = path.posix.dirname(dir)) {
    const parent = path.posix.dirname(dir);
    if (path.posix.basename(dir) === 'source' && (exists(path.posix.join(parent, 'config.rb')) || exists(path.posix.join(parent, 'config', 'tech-docs.yml')))) return dir;
    if (exists(path.posix.join(dir, '_config.yml'))) return dir;
    if (dir === root || parent === dir) break;
  }
  return undefined;
}

/**
 * A relative link that climbs above the site root resolves on the published site: a browser
 * resolves `../../images/x.png` from `/runbooks/page.html` to `/images/x.png`, as URL paths stop
 * at the root. True when the page is part of a static site's source and the link, resolved that
 * way, names a file of the site's source (or the rendered page of one).
 */
function clampedOnSite(file: string, target: string, root: string, exists: (p: string) => boolean): boolean {
  const site = siteSourceOf(file, root, exists);
  if (!site) return false;
  const fromSite = path.posix.relative(site, target);
  if (!fromSite.startsWith('..')) return false; // stays inside the site: resolved the same either way
  const pageDir = '/' + path.posix.relative(site, path.posix.dirname(file));
  const rel = path.posix.relative(path.posix.dirname(file), target);
  const url = path.posix.resolve(pageDir, rel);
  const onSite = path.posix.join(site, url);
  return exists(onSite) || renderedSource(onSite, exists) !== undefined;
}

/** An anchor written as a note to fill it in later. */
const PLACEHOLDER_FRAGMENT = /^(?:todo|tbd|tba|fixme|xxx)(?:[-_].*)?$/i;
