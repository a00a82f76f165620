import * as path from 'node:path';
import type { RunbookMeta } from '../model';
import type { Reference } from '../types';
import type { MarkdownFile } from './markdown';

// What a runbook says about itself (frontmatter, first heading), in the shape the Runbooks tree,
// the index queries and the checklist use; and the files its relative links point at.

export function runbookMeta(md: MarkdownFile, relPath: string): RunbookMeta {
  const data = md.frontmatter?.data ?? {};
  const str = (k: string): string | undefined => {
    const v = data[k];
    if (v === undefined || v === null) return undefined;
    if (v instanceof Date) return isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10);
    if (typeof v === 'object') return undefined;
    const s = String(v).trim();
    return s ? s : undefined;
  };
  const h1 = md.headings.find((h) => h.level === 1);
  const base = relPath.slice(relPath.lastIndexOf('/') + 1).replace(/(\.html)?\.(md|markdown|mdx)(\.erb)?$/i, '');
  return {
    title: str('title') ?? (h1?.text || undefined) ?? base,
    service: str('service'),
    owner: str('owner'),
    team: str('team'),
    tags: normaliseTags(data.tags),
    severity: str('severity'),
    type: str('type'),
    lastReviewed: str('last_reviewed') ?? str('lastReviewed'),
    sections: md.headings.map((h) => ({ title: h.text, level: h.level, line: h.line, slug: h.slug })),
  };
}

/** Tags as a list of strings, from a YAML list, a `key: value` map or a comma-separated string. */
export function normaliseTags(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.filter((t) => t !== null && typeof t !== 'object').map((t) => String(t).trim()).filter(Boolean);
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, val]) => (val === null || val === undefined || val === '' ? k : `${k}:${String(val)}`));
  return String(v)
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

const EXTERNAL = /^([a-z][a-z0-9+.-]*:|\/\/)/i;

/** Relative links resolved to absolute `/` paths; same-file `#anchor` links target the file itself. */
export function markdownReferences(md: MarkdownFile, filePath: string): Reference[] {
  const dir = path.posix.dirname(filePath);
  const out: Reference[] = [];
  for (const link of md.links) {
    const href = link.href.trim();
    if (!href || EXTERNAL.test(href) || href.startsWith('/')) continue;
    const hash = href.indexOf('#');
    const rawPath = hash >= 0 ? href.slice(0, hash) : href;
    const fragment = hash >= 0 ? href.slice(hash + 1) : undefined;
    let decoded = rawPath.split('?')[0];
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      /* keep as written */
    }
    const target = decoded ? path.posix.normalize(path.posix.join(dir, decoded)) : filePath;
    out.push({ target, fragment: fragment || undefined, range: link.range, kind: 'link', raw: link.href });
  }
  return out;
}
