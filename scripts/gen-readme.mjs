// Regenerates the rule table and the crosswalk in README.md from the rules' meta, between
// <!-- rules:start --> / <!-- rules:end --> and <!-- crosswalk:start --> / <!-- crosswalk:end -->,
// and the built-in checklist items with what proves each (<!-- checklists:start --> / end).
// `node scripts/gen-readme.mjs --check` exits 1 when README.md is out of date.
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'opsreview-readme-'));
const out = join(dir, 'rules.cjs');
await esbuild.build({ entryPoints: ['src/engine/readme.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning' });
const { renderRuleTable, renderCrosswalk, renderChecklistItems } = createRequire(import.meta.url)(out);
rmSync(dir, { recursive: true, force: true });

const readme = readFileSync('README.md', 'utf8');
const replace = (text, name, body) => {
  const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(text)) throw new Error(`README.md lacks the <!-- ${name}:start --> marker`);
  return text.replace(re, `$1${body}$2`);
};
const next = replace(replace(replace(readme, 'rules', renderRuleTable()), 'crosswalk', renderCrosswalk()), 'checklists', renderChecklistItems());
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('README.md rule tables are out of date: run `node scripts/gen-readme.mjs`');
    process.exit(1);
  }
  console.log('README.md rule tables are up to date');
} else {
  writeFileSync('README.md', next);
  console.log('README.md rule tables written');
}
