// Bundles the extension client, the language server and the CLI into dist/.
//   node esbuild.mjs              development build with source maps
//   node esbuild.mjs --production minified, for `npm run package`
//   node esbuild.mjs --watch      rebuild on change
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** The tree-sitter runtime and grammars are WASM files loaded at run time: ship them beside the bundles. */
function copyWasm() {
  mkdirSync('dist', { recursive: true });
  const runtime = join(dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm');
  const grammars = dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json'));
  copyFileSync(runtime, 'dist/tree-sitter.wasm');
  copyFileSync(join(grammars, 'tree-sitter-terraform.wasm'), 'dist/tree-sitter-terraform.wasm');
  copyFileSync(join(grammars, 'tree-sitter-hcl.wasm'), 'dist/tree-sitter-hcl.wasm');
}

/** The checklist webview loads the codicon font from media/ (no remote resources). */
function copyCodicons() {
  const dist = join(dirname(require.resolve('@vscode/codicons/package.json')), 'dist');
  mkdirSync('media/codicons', { recursive: true });
  copyFileSync(join(dist, 'codicon.css'), 'media/codicons/codicon.css');
  copyFileSync(join(dist, 'codicon.ttf'), 'media/codicons/codicon.ttf');
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // terraform.ts falls back to require.resolve only outside the bundle (unit tests); in dist/
  // it finds the WASM files beside itself first.
  logOverride: { 'require-resolve-not-external': 'silent' },
  // web-tree-sitter references these Node built-ins conditionally.
  external: ['vscode'],
};

const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

copyWasm();
copyCodicons();
const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[opsreview] watching for changes…');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  console.log(`[opsreview] built dist/ (${production ? 'production' : 'development'})`);
}
