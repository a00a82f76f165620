import * as path from 'node:path';
import { parse } from 'yaml';
import { readTextSafeSync, realRootSync } from '../fsSafe';
import type { AnsibleLintDeclarations } from '../suppression';

// The repository's own ansible-lint configuration: checks it skips everywhere (`skip_list`) and
// paths it leaves out (`exclude_paths`). OpsReview honours them for the rules whose crosswalk
// names an ansible-lint check. A file that cannot be read or parsed declares nothing (it is
// ansible-lint's to report).

export const ANSIBLE_LINT_FILES = ['.ansible-lint', '.ansible-lint.yml', '.ansible-lint.yaml', '.config/ansible-lint.yml', '.config/ansible-lint.yaml'];

export function loadAnsibleLint(root: string): AnsibleLintDeclarations | undefined {
  let rootReal: string;
  try {
    rootReal = realRootSync(root);
  } catch {
    return undefined;
  }
  for (const rel of ANSIBLE_LINT_FILES) {
    const read = readTextSafeSync(path.join(root, rel), rootReal, 256 * 1024);
    if (!read.ok) continue;
    let data: unknown;
    try {
      data = parse(read.text);
    } catch {
      return undefined;
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
    const d = data as Record<string, unknown>;
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : []);
    const skipList = strings(d.skip_list);
    const excludePaths = strings(d.exclude_paths);
    if (!skipList.length && !excludePaths.length) return undefined;
    return { source: rel, skipList, excludePaths };
  }
  return undefined;
}
