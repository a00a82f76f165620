// Benchmark: the time a 5,000-entry baseline adds to `opsreview check`. Generates a workspace with
// at least 5,000 findings, records a baseline of 5,000 of them, then times `check` with and
// without it (alternating, median of the rounds) and the baseline's own steps in isolation.
// Prints figures; asserts nothing.
//   node bench/baseline.mjs [files=4500] [rounds=5]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle } from './bundle.mjs';
import { generate } from './generate.mjs';

const files = Number(process.argv[2] ?? 4500);
const rounds = Number(process.argv[3] ?? 5);
const { main, Engine, withFingerprints, parseBaseline, applyBaseline } = await loadBundle(
  'bench-baseline',
  "export { main } from './src/cli/main'; export { Engine } from './src/engine/engine'; export { withFingerprints } from './src/engine/fingerprint'; export { parseBaseline, applyBaseline } from './src/engine/baseline';",
);
const quiet = () => undefined;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ws = mkdtempSync(join(tmpdir(), 'opsreview-baseline-bench-'));
try {
  generate(ws, files);
  const blFile = join(ws, '.opsreview-baseline.json');
  await main(['baseline', ws], quiet, quiet);
  const all = JSON.parse(readFileSync(blFile, 'utf8'));
  if (all.entries.length < 5000) {
    console.log(`only ${all.entries.length} findings with ${files} files: pass a larger file count`);
    process.exit(1);
  }
  // Exactly 5,000 entries: the rest of the findings are "new" and get reported.
  writeFileSync(blFile, JSON.stringify({ version: all.version, entries: all.entries.slice(0, 5000) }));

  const time = async (args) => {
    const t = performance.now();
    await main(args, quiet, quiet);
    return performance.now() - t;
  };
  await time(['check', ws, '--format', 'json', '--no-baseline']); // warm-up
  const without = [];
  const withBl = [];
  for (let i = 0; i < rounds; i++) {
    without.push(await time(['check', ws, '--format', 'json', '--no-baseline']));
    withBl.push(await time(['check', ws, '--format', 'json']));
  }

  // The baseline's own steps, in isolation (what the end-to-end difference is made of).
  const engine = await Engine.create(ws);
  const findings = engine.allFindings();
  // Median of 7 runs each (the first pays for JIT compilation).
  let fps;
  let split;
  const fpTimes = [];
  const matchTimes = [];
  for (let i = 0; i < 7; i++) {
    let t = performance.now();
    fps = withFingerprints(findings, engine.index);
    fpTimes.push(performance.now() - t);
    t = performance.now();
    const parsed = parseBaseline(readFileSync(blFile, 'utf8'));
    split = applyBaseline(fps, parsed.baseline, engine.index.root);
    matchTimes.push(performance.now() - t);
  }
  const fingerprinting = median(fpTimes);
  const matching = median(matchTimes);

  const a = median(without);
  const b = median(withBl);
  console.log(`workspace: ${engine.index.size} files, ${findings.length} findings; baseline 5000 entries (${split.baselined.length} matched, ${split.fresh.length} reported, ${split.unmatched.length} unmatched)`);
  console.log(`check without baseline: median ${a.toFixed(0)} ms [${without.map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`check with baseline:    median ${b.toFixed(0)} ms [${withBl.map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`difference: ${(b - a).toFixed(0)} ms (${((100 * (b - a)) / a).toFixed(1)}%)`);
  console.log(`in isolation (median of 7; first run ${matchTimes[0].toFixed(1)} / ${fpTimes[0].toFixed(1)} ms): read + parse + match 5000 entries ${matching.toFixed(1)} ms (${((100 * matching) / a).toFixed(2)}% of a check); fingerprinting ${findings.length} findings (done with or without a baseline) ${fingerprinting.toFixed(1)} ms (${((100 * fingerprinting) / a).toFixed(2)}%)`);
} finally {
  rmSync(ws, { recursive: true, force: true });
}
