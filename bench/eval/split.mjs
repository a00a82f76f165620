#!/usr/bin/env node
// Prints the tune / held-out split of bench/eval/repos.json, reproducibly.
//
//   node bench/eval/split.mjs [--json]
//
// Rule: sha256 of the "owner/name" string (UTF-8, exactly as in repos.json); first hex digit
// even -> tune, odd -> heldout. Nothing else decides (not the kind, not the size).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export function loadRepos() {
  return JSON.parse(readFileSync(join(here, 'repos.json'), 'utf8')).repos;
}
export function halfOf(name) {
  const digit = parseInt(createHash('sha256').update(name, 'utf8').digest('hex')[0], 16);
  return digit % 2 === 0 ? 'tune' : 'heldout';
}
/** owner/name -> folder name under /work/corpus/<half>/ */
export const folderOf = (name) => name.replace('/', '+');
/**
 * Round 1 (no `round` field) gives halves `tune` and `heldout`; a later round N, chosen after
 * round 1's held-out half had been read, gives `tuneN` and `heldoutN` by the same hash rule.
 */
export function split() {
  const out = { tune: [], heldout: [] };
  for (const r of loadRepos()) {
    const half = halfOf(r.repo) + (r.round && r.round > 1 ? String(r.round) : '');
    (out[half] ??= []).push(r);
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const s = split();
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(s, null, 2) + '\n');
  } else {
    for (const half of Object.keys(s)) {
      const kinds = {};
      for (const r of s[half]) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
      console.log(`${half}: ${s[half].length} repositories (${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', ')})`);
      for (const r of s[half]) console.log(`  ${r.repo}\t${r.kind}`);
    }
  }
}
