import * as path from 'node:path';
import { isScalar } from 'yaml';
import type { IndexView } from '../../model';
import { getNode, seqItems, stringValue, yamlOf } from '../../parsers/yaml';

// A kustomize overlay's patches (`patches:` / `patchesStrategicMerge:` of a kustomization.yaml)
// hold only the fields they change: a patched Deployment without probes or resources is not a
// workload without them. Rules that report a missing field skip files a kustomization patches with.

const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;

/** Whether a kustomization in this file's folder or a folder above it (in the workspace) names it as a patch. */
export function isKustomizePatch(index: IndexView, filePath: string): boolean {
  const file = filePath.replace(/\\/g, '/');
  const root = index.root.replace(/\\/g, '/');
  for (let dir = path.posix.dirname(file); dir === root || dir.startsWith(root + '/'); dir = path.posix.dirname(dir)) {
    for (const k of index.inDir(dir)) {
      if (!KUSTOMIZATION.test(path.posix.basename(k.path))) continue;
      const y = yamlOf(k.parsed);
      for (const doc of y?.docs ?? []) {
        for (const key of ['patches', 'patchesStrategicMerge']) {
          for (const item of seqItems(getNode(doc.contents as never, key))) {
            const p = isScalar(item) ? stringValue(item) : stringValue(getNode(item, 'path'));
            if (p && !/[\n{]/.test(p) && path.posix.resolve(dir, p) === file) return true;
          }
        }
      }
    }
    if (dir === root) break;
  }
  return false;
}
