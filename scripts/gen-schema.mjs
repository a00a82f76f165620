// Writes opsreview.schema.json (the JSON schema of .opsreview.yml) from the zod schema, so the
// schema editors validate against can never drift from the one the engine enforces.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'opsreview-schema-'));
const out = join(dir, 'schema.cjs');
await esbuild.build({ entryPoints: ['src/engine/config/schema.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning' });
const { configJsonSchema } = createRequire(import.meta.url)(out);
writeFileSync('opsreview.schema.json', JSON.stringify(configJsonSchema(), null, 2) + '\n');
rmSync(dir, { recursive: true, force: true });
console.log('wrote opsreview.schema.json');
