import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../engine/engine';
import { folderArg } from './folder';

// `opsreview files`: what the index holds and why. Each file with its kind and the reason it was
// classified so; markdown read but not taken as a runbook; files skipped, with the reason.

export interface FileRow {
  file: string;
  /** A file kind, `not indexed` (read, not a kind OpsReview checks) or `skipped` (not read). */
  kind: string;
  reason: string;
  /** For `not indexed` and `skipped` rows: the reason as a code (`no-known-kind`, `not-runbook`, `gitignore`, …). */
  code?: string;
}

export function fileRows(engine: Engine): FileRow[] {
  const rows: FileRow[] = [...engine.index.files()].map((f) => ({ file: f.relPath, kind: f.kind, reason: f.reason ?? '' }));
  for (const u of engine.index.unindexed()) rows.push({ file: u.relPath, kind: 'not indexed', reason: u.reason, code: u.code });
  for (const s of engine.index.skipped) rows.push({ file: s.relPath, kind: 'skipped', reason: s.reason, code: s.code });
  return rows.sort((a, b) => a.file.localeCompare(b.file) || a.kind.localeCompare(b.kind));
}

export async function filesCommand(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', short: 'f', default: 'text' }, config: { type: 'string', short: 'c' } },
  });
  if (!['text', 'json'].includes(values.format!)) {
    err(`opsreview: --format must be text or json (got '${values.format}').\n`);
    return 2;
  }
  if (positionals.length > 1) {
    err('opsreview: files takes one folder.\n');
    return 2;
  }
  const root = folderArg(positionals[0], err);
  if (!root) return 2;
  const engine = await Engine.create(root, { configPath: values.config ? path.resolve(values.config) : undefined });
  const rows = fileRows(engine);
  if (values.format === 'json') {
    out(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const fw = Math.min(70, Math.max(4, ...rows.map((r) => r.file.length)));
  const kw = Math.max(4, ...rows.map((r) => r.kind.length));
  for (const r of rows) out(`${r.file.padEnd(fw)}  ${r.kind.padEnd(kw)}  ${r.code ? `[${r.code}] ` : ''}${r.reason}\n`);
  const indexed = rows.filter((r) => r.kind !== 'skipped' && r.kind !== 'not indexed').length;
  out(`${indexed} files indexed, ${rows.filter((r) => r.kind === 'not indexed').length} markdown, YAML and HCL files not indexed, ${rows.filter((r) => r.kind === 'skipped').length} skipped.\n`);
  return 0;
}
