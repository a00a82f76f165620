import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_FILE_NAMES } from '../engine/config/load';
import { mergeIntoConfig, renderConfig } from '../engine/conventions/configText';
import { describeConventions } from '../engine/conventions/detect';
import { Engine } from '../engine/engine';
import { folderArg } from './folder';

// `opsreview init [folder] [--dry-run] [--force]`: writes a commented `.opsreview.yml` with the
// conventions detected from the folder's files and the evidence for each, without questions.
// An existing file is never replaced: without --force init refuses (exit 2); with --force the
// detected options it does not set are merged in, its own options and comments kept.

export async function initCommand(args: string[], out: (s: string) => void, err: (s: string) => void, today = new Date()): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, force: { type: 'boolean', default: false } },
  });
  if (positionals.length > 1) {
    err('opsreview: init takes one folder.\n');
    return 2;
  }
  const root = folderArg(positionals[0], err);
  if (!root) return 2;
  const existing = CONFIG_FILE_NAMES.map((n) => path.join(root, n)).find((f) => existsSync(f));
  if (existing && !values.force && !values['dry-run']) {
    err(`opsreview: ${existing} already exists; not overwriting it. Use --dry-run to print the detected configuration, or --force to add the detected options it does not set (its own options and comments are kept).\n`);
    return 2;
  }
  // Without a file here, detect from the files alone: a config further up belongs to another
  // project, and the file written here will replace it for this folder.
  const engine = await Engine.create(root, existing ? { configPath: existing } : { ignoreConfigFile: true });
  if (existing && engine.configErrors.length) {
    err(`opsreview: ${existing} is invalid (${engine.configErrors[0].message}); fix it before merging detected options into it.\n`);
    return 2;
  }
  const summary = describeConventions(engine.conventions);
  let text: string;
  let target = path.join(root, CONFIG_FILE_NAMES[0]);
  if (existing) {
    const merged = mergeIntoConfig(readFileSync(existing, 'utf8'), engine.conventions, engine.explicitKeys);
    if (!merged) {
      err(`opsreview: ${existing} is not a YAML mapping; not changing it.\n`);
      return 2;
    }
    text = merged.text;
    target = existing;
    if (!values['dry-run']) err(merged.added.length ? `opsreview: adding ${merged.added.join(', ')} to ${existing}\n` : `opsreview: ${existing} already sets every detected option; unchanged.\n`);
  } else {
    text = renderConfig(engine.conventions, today.toISOString().slice(0, 10));
  }
  if (values['dry-run']) {
    out(text);
    return 0;
  }
  writeFileSync(target, text);
  out(`Wrote ${target}${summary ? ` (${summary})` : ''}.\n`);
  return 0;
}
