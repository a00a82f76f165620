import type { Detected } from './types';

// How alerts link their runbook: which annotation carries the link, and the URL prefix under
// which those links name files of this repository.

/** Annotations seen in the wild for a runbook link, most usual first. */
export const RUNBOOK_ANNOTATION_CANDIDATES = ['runbook_url', 'runbook', 'runbookUrl', 'runbook_link', 'runbook_uri', 'playbook', 'playbook_url', 'sop', 'sop_url', 'documentation', 'doc_url', 'docs_url', 'wiki', 'link'];

/** An annotation used by fewer alerts than this (or by fewer than MIN_SHARE of the linking alerts) is not a convention. */
const MIN_LINKS = 3;
const MIN_SHARE = 0.2;

export interface AnnotationSample {
  annotations: Record<string, string>;
  file: string;
}

/** A value that reads as a link (URL, path or markdown file), not a sentence. */
export function looksLikeLink(value: string): boolean {
  const v = value.trim();
  if (!v || /\s/.test(v.replace(/\{\{[^}]*\}\}/g, ''))) return false;
  return /^(https?:)?\/\//i.test(v) || /^\.{0,2}\//.test(v) || /\.(md|markdown|html?)([#?]|$)/i.test(v) || /^[\w.-]+\/[\w./-]+/.test(v);
}

/**
 * The annotation keys the alerts link runbooks with, most used first. Undefined when no key is
 * used by enough alerts (then `runbook_url` stays the one required).
 */
export function detectRunbookAnnotations(samples: AnnotationSample[]): Detected<string[]> | undefined {
  const linkKeys = (s: AnnotationSample): string[] => RUNBOOK_ANNOTATION_CANDIDATES.filter((k) => s.annotations[k] !== undefined && looksLikeLink(s.annotations[k]));
  const linking = samples.map((s) => ({ s, keys: linkKeys(s) })).filter((x) => x.keys.length);
  // Keys are taken greedily: the most used first, then a next key only for the alerts the keys
  // taken so far leave without a link (a `documentation` link next to `runbook_url` adds nothing).
  const chosen: { key: string; n: number; files: Set<string> }[] = [];
  let rest = linking;
  for (;;) {
    const counts = new Map<string, { n: number; files: Set<string> }>();
    for (const { s, keys } of rest) {
      for (const key of keys) {
        let c = counts.get(key);
        if (!c) counts.set(key, (c = { n: 0, files: new Set() }));
        c.n++;
        c.files.add(s.file);
      }
    }
    const best = [...counts].sort((a, b) => b[1].n - a[1].n || RUNBOOK_ANNOTATION_CANDIDATES.indexOf(a[0]) - RUNBOOK_ANNOTATION_CANDIDATES.indexOf(b[0]))[0];
    if (!best || best[1].n < MIN_LINKS || best[1].n / linking.length < MIN_SHARE) break;
    chosen.push({ key: best[0], ...best[1] });
    rest = rest.filter((x) => !x.keys.includes(best[0]));
  }
  if (!chosen.length) return undefined;
  const support = chosen.reduce((sum, c) => sum + c.n, 0);
  return {
    value: chosen.map((c) => c.key),
    support,
    total: samples.length,
    examples: [...new Set(chosen.flatMap((c) => [...c.files]))].slice(0, 3),
    note: `${chosen.map((c) => `${c.n} alerts link their runbook with \`${c.key}\``).join(', ')} (of ${samples.length} alerts)`,
  };
}

/**
 * The URL prefix that maps the alerts' absolute runbook links onto files of the repository:
 * for `https://github.com/org/ops/blob/main/docs/db.md` and an existing `docs/db.md`, the
 * prefix `https://github.com/org/ops/blob/main/`. The longest workspace path wins for each URL;
 * the prefix shared by most links is adopted. Undefined when no link names a workspace file.
 */
