import type { TerraformFile } from '../../parsers/hclAst';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { attr, blocksOf, str } from './hcl';

// A module fetched from Git without a ref, or from a registry without a version, is whatever the
// default branch or the newest release holds at `terraform init` time: two inits of the same commit
// can build different infrastructure, and a rollback does not roll the module back.

/** Branch names that move: a ref naming one of these is not a pin. */
const MOVING_REFS = new Set(['main', 'master', 'develop', 'development', 'dev', 'trunk', 'head', 'latest', 'default', 'tip']);

export type ModuleSource =
  | { kind: 'local' }
  | { kind: 'git' | 'hg'; ref: string | undefined }
  | { kind: 'registry' }
  | { kind: 'other' };

/** Classifies a module `source` (Terraform's module source syntaxes). */
export function classifySource(source: string): ModuleSource {
  const s = source.trim();
  if (s.startsWith('./') || s.startsWith('../') || s === '.' || s === '..') return { kind: 'local' };
  const query = (key: string): string | undefined => {
    const q = s.indexOf('?');
    if (q < 0) return undefined;
    for (const part of s.slice(q + 1).split('&')) {
      const [k, v] = part.split('=');
      if (k === key) return decodeURIComponent(v ?? '');
    }
    return undefined;
  };
  if (/^hg::/i.test(s)) return { kind: 'hg', ref: query('rev') };
  if (/^git::/i.test(s) || /^git:\/\//i.test(s) || /^git@[^:]+:/.test(s) || /^(https?:\/\/)?(www\.)?(github\.com|bitbucket\.org)\//i.test(s) || /\.git(\/\/|\?|$)/.test(s)) {
    return { kind: 'git', ref: query('ref') };
  }
  // Other go-getter forms: archives over HTTP, S3, GCS, absolute paths.
  if (/^[a-z0-9]+::/i.test(s) || /^[a-z]+:\/\//i.test(s) || s.startsWith('/')) return { kind: 'other' };
  // <NAMESPACE>/<NAME>/<PROVIDER>, optionally behind a registry host, optionally //subdir
  const base = s.split('//')[0];
  const parts = base.split('/');
  if (parts.length === 3 && parts.every((p) => /^[\w-]+$/.test(p))) return { kind: 'registry' };
  if (parts.length === 4 && /\./.test(parts[0]) && parts.slice(1).every((p) => /^[\w-]+$/.test(p))) return { kind: 'registry' };
  return { kind: 'other' };
}

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/module-unpinned',
    description: 'A module comes from Git without a `?ref=` pin (or with a branch), or from a registry without a `version`.',
    defaultSeverity: 'warning',
    practice: 'supply-chain-pinning',
    kinds: ['terraform'],
    // An example's or a test's root takes whatever the module it shows needs: users pin in their copy.
    productionOnly: true,
    equivalents: [
      { tool: 'tflint', id: 'terraform_module_pinned_source' },
      { tool: 'tflint', id: 'terraform_module_version' },
      { tool: 'checkov', id: 'CKV_TF_1' },
      { tool: 'kics', id: '3a81fc06-566f-492a-91dd-7448e409e2cd' },
    ],
    convention: {
      unadoptedInRecommended: true,
      // Modules from Git, Mercurial or a registry (local modules have nothing to pin).
      subjects: (ctx) =>
        blocksOf((ctx.parsed as TerraformFile).body, 'module').filter((b) => {
          const v = str(attr(b, 'source')?.value);
          const k = v === undefined ? undefined : classifySource(v).kind;
          return k === 'git' || k === 'hg' || k === 'registry';
        }).length,
      noun: 'remote modules',
      follows: () => 'is pinned to a release tag, commit or version',
      adopt: () => 'Pin each (`?ref=<tag or sha>`, `version = "x.y.z"`), or set `terraform/module-unpinned: off` under `rules:` in .opsreview.yml if the repository decides to follow its modules\' default branches.',
    },
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const b of blocksOf(ctx.parsed.body, 'module')) {
      const src = attr(b, 'source');
      const value = str(src?.value);
      if (!src || value === undefined) continue; // interpolated sources are not valid Terraform; nothing to judge
      const c = classifySource(value);
      const name = `module "${b.labels[0] ?? ''}"`;
      if (c.kind === 'git' || c.kind === 'hg') {
        const param = c.kind === 'git' ? 'ref' : 'rev';
        if (c.ref === undefined || c.ref === '') {
          out.push({
            range: src.value.range,
            message: `${name} comes from ${c.kind === 'git' ? 'Git' : 'Mercurial'} without \`?${param}=\`, so every \`terraform init\` takes whatever the default branch holds; pin a release tag or, better, a commit SHA (\`?${param}=<sha>\`).`,
            convention: ['pin'],
          });
        } else if (MOVING_REFS.has(c.ref.toLowerCase())) {
          out.push({
            range: src.value.range,
            message: `${name} pins \`${param}=${c.ref}\`, a branch that moves; pin a release tag or a commit SHA instead.`,
            convention: ['pin'],
          });
        }
      } else if (c.kind === 'registry') {
        const version = attr(b, 'version');
        if (!version || (version.value.type === 'string' && !version.value.value.trim())) {
          out.push({
            range: version ? version.value.range : src.value.range,
            message: `${name} comes from the registry (${value}) without a \`version\`, so every \`terraform init\` may take a new major release; add \`version = "x.y.z"\` (or \`~> x.y\`).`,
            convention: ['pin'],
          });
        }
      }
    }
    return out;
  },
};
