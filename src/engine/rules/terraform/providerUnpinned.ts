import type { TerraformFile } from '../../parsers/hclAst';
import type { RuleFinding } from '../../types';
import type { Rule } from '../types';
import { blocksOf, str } from './hcl';

// A required provider without a version constraint lets `terraform init` (on a machine or CI
// runner without the lock file, or after `init -upgrade`) install the newest release, majors
// included: the same commit plans differently from one day to the next.

export const rule: Rule<TerraformFile> = {
  meta: {
    id: 'terraform/provider-unpinned',
    description: 'A `required_providers` entry has no `version` constraint.',
    defaultSeverity: 'warning',
    practice: 'supply-chain-pinning',
    kinds: ['terraform'],
    // An example's or a test's root takes whatever the module it shows needs: users pin in their copy.
    productionOnly: true,
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
