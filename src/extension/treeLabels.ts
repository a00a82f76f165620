// Runbooks with the same title in several folders (a `README.md` "Overview" per service, a
// "Restart" per component) cannot be told apart by title: each gets the shortest folder suffix
// that differs from its namesakes' (`payments`, `search/api`). Plain TypeScript (no `vscode`), so
// unit tests reach it.

export interface Titled {
  uri: string;
  title: string;
  /** Path relative to its workspace folder, `/`-separated. */
  relPath: string;
  /** Workspace folder (multi-root: the same title in two folders). */
  folder?: string;
}

/** For each runbook whose title another one shares: the folder text that tells it apart, by uri. */
export function distinguishingFolders(list: readonly Titled[]): Map<string, string> {
  const byTitle = new Map<string, Titled[]>();
  for (const r of list) {
    const k = r.title.trim().toLowerCase();
    byTitle.set(k, [...(byTitle.get(k) ?? []), r]);
  }
  const out = new Map<string, string>();
  for (const same of byTitle.values()) {
    if (same.length < 2) continue;
    const dirs = same.map((r) => {
      const root = r.folder ? r.folder.replace(/\\/g, '/').split('/').filter(Boolean).pop() ?? '' : '';
      const rel = r.relPath.split('/').slice(0, -1);
      return [...(root ? [root] : []), ...rel];
    });
    for (let i = 0; i < same.length; i++) {
      const mine = dirs[i];
      let n = 1;
      // Grow the suffix until no namesake ends the same way (or the whole path is used).
      while (n < mine.length && dirs.some((d, j) => j !== i && suffix(d, n) === suffix(mine, n))) n++;
      const text = suffix(mine, n);
      // Same folder, same title: the file name tells them apart.
      const clash = dirs.some((d, j) => j !== i && d.join('/') === mine.join('/'));
      out.set(same[i].uri, clash ? `${text ? `${text}/` : ''}${same[i].relPath.split('/').pop()}` : text || '(root)');
    }
  }
  return out;
}

function suffix(parts: string[], n: number): string {
  return parts.slice(Math.max(0, parts.length - n)).join('/');
}
