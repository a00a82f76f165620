import { isScalar, Node, Scalar } from 'yaml';
import { getNode, nodeRange, pairs, seqItems, YamlFile, YNode } from '../../parsers/yaml';
import type { Range, RuleFinding } from '../../types';
import type { Rule } from '../types';
import { yamlOf } from './ciJobs';

// A tag or branch of a third-party action can be moved to different code at any time (as in
// the tj-actions/changed-files compromise of March 2025); a full commit SHA cannot. Pinning
// makes the pipeline that ships to production reproducible and reviewable. A repository that
// pins no action anywhere has not adopted the practice, a single decision: the convention pass
// reports it once; where it pins some, each other ref is an exception to fix.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'deploy/action-unpinned',
    description: 'A workflow uses an action or reusable workflow by tag or branch instead of a full commit SHA.',
    defaultSeverity: 'warning',
    practice: 'supply-chain-pinning',
    kinds: ['github-workflow'],
    equivalents: [{ tool: 'zizmor', id: 'unpinned-uses' }],
    convention: {
      subjects: (ctx) => {
        const file = yamlOf(ctx.parsed);
        if (!file) return 0;
        const skipGithub = githubOnTags(ctx.index.byKind('github-workflow'));
        return usesOf(file).filter((n) => judgeable(String((n as Scalar).value)) && !(skipGithub && GITHUB_OWNED.test(String((n as Scalar).value).trim()))).length;
      },
      noun: 'actions and images used by the workflows',
      follows: () => 'is pinned to a full commit SHA or digest',
      adopt: () => 'Pin each to a full 40-character commit SHA with the tag in a comment (`@<sha> # v4`; pinact, Dependabot or Renovate can pin every workflow at once), or set `deploy/action-unpinned: off` under `rules:` in .opsreview.yml if the repository decides against pinning.',
    },
  },
  check(ctx) {
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    // A repository that pins third-party actions but none of GitHub's own (`actions/*`,
    // `github/*`) made that choice for GitHub's: only the third-party refs are reported there.
    const skipGithub = githubOnTags(ctx.index.byKind('github-workflow'));
    const unpinned = usesOf(file)
      .filter((node) => !(skipGithub && GITHUB_OWNED.test(String((node as Scalar).value).trim())))
      .map((node) => judge(file, node))
      .filter((u): u is Unpinned => !!u);
    return unpinned.map(({ range, message }) => ({ range, message, convention: ['pin'] }));
  },
};

/** Actions and reusable workflows GitHub itself publishes. */
const GITHUB_OWNED = /^(?:actions|github)\//i;

/** Does the repository pin some third-party action by SHA while it pins none of GitHub's own? */
function githubOnTags(files: readonly { parsed: unknown }[]): boolean {
  let thirdPartyPinned = false;
  let githubPinned = false;
  for (const f of files) {
    const file = yamlOf(f.parsed as never);
    if (!file) continue;
    for (const node of usesOf(file)) {
      const v = String((node as Scalar).value).trim();
      if (!judgeable(v) || v.startsWith('docker://') || !isPinned(v)) continue;
      if (GITHUB_OWNED.test(v)) githubPinned = true;
      else thirdPartyPinned = true;
    }
  }
  return thirdPartyPinned && !githubPinned;
}

interface Unpinned {
  range: Range;
  message: string;
  /** The action or image without its ref, for the one-finding summary. */
  name: string;
}

/** Every `uses:` value of a workflow: jobs (reusable workflows), steps, and composite `runs.steps`. */
function usesOf(file: YamlFile): YNode[] {
  const out: YNode[] = [];
  for (const doc of file.docs) {
    for (const job of pairs(getNode(doc.contents as YNode, 'jobs'))) {
      out.push(getNode(job.value as YNode, 'uses'));
      for (const step of seqItems(getNode(job.value as YNode, 'steps'))) out.push(getNode(step, 'uses'));
    }
    // Composite action metadata (`runs.steps`) in a workflows folder is rare, but cheap to cover.
    for (const step of seqItems(getNode(getNode(doc.contents as YNode, 'runs'), 'steps'))) out.push(getNode(step, 'uses'));
  }
  return out.filter((n) => isScalar(n) && typeof n.value === 'string');
}

function isPinned(value: string): boolean {
  if (value.startsWith('docker://')) return /@sha256:[0-9a-f]{64}$/.test(value);
  return SHA.test(value.slice(value.lastIndexOf('@') + 1));
}

const SHA = /^[0-9a-f]{40}$/;

/**
 * The SLSA generator's reusable workflows verify their own ref and must be called by a
 * `vX.Y.Z` tag: a commit pin breaks them (slsa-github-generator's documented requirement).
 */
const TAG_ONLY = /^slsa-framework\/slsa-github-generator\/\.github\/workflows\/[^@]+@v\d+\.\d+\.\d+$/;

/** The finding for one `uses:` value, or undefined when it is pinned, local, templated or a tag-only exception. */
function judge(file: YamlFile, node: YNode): Unpinned | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const value = node.value.trim();
  if (!judgeable(value)) return undefined;
  if (isPinned(value) || TAG_ONLY.test(value)) return undefined;
  const at = locate(file, node as Node, node.value);
  if (value.startsWith('docker://')) {
    const image = value.slice('docker://'.length);
    const slash = image.lastIndexOf('/');
    const colon = image.indexOf(':', slash + 1);
    const range = colon >= 0 ? at(colon + 'docker://'.length + 1, value.length) : at(0, value.length);
    return { range, name: `docker://${image.slice(0, colon >= 0 ? colon : image.length)}`, message: `Docker image '${image}' is not pinned by digest: use \`docker://${image.split(':')[0]}@sha256:<digest>\` so the step cannot change under you.` };
  }
  const i = value.lastIndexOf('@');
  if (i < 0) return { range: at(0, value.length), name: value, message: `Action '${value}' has no ref: pin it to a full 40-character commit SHA (\`${value}@<sha> # vX.Y.Z\`).` };
  const ref = value.slice(i + 1);
  const what = value.includes('/.github/workflows/') ? 'Reusable workflow' : 'Action';
  const hint = /^[0-9a-f]{7,39}$/.test(ref) ? 'a short SHA can be ambiguous; use the full 40-character commit SHA' : 'tags and branches can be moved; pin the full 40-character commit SHA and keep the tag in a comment';
  return { range: at(i + 1, value.length), name: value.slice(0, i), message: `${what} '${value.slice(0, i)}' is pinned to '${ref}': ${hint} (\`@<sha> # ${ref}\`).` };
}

/** A `uses:` value pinning is judged on: not empty, not a local action, not templated. */
function judgeable(value: string): boolean {
  const v = value.trim();
  return !!v && !v.startsWith('./') && !v.includes('${{');
}

/** Maps offsets inside the scalar's value to a range in the file (quoted or plain). */
function locate(file: YamlFile, node: Node, value: string): (s: number, e: number) => Range {
  const r = node.range!;
  const raw = file.text.slice(r[0], r[1]);
  const lead = value.length - value.trimStart().length;
  const off = raw.indexOf(value);
  if (off < 0) return () => nodeRange(file, node);
  return (s, e) => file.lines.rangeOf(r[0] + off + lead + s, r[0] + off + lead + e);
}
