// The benchmarks load the engine as one CommonJS bundle built from the TypeScript sources. It is
// written inside the repository (out/ is ignored) so the tree-sitter WASM grammars resolve from
// node_modules.
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Bundles `contents` (a TypeScript module re-exporting what the benchmark needs) and loads it. */
export async function loadBundle(name, contents, repo = process.cwd()) {
  mkdirSync(join(repo, 'out'), { recursive: true });
  const outfile = join(repo, 'out', `${name}.cjs`);
  await esbuild.build({
    stdin: { contents, resolveDir: repo, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return createRequire(import.meta.url)(outfile);
}
