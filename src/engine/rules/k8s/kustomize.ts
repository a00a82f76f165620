import * as path from 'node:path';
import { isScalar } from 'yaml';
import type { IndexedFile, IndexView } from '../../model';
import { getNode, seqItems, stringValue, yamlOf } from '../../parsers/yaml';

// A kustomize overlay's patches (`patches:` / `patchesStrategicMerge:` of a kustomization.yaml)
// hold only the fields they change: a patched Deployment without probes or resources is not a
// workload without them. Rules that report a missing field skip files a kustomization patches with.

const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;

/** Whether a kustomization in this file's folder or a folder above it (in the workspace) names it as a patch. */
export function isKustomizePatch(index: IndexView, filePath: string): boolean {
  const file = filePath.replace(/\\/g, '/');
  const root = index.root.replace(/\\/g, '/');
  const patched = patchedFiles(index);
  // The folders whose kustomization names this file (looked up once per index generation), or
  // every kustomization of the folders above it when the index keeps no generation.
  const namedFrom = patched ? patched.get(file) : undefined;
  if (patched && !namedFrom) return false;
  for (let dir = path.posix.dirname(file); dir === root || dir.startsWith(root + '/'); dir = path.posix.dirname(dir)) {
    if (namedFrom) {
      if (namedFrom.has(dir)) return true;
    } else {
      for (const k of index.inDir(dir)) if (KUSTOMIZATION.test(path.posix.basename(k.path)) && patches(k, dir).includes(file)) return true;
    }
    if (dir === root) break;
  }
  return false;
}

/** The files a kustomization in `dir` names as patches (absolute paths). */
function patches(k: IndexedFile, dir: string): string[] {
  const out: string[] = [];
  const y = yamlOf(k.parsed);
  for (const doc of y?.docs ?? []) {
    for (const key of ['patches', 'patchesStrategicMerge']) {
      for (const item of seqItems(getNode(doc.contents as never, key))) {
        const p = isScalar(item) ? stringValue(item) : stringValue(getNode(item, 'path'));
        if (p && !/[\n{]/.test(p)) out.push(path.posix.resolve(dir, p));
      }
    }
  }
  return out;
}

const patchedCache = new WeakMap<IndexView, { generation: number; byFile: Map<string, Set<string>> }>();

/** Patched file -> the folders whose kustomization names it, for the index's generation. */
function patchedFiles(index: IndexView): Map<string, Set<string>> | undefined {
  if (index.generation === undefined) return undefined;
  const cached = patchedCache.get(index);
  if (cached && cached.generation === index.generation) return cached.byFile;
  const byFile = new Map<string, Set<string>>();
  for (const k of index.files()) {
    if (!KUSTOMIZATION.test(path.posix.basename(k.path))) continue;
    const dir = path.posix.dirname(k.path);
    for (const target of patches(k, dir)) {
      const dirs = byFile.get(target);
      if (dirs) dirs.add(dir);
      else byFile.set(target, new Set([dir]));
    }
  }
  patchedCache.set(index, { generation: index.generation, byFile });
  return byFile;
}
