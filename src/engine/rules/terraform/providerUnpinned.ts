import type { TerraformFile } from '../../parsers/hclAst';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { isNonProduction } from '../../nonProduction';
import { blocksOf, callersOf, moduleScope, posixDir, str, TfContext } from './hcl';

// A required provider without a version constraint lets `terraform init` (on a machine or CI
// runner without the lock file, or after `init -upgrade`) install the newest release, majors
// included: the same commit plans differently from one day to the next.

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/provider-unpinned',
    description: 'A `required_providers` entry has no `version` constraint.',
    defaultSeverity: 'warning',
    profile: 'all',
    practice: 'supply-chain-pinning',
    kinds: ['terraform'],
    // An example's or a test's root takes whatever the module it shows needs: users pin in their copy.
    productionOnly: true,
    // A local child module is judged through its callers (a root that pins, or commits its lock file).
    crossFile: true,
    equivalents: [{ tool: 'tflint', id: 'terraform_required_providers' }],
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const tf of blocksOf(ctx.parsed.body, 'terraform')) {
      for (const rp of blocksOf(tf, 'required_providers')) {
        for (const a of rp.attributes) {
          const v = a.value;
          // `aws = "~> 5.0"`: the pre-0.13 shorthand is a version constraint
          if (v.type === 'string') {
            if (v.value.trim()) continue;
          } else if (v.type === 'object') {
            const version = v.items.find((i) => i.key === 'version');
            if (version && (str(version.value) === undefined || str(version.value)!.trim())) continue;
          } else continue; // not something we can read
          // Built-in providers ship inside the Terraform binary (`terraform.io/builtin/terraform`,
          // the provider of `terraform_remote_state` and `terraform_data`): they take no version.
          if (isBuiltin(a.name, v.type === 'object' ? str(v.items.find((i) => i.key === 'source')?.value) : undefined)) continue;
          // A child module called by a root of this repository that pins the provider or commits
          // .terraform.lock.hcl: the root decides the version; a child declares at most a minimum.
          if (pinnedByCaller(ctx, posixDir(ctx.file.path), a.name, new Set(), 0)) continue;
          const source = v.type === 'object' ? str(v.items.find((i) => i.key === 'source')?.value) : undefined;
          out.push({
            range: a.nameRange,
            message:
              `Provider \`${a.name}\`${source ? ` (${source})` : ''} has no version constraint, so \`terraform init\` without the lock file takes the newest release, new majors included; ` +
              `add \`version = "~> X.Y"\` (root modules) or a minimum such as \`version = ">= X.Y"\` (shared modules), and commit .terraform.lock.hcl.`,
          });
        }
      }
    }
    return out;
  },
};

/**
 * A provider bundled with Terraform itself: a `source` under `terraform.io/builtin/` (any
 * built-in, present or future), or the local name `terraform` without another source (it can
 * only mean the built-in one: the registry has no installable provider under that name).
 */
export function isBuiltin(name: string, source: string | undefined): boolean {
  if (source !== undefined) return /^(?:registry\.)?terraform\.io\/builtin\//i.test(source.trim()) || /^builtin\//i.test(source.trim());
  return name === 'terraform';
}

/** Does the provider `name` in the `required_providers` of the module `scope` carry a version? */
function pins(files: TerraformFile[], name: string): boolean {
  return files.some((f) =>
    blocksOf(f.body, 'terraform').some((tf) =>
      blocksOf(tf, 'required_providers').some((rp) =>
        rp.attributes.some((a) => {
          if (a.name !== name) return false;
          if (a.value.type === 'string') return !!a.value.value.trim();
          if (a.value.type !== 'object') return false;
          const version = a.value.items.find((i) => i.key === 'version');
          return !!version && (str(version.value) === undefined || !!str(version.value)!.trim());
        }),
      ),
    ),
  );
}

/**
 * Is module `dir` called (directly or through other local modules) by a module of this
 * repository that pins provider `name` or commits `.terraform.lock.hcl`? Callers that are
 * examples or tests (a published module's `examples/`) do not count: users call it from elsewhere.
 */
function pinnedByCaller(ctx: TfContext, dir: string, name: string, seen: Set<string>, depth: number): boolean {
  if (depth > 5 || seen.has(dir)) return false;
  seen.add(dir);
  for (const call of callersOf(ctx, dir)) {
    if (call.dir === dir || isNonProduction(call.file, ctx.config)) continue;
    if (ctx.index.exists(`${call.dir}/.terraform.lock.hcl`)) return true;
    if (pins(moduleScope(ctx, call.dir).files, name)) return true;
    if (pinnedByCaller(ctx, call.dir, name, seen, depth + 1)) return true;
  }
  return false;
}