/** PATH_MAX (4096 bytes on Linux) percent-encoded: no longer workspace path can exist. */
const MAX_ENCODED_PATH = 3 * 4096;

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // as written
  }
}

/**
 * Whether `u.slice(start)`, decoded, names a workspace path. Walks it a segment at a time and
 * stops at the first folder that does not exist, so the many suffixes of a URL of thousands of
 * segments cost what the workspace's depth allows, not the URL's length each (that was quadratic).
 */
function suffixExists(u: string, start: number, exists: (rel: string) => boolean): boolean {
  // A trailing slash names a folder page, never a file of the repository (as before: the index
  // knows `docs`, not `docs/`).
  if (start >= u.length || u.endsWith('/')) return false;
  let prefix = '';
  for (let i = start; i < u.length; ) {
    let j = u.indexOf('/', i);
    if (j < 0) j = u.length;
    const seg = u.slice(i, j);
    // `.`, `..` and empty segments need the whole path normalised: only when it could be a path.
    if (seg === '' || seg === '.' || seg === '..') return u.length - start <= MAX_ENCODED_PATH && exists(decoded(u.slice(start)));
    prefix = prefix ? `${prefix}/${decoded(seg)}` : decoded(seg);
    if (prefix.length > 4096 || !exists(prefix)) return false;
    i = j + 1;
  }
  return true;
}

/** `exists` answers for workspace-relative files and folders (as the index does). */
export function detectRunbookBaseUrl(links: { url: string; file: string }[], exists: (rel: string) => boolean): Detected<string> | undefined {
  const bases = new Map<string, { n: number; files: Set<string> }>();
  let absolute = 0;
  for (const { url, file } of links) {
    const u = url.trim().replace(/[?#].*$/, '');
    const m = /^https?:\/\/[^/]+\//i.exec(u);
    if (!m || u.includes('{{')) continue;
    absolute++;
    for (let i = u.indexOf('/', m[0].length - 1); i >= 0 && i < u.length - 1; i = u.indexOf('/', i + 1)) {
      if (!suffixExists(u, i + 1, exists)) continue;
      const base = u.slice(0, i + 1);
      let b = bases.get(base);
      if (!b) bases.set(base, (b = { n: 0, files: new Set() }));
      b.n++;
      b.files.add(file);
      break;
    }
  }
  const best = [...bases].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))[0];
  if (!best) return undefined;
  const [base, c] = best;
  return {
    value: base,
    support: c.n,
    total: absolute,
    examples: [...c.files].slice(0, 3),
    note: `${c.n} of ${absolute} absolute runbook links start with ${base} and name a file of this repository`,
  };
}

/**
 * What the alerts' bare runbook paths (`docs/db/README.md`, no `./`, `../` or `/`) are relative
 * to: the repository root when more of them name an existing file from the root than from the
 * alert file's folder. Undefined when no bare path names a file either way, or the folder wins
 * (the default).
 */
export function detectRunbookPathsFrom(links: { url: string; file: string }[], existsFromRoot: (url: string) => boolean, existsFromFile: (url: string, file: string) => boolean): Detected<'root'> | undefined {
  let fromRoot = 0;
  let fromFile = 0;
  let bare = 0;
  const files = new Set<string>();
  for (const { url, file } of links) {
    const u = url.trim().replace(/[?#].*$/, '');
    if (!u || /^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith('/') || u.startsWith('.') || !u.includes('/') || u.includes('{{') || u.includes('$')) continue;
    bare++;
    if (existsFromRoot(u)) {
      fromRoot++;
      files.add(file);
    } else if (existsFromFile(u, file)) fromFile++;
  }
  if (fromRoot === 0 || fromRoot <= fromFile) return undefined;
  return {
    value: 'root',
    support: fromRoot,
    total: bare,
    examples: [...files].slice(0, 3),
    note: `${fromRoot} of ${bare} runbook links written as a bare path name a file from the repository root${fromFile ? ` (${fromFile} from the alert file's folder)` : ''}`,
  };
}
