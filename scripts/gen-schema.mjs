// Writes opsreview.schema.json (the JSON schema of .opsreview.yml) and checklist.schema.json (of
// .opsreview/checklists/*.yml) from the zod schemas, so the schemas editors validate against can
// never drift from the ones the engine enforces.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'opsreview-schema-'));
const schemas = [
  { entry: 'src/engine/config/schema.ts', fn: 'configJsonSchema', file: 'opsreview.schema.json' },
  { entry: 'src/engine/checklists/schema.ts', fn: 'checklistJsonSchema', file: 'checklist.schema.json' },
];
for (const [i, s] of schemas.entries()) {
  const out = join(dir, `schema${i}.cjs`);
  await esbuild.build({ entryPoints: [s.entry], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning' });
  const mod = createRequire(import.meta.url)(out);
  writeFileSync(s.file, JSON.stringify(mod[s.fn](), null, 2) + '\n');
  console.log(`wrote ${s.file}`);
}
rmSync(dir, { recursive: true, force: true });
