import { getPair, nodeRange, stringValue, YamlFile } from '../../parsers/yaml';
import type { RuleFinding } from '../../types';
import type { IndexedFile, IndexView } from '../../model';
import type { Rule } from '../types';
import { terraformOf, tfImageLatest } from './tfWorkloads';
import { containers, ownWorkloads, yamlOf } from './workloads';

// `:latest` (or no tag, which means latest) makes the manifest say nothing about what runs:
// two nodes can pull different images, and "roll back to the previous manifest" re-deploys the
// same moving tag. A version tag, or better a digest, makes releases and rollbacks exact.
// An image that a skaffold.yaml of the workspace builds (`build.artifacts[].image`) is a
// placeholder: skaffold replaces it with the built tag or digest when it renders or deploys.
// So is every image of a folder that holds an `image-references` file (an OpenShift release
// payload's manifests: the release tooling substitutes each image by digest), and an image named
// as a placeholder (`registry/placeholder`, `replace-me`) that a release step fills in.
export const rule: Rule<YamlFile> = {
  meta: {
    id: 'k8s/image-latest',
    description: 'A container image has no tag or uses `:latest`, so what runs (and what a rollback restores) is not fixed.',
    defaultSeverity: 'warning',
    profile: 'all',
    practice: 'supply-chain-pinning',
    kinds: ['k8s-manifest', 'terraform'],
    subject: 'k8s-workload',
    productionOnly: true,
    crossFile: true,
    equivalents: [
      { tool: 'checkov', id: 'CKV_K8S_14' },
      { tool: 'kube-linter', id: 'latest-tag' },
    ],
  },
  check(ctx) {
    // The kubernetes provider's workloads written in Terraform (kubernetes_deployment_v1, …).
    const tf = terraformOf(ctx.parsed);
    if (tf) return tfImageLatest(tf);
    const file = yamlOf(ctx.parsed);
    if (!file) return [];
    if (releaseSubstituted(ctx.index, ctx.file.path)) return [];
    const out: RuleFinding[] = [];
    let built: Set<string> | undefined;
    // A patch that sets an image sets what the base runs: judged like the base.
    for (const w of ownWorkloads(file, ctx.index, ctx.file, ctx.config, { partial: true })) {
      for (const c of containers(w)) {
        const pair = getPair(c.node, 'image');
        const image = stringValue(pair?.value)?.trim();
        if (!pair || !image || /\{\{|\$\(|\$\{/.test(image)) continue;
        if (image.includes('@')) continue; // pinned by digest
        const slash = image.lastIndexOf('/');
        const colon = image.indexOf(':', slash + 1);
        const tag = colon >= 0 ? image.slice(colon + 1) : '';
        if (tag && tag !== 'latest') continue;
        if (PLACEHOLDER.test(colon >= 0 ? image.slice(0, colon) : image)) continue;
        built ??= skaffoldArtifacts(ctx.index);
        if (!tag && built.has(image)) continue;
        out.push({
          range: nodeRange(file, pair.value),
          message: `Container '${c.name}' of ${w.kind} '${w.name}' uses ${tag ? "':latest'" : 'an untagged image (latest)'}: pin a version tag or a digest (\`@sha256:…\`) so releases and rollbacks are exact.`,
        });
      }
    }
    return out;
  },
};

/** Artifacts per manifest file: files are replaced on change, so this is never stale. */
const artifactsOfFile = new WeakMap<IndexedFile, string[]>();

/** Images that skaffold.yaml files of the workspace build (and substitute into manifests). */
function skaffoldArtifacts(index: IndexView): Set<string> {
  const out = new Set<string>();
  for (const f of index.byKind('k8s-manifest')) {
    let list = artifactsOfFile.get(f);
    if (!list) artifactsOfFile.set(f, (list = artifactsIn(f)));
    for (const image of list) out.add(image);
  }
  return out;
}

function artifactsIn(f: IndexedFile): string[] {
  const out: string[] = [];
  const y = yamlOf(f.parsed);
  if (!y || !/^apiVersion:\s*["']?skaffold\//m.test(y.text)) return out;
  for (const doc of y.docs) {
    let data: unknown;
    try {
      data = doc.toJS();
    } catch {
      continue;
    }
    const config = data as { build?: { artifacts?: unknown }; profiles?: { build?: { artifacts?: unknown } }[] } | null;
    const lists = [config?.build?.artifacts, ...(Array.isArray(config?.profiles) ? config!.profiles.map((p) => p?.build?.artifacts) : [])];
    for (const list of lists) {
      if (!Array.isArray(list)) continue;
      for (const a of list) if (a && typeof a === 'object' && typeof (a as { image?: unknown }).image === 'string') out.push((a as { image: string }).image);
    }
  }
  return out;
}

/** An image path that says a release step fills it in. */
const PLACEHOLDER = /(^|[/_.-])(placeholder|replace[-_]?me|changeme|to[-_]?be[-_]?replaced)($|[/_.-])/i;

/** Whether the manifest's folder holds an `image-references` file: the release tooling substitutes its images. */
function releaseSubstituted(index: IndexView, filePath: string): boolean {
  const dir = filePath.slice(0, filePath.lastIndexOf('/'));
  return index.exists(`${dir}/image-references`);
}
