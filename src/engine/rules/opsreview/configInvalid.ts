import type { Rule } from '../types';

// `.opsreview.yml` is indexed like any file; its YAML and schema errors (positioned by
// config/load.ts with zod's messages) become findings here.
export const rule: Rule = {
  meta: {
    id: 'opsreview/config-invalid',
    description: 'The .opsreview.yml configuration is not valid YAML or does not match the schema; defaults apply until it is fixed.',
    defaultSeverity: 'error',
    practice: 'valid-configuration',
    kinds: ['opsreview-config'],
  },
  check(ctx) {
    // Errors block the config (defaults apply); warnings (a retired rule id) do not.
    return ctx.file.errors.map((e) => ({ range: e.range, message: e.message, ...(e.severity === 'error' ? {} : { severity: e.severity }) }));
  },
};
