import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Baseline, BASELINE_FILE, makeBaseline, parseBaseline, serialiseBaseline } from '../engine/baseline';
import { toPosix } from '../engine/discovery';
import { Engine } from '../engine/engine';
import { withFingerprints } from '../engine/fingerprint';

// `opsreview baseline [folder] [--output FILE]`: records every current finding so `check`
// reports only new ones. The file is meant to be committed; rerun it to drop fixed entries.

export const BASELINE_USAGE = `  opsreview baseline [folder] [--output FILE] [--config FILE]
                                           record today's findings in ${BASELINE_FILE}; check then reports only new ones`;

export class BaselineError extends Error {}

export async function baselineCommand(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { output: { type: 'string', short: 'o' }, config: { type: 'string', short: 'c' } },
  });
  if (positionals.length > 1) {
    err('opsreview: baseline takes one folder.\n');
    return 2;
  }
  const root = path.resolve(positionals[0] ?? '.');
  if (!existsSync(root)) {
    err(`opsreview: no such folder: ${root}\n`);
    return 2;
  }
  if (values.config && !existsSync(path.resolve(values.config))) {
    err(`opsreview: config file not found: ${values.config}\n`);
    return 2;
  }
  const engine = await Engine.create(root, { configPath: values.config ? path.resolve(values.config) : undefined });
  if (engine.configErrors.length) {
    err('opsreview: the configuration is invalid; fix it (`opsreview check` shows where) before writing a baseline.\n');
    return 2;
  }
  const findings = withFingerprints(engine.allFindings(), engine.index);
  const file = path.resolve(values.output ?? path.join(root, BASELINE_FILE));
  const baseline = makeBaseline(findings, toPosix(engine.index.root));
  writeFileSync(file, serialiseBaseline(baseline));
  out(`Wrote ${baseline.entries.length} ${baseline.entries.length === 1 ? 'entry' : 'entries'} to ${path.relative(process.cwd(), file) || file}. \`opsreview check\` now reports only findings not in it.\n`);
  return 0;
}

/**
 * The baseline `check` uses: `--baseline FILE`, else `.opsreview-baseline.json` in the checked
 * folder when it exists; none with `--no-baseline`. A named file that is missing or unreadable is
 * an error (BaselineError), never silently ignored.
 */
export function loadBaseline(root: string, named: string | undefined, none: boolean): { file: string; baseline: Baseline } | undefined {
  if (none) return undefined;
  const file = named ? path.resolve(named) : path.join(root, BASELINE_FILE);
  if (!existsSync(file)) {
    if (named) throw new BaselineError(`baseline file not found: ${named}`);
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new BaselineError(`cannot read the baseline ${file}: ${(e as Error).message}`);
  }
  const parsed = parseBaseline(text);
  if ('error' in parsed) throw new BaselineError(`${path.relative(process.cwd(), file) || file}: ${parsed.error}`);
  return { file, baseline: parsed.baseline };
}

/** Where CI paths start and how to link to a file, from the CI's environment (GitHub Actions, GitLab CI). */
export function ciContext(root: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { pathBase: string; fileUrl?: (p: string, line: number) => string } {
  const candidates = [env.GITHUB_WORKSPACE, env.CI_PROJECT_DIR, cwd].filter((d): d is string => !!d).map((d) => toPosix(path.resolve(d)));
  const pathBase = candidates.find((d) => root === d || root.startsWith(d + '/')) ?? root;
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_SHA) {
    const base = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}`;
    return { pathBase, fileUrl: (p, line) => `${base}/${p}#L${line}` };
  }
  if (env.CI_PROJECT_URL && env.CI_COMMIT_SHA) {
    const base = `${env.CI_PROJECT_URL}/-/blob/${env.CI_COMMIT_SHA}`;
    return { pathBase, fileUrl: (p, line) => `${base}/${p}#L${line}` };
  }
  return { pathBase };
}
