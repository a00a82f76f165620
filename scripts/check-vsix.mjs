// Checks what `npm run package` produced (the files list in package.json decides what ships, for the
// .vsix and the npm package alike): under 5 MB, no test files, no source maps, no
// node_modules, and the files the extension needs at run time. Prints the size and file count.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

const vsix = process.argv[2] ?? 'opsreview.vsix';
const size = statSync(vsix).size;
const files = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).trim().split('\n');
const problems = [];
if (size > 5 * 1024 * 1024) problems.push(`larger than 5 MB (${size} bytes)`);
for (const f of files) {
  if (/\.map$/.test(f)) problems.push(`source map shipped: ${f}`);
  if (/(^|\/)(test|tests|out)\//.test(f.replace(/^extension\//, ''))) problems.push(`test or build output shipped: ${f}`);
  if (/node_modules\//.test(f)) problems.push(`dependency folder shipped: ${f}`);
}
for (const need of ['extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/cli.js', 'extension/dist/tree-sitter.wasm', 'extension/dist/tree-sitter-terraform.wasm', 'extension/package.json', 'extension/opsreview.schema.json', 'extension/checklist.schema.json', 'extension/media/checklist.js', 'extension/media/codicons/codicon.css', 'extension/media/codicons/codicon.ttf']) {
  if (!files.includes(need)) problems.push(`missing ${need}`);
}
console.log(`${vsix}: ${(size / 1024).toFixed(0)} KB, ${files.length} files`);
if (problems.length) {
  console.error(problems.map((p) => `  - ${p}`).join('\n'));
  process.exit(1);
}
