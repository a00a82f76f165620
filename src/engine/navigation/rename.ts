import * as path from 'node:path';
import type { OpsReviewConfig } from '../config/schema';
import type { IndexedFile, IndexView } from '../model';
import type { Reference, TextEdit } from '../types';

// Moving or renaming a runbook keeps every link to it working: the alerts' `runbook_url` values
// (relative, root-absolute or under `alerts.runbookBaseUrl`) and the markdown links of other
// files are rewritten to the new place, and so are the moved file's own relative links. Only the
// path part of each link changes: quotes, the base URL and `#anchors` stay as written.

export interface FileMove {
  oldPath: string;
  newPath: string;
}

export function renameEdits(index: IndexView, config: OpsReviewConfig, requested: readonly FileMove[]): TextEdit[] {
  const edits: TextEdit[] = [];
  const moves = expandFolders(index, requested);
  const moved = new Map(moves.map((m) => [index.get(m.oldPath)?.path ?? m.oldPath, m.newPath]));
  const newLocation = (p: string): string => moved.get(p) ?? p;
  for (const { oldPath } of moves) {
    const old = index.get(oldPath)?.path ?? oldPath;
    // Links into the moved file.
    for (const source of index.referrers(old)) {
      if (moved.has(source.path)) continue; // its own links are handled below
      for (const ref of source.references) {
        if (ref.target !== old || ref.kind === 'module_source') continue;
        const edit = rewrite(source, ref, source.path, newLocation(old), index.root, config);
        if (edit) edits.push(edit);
      }
    }
    // The moved file's own relative links, now read from its new folder.
    const self = index.get(old);
    if (!self) continue;
    const newSelf = newLocation(old);
    if (path.posix.dirname(newSelf) === path.posix.dirname(old) && ![...moved.keys()].some((k) => k !== old)) continue;
    for (const ref of self.references) {
      if (ref.kind !== 'link' || ref.target === old || ref.raw.startsWith('/')) continue;
      const edit = rewrite(self, ref, newSelf, newLocation(ref.target), index.root, config);
      if (edit) edits.push({ ...edit, path: self.path });
    }
  }
  return edits;
}

/** A moved folder moves every indexed file below it. */
function expandFolders(index: IndexView, moves: readonly FileMove[]): FileMove[] {
  const out: FileMove[] = [];
  for (const m of moves) {
    const old = index.get(m.oldPath)?.path;
    if (old) {
      out.push({ oldPath: old, newPath: m.newPath });
      continue;
    }
    const prefix = path.posix.normalize(m.oldPath).replace(/\/+$/, '') + '/';
    let any = false;
    for (const f of index.files()) {
      if (!f.path.startsWith(prefix)) continue;
      any = true;
      out.push({ oldPath: f.path, newPath: path.posix.join(m.newPath, f.path.slice(prefix.length)) });
    }
    if (!any) out.push(m);
  }
  return out;
}

/** The edit that makes `ref` (in `file`, which will live at `fromPath`) point at `target`. */
function rewrite(file: IndexedFile, ref: Reference, fromPath: string, target: string, root: string, config: OpsReviewConfig): TextEdit | undefined {
  const lines = file.parsed.lines;
  const written = lines.text.slice(lines.offsetAt(ref.range.start), lines.offsetAt(ref.range.end));
  const raw = ref.raw;
  const base = config.alerts.runbookBaseUrl.trim();
  const viaBase = ref.kind === 'runbook_url' && !!base && raw.trim().startsWith(base);
  const prefix = viaBase ? raw.slice(0, raw.indexOf(base) + base.length) : '';
  const rest = raw.slice(prefix.length);
  const cut = rest.search(/[#?]/);
  const oldPart = cut >= 0 ? rest.slice(0, cut) : rest;
  if (!oldPart) return undefined;
  let newPart: string;
  if (viaBase || oldPart.startsWith('/')) newPart = (oldPart.startsWith('/') ? '/' : '') + path.posix.relative(root, target);
  else {
    newPart = path.posix.relative(path.posix.dirname(fromPath), target);
    if (oldPart.startsWith('./') && !newPart.startsWith('../')) newPart = `./${newPart}`;
  }
  if (oldPart.includes('%')) newPart = encodeURI(newPart);
  else if (/\s/.test(newPart) && ref.kind === 'link') newPart = newPart.replace(/ /g, '%20');
  if (newPart === oldPart) return undefined;
  // Find the path part inside the written range (which may include quotes), to replace only it.
  const inRange = written.indexOf(prefix + oldPart);
  if (inRange < 0) return undefined;
  const startOffset = lines.offsetAt(ref.range.start) + inRange + prefix.length;
  return { path: file.path, range: lines.rangeOf(startOffset, startOffset + oldPart.length), newText: newPart };
}
