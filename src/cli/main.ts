import { existsSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { SkippedFile, summariseSkipped, toPosix } from '../engine/discovery';
import { Engine } from '../engine/engine';
import { ALL_RULE_METAS } from '../engine/rules';
import { currentRuleId } from '../engine/rules/retired';
import { startServer } from '../server/server';
import { CHECKLIST_USAGE, checklistCommand, ChecklistUsageError } from './checklist';
import { describeConventions } from '../engine/conventions/detect';
import { filesCommand } from './files';
import type { Finding, SuppressedFinding } from '../engine/types';
import { cachedFindings, cacheFile, cacheKey, DEFAULT_CACHE_LOCATION, readCache, writeCache } from './cache';
import { formatJson } from './formatters/json';
import { initCommand } from './init';
import { formatSarif } from './formatters/sarif';
import { formatText } from './formatters/text';
import { route, ROUTE_USAGE } from './route';
import { runbookCommand, RUNBOOK_USAGE } from './runbook';
import { SERVICES_USAGE, servicesCommand } from './services';
import { applyBaseline, BaselineResult } from '../engine/baseline';
import { relativeTo, withFingerprints } from '../engine/fingerprint';
import { BASELINE_USAGE, baselineCommand, BaselineError, ciContext, loadBaseline } from './baseline';
import { changedFiles, GitError } from './git';
import { formatGithub } from './formatters/github';
import { formatGitlab } from './formatters/gitlab';
import { formatMarkdown } from './formatters/markdown';
import { FormatInput, skippedLines, suppressedLines, unmatchedBaselineLines } from './formatters/types';

const FORMATS = ['text', 'json', 'sarif', 'gitlab', 'github', 'markdown'];

// `opsreview check` runs the same engine as the editor, so CI enforces what people see.
// Exit codes: 0 clean (or warnings within --max-warnings), 1 findings over the limit,
// 2 usage or configuration errors.

const VERSION = '0.1.0';

const USAGE = `Usage:
  opsreview check [paths...] [--config FILE] [--format text|json|sarif|gitlab|github|markdown]
                  [--max-warnings N] [--rule ID ...] [--output FILE] [--verbose] [--cache]
                  [--cache-location PATH] [--baseline FILE | --no-baseline] [--changed-since REF]
                  [--profile recommended|all]
${BASELINE_USAGE}
  opsreview rules [--format text|json]     list every rule with severity and description
${CHECKLIST_USAGE}
  opsreview init [folder] [--dry-run] [--force]
                                           write .opsreview.yml with the conventions detected
  opsreview files [folder] [--format text|json]
                                           list indexed files with their kind and why
${ROUTE_USAGE}
${RUNBOOK_USAGE}
${SERVICES_USAGE}
  opsreview lsp --stdio                    run the language server (for Neovim, Helix, Emacs, ...)
  opsreview --version | --help

check: lints the folder given (default: the current folder); with file paths, lints their
workspace (the nearest folder above them with .opsreview.yml or .git) and reports only them. Errors always fail; warnings fail
when there are more than --max-warnings (default: unlimited); info never fails. Folders and files
left out (.gitignore, exclude, built-in skips, size limit, templates, links out of the folder) are
counted after the findings (text), in SARIF's invocations[0].toolExecutionNotifications, or on
stderr (json); --verbose lists each one. --cache reuses the last results while no file, config or
OpsReview version changed (stored under ${DEFAULT_CACHE_LOCATION}/ unless --cache-location says where).
A baseline (.opsreview-baseline.json in the checked folder, or --baseline FILE) hides the findings it
records; entries that match nothing any more are reported. --changed-since REF reports only files
changed since the merge base of the git revision REF and HEAD (committed, staged, unstaged, untracked).
Formats for CI: sarif (code scanning), gitlab (Code Quality report), github (workflow annotations),
markdown (a job summary or pull-request comment, always under 60,000 characters).`;

class UsageError extends Error {}

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await check(rest, out, err);
      case 'baseline':
        return await baselineCommand(rest, out, err);
      case 'checklist':
        return await checklistCommand(rest, out, err);
      case 'rules':
        return listRules(rest, out);
      case 'init':
        return await initCommand(rest, out, err);
      case 'files':
        return await filesCommand(rest, out, err);
      case 'route':
        return await route(rest, out, err);
      case 'runbook':
        return await runbookCommand(rest, out, err);
      case 'services':
        return await servicesCommand(rest, out, err);
      case 'lsp': {
        // Transport flags (--stdio, --node-ipc, --socket=N) are read by the server itself.
        if (!rest.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) process.argv.push('--stdio');
        startServer(createConnection(ProposedFeatures.all));
        return new Promise<number>(() => undefined); // runs until the client exits
      }
      case '--version':
      case '-v':
        out(VERSION + '\n');
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        out(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command '${command}'.`);
    }
  } catch (e) {
    if (e instanceof GitError || e instanceof BaselineError) {
      err(`opsreview: ${(e as Error).message}\n`);
      return 2;
    }
    if (e instanceof UsageError || e instanceof ChecklistUsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`opsreview: ${(e as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    err(`opsreview: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

async function check(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      // Repeatable: `--format sarif=out.sarif` writes that format to a file as well (one run, several reports).
      format: { type: 'string', short: 'f', multiple: true, default: ['text'] },
      'max-warnings': { type: 'string' },
      rule: { type: 'string', multiple: true },
      output: { type: 'string', short: 'o' },
      color: { type: 'boolean', default: false },
      verbose: { type: 'boolean', short: 'V', default: false },
      cache: { type: 'boolean', default: false },
      'cache-location': { type: 'string' },
      baseline: { type: 'string' },
      'no-baseline': { type: 'boolean', default: false },
      'changed-since': { type: 'string' },
      profile: { type: 'string' },
    },
  });
  const formats = values.format!.map((f) => {
    const eq = f.indexOf('=');
    const name = eq < 0 ? f : f.slice(0, eq);
    if (!FORMATS.includes(name)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, optionally as FORMAT=FILE (got '${f}').`);
    if (eq === f.length - 1) throw new UsageError(`--format ${f} needs a file name after '='.`);
    return { name, file: eq < 0 ? undefined : f.slice(eq + 1) };
  });
  const toStdout = formats.filter((f) => !f.file);
  if (toStdout.length > 1) throw new UsageError(`only one --format goes to ${values.output ? '--output' : 'standard output'} (got ${toStdout.map((f) => f.name).join(', ')}); write the others to files with FORMAT=FILE.`);
  const format = toStdout[0]?.name ?? 'text';
  if (values.baseline !== undefined && values['no-baseline']) throw new UsageError('--baseline and --no-baseline exclude each other.');
  let maxWarnings = Infinity;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < -1) throw new UsageError(`--max-warnings must be a whole number (got '${values['max-warnings']}').`);
    if (maxWarnings === -1) maxWarnings = Infinity;
  }
  const ruleIds = values.rule
    ?.flatMap((r) => r.split(','))
    .map((r) => currentRuleId(r.trim()))
    .filter(Boolean);
  for (const id of ruleIds ?? []) {
    if (!ALL_RULE_METAS.some((m) => m.id === id)) throw new UsageError(`Unknown rule '${id}'. Run 'opsreview rules' for the list.`);
  }

  // Which folder is the workspace, and which files to report.
  const targets = (positionals.length ? positionals : ['.']).map((p) => path.resolve(p));
  for (const t of targets) if (!existsSync(t)) throw new UsageError(`No such file or folder: ${t}`);
  const singleDir = targets.length === 1 && statSync(targets[0]).isDirectory();
  const root = singleDir ? targets[0] : projectRoot(commonDir(targets));
  const filter = singleDir ? undefined : targets.map((t) => toPosix(t));
  // --changed-since: only files git says changed (and, with file targets, only those of them).
  const changed = values['changed-since'] !== undefined ? changedFiles(root, values['changed-since']) : undefined;
  const inScope = (p: string): boolean => (!filter || filter.some((t) => p === t || p.startsWith(t + '/'))) && (!changed || changed.has(p));
  const baseline = loadBaseline(root, values.baseline, values['no-baseline']!);

  if (values.config && !existsSync(path.resolve(values.config))) {
    err(`opsreview: config file not found: ${values.config}\n`);
    return 2;
  }
  const configPath = values.config ? path.resolve(values.config) : undefined;
  // --profile: the rules and findings reported without configuration (profile.ts), over the config's.
  const profile = values.profile;
  if (profile !== undefined && profile !== 'recommended' && profile !== 'all') throw new UsageError(`--profile must be recommended or all (got '${profile}').`);
  // --cache: a folder check whose workspace, config and version are unchanged is answered from
  // the last run's results (file targets always run: they are quick and report a subset).
  let cache: { file: string; key: string } | undefined;
  if (values.cache && singleDir && !changed) {
    const loaded = Engine.loadConfig(root, configPath);
    if (!loaded.errors.length) {
      const file = cacheFile(values['cache-location']);
      const key = await cacheKey(root, { version: VERSION, config: profile ? { ...loaded.config, profile } : loaded.config, only: ruleIds, cacheFile: file });
      const hit = readCache(file, key);
      if (hit) return report(cachedFindings(hit, toPosix(root)), hit.filesChecked, toPosix(root), hit);
      cache = { file, key };
    }
  }
  const engine = await Engine.create(root, { configPath, only: ruleIds, profile });
  if (engine.configErrors.length) {
    const where = engine.configPath ?? '.opsreview.yml';
    for (const e of engine.configErrors) err(`${where}:${e.range.start.line + 1}:${e.range.start.character + 1} error ${e.message} opsreview/config-invalid\n`);
    err('opsreview: the configuration is invalid; fix it before checking.\n');
    return 2;
  }

  let findings = withFingerprints(engine.allFindings(), engine.index);
  const scoped = filter || changed;
  if (scoped) findings = findings.filter((f) => inScope(f.path));
  const filesInScope = scoped ? [...engine.index.files()].filter((f) => inScope(f.path)) : undefined;
  const filesChecked = filesInScope ? filesInScope.length : engine.index.size;
  const suppressed = engine.externallySuppressed().filter((f) => !scoped || inScope(f.path));
  const extra = { skipped: engine.index.skipped, conventions: describeConventions(engine.conventions), suppressed };
  if (cache) {
    try {
      writeCache(cache.file, cache.key, engine.index.root, findings, filesChecked, { skipped: extra.skipped, conventions: extra.conventions });
    } catch (e) {
      err(`opsreview: could not write the cache (${(e as Error).message}); results are not cached.\n`);
    }
  }
  return report(findings, filesChecked, engine.index.root, extra, filesInScope && new Set(filesInScope.map((f) => f.relPath)));

  function report(all: Finding[], filesChecked: number, checkedRoot: string, extra: { skipped?: readonly SkippedFile[]; conventions?: string; suppressed?: readonly SuppressedFinding[] }, scopeFiles?: ReadonlySet<string>): number {
    // The baseline hides what it records; its entries of the files and rules checked that match
    // nothing are reported.
    let split: BaselineResult | undefined;
    if (baseline) {
      const files = scopeFiles ?? (scoped ? new Set(all.map((f) => relativeTo(checkedRoot, f.path))) : undefined);
      split = applyBaseline(all, baseline.baseline, checkedRoot, { files, rules: ruleIds });
    }
    const findings = split ? split.fresh : all;
    const input: FormatInput = {
      root: checkedRoot,
      findings,
      ...(baseline && split ? { baseline: { file: path.relative(process.cwd(), baseline.file) || baseline.file, hidden: split.baselined.length, unmatched: split.unmatched } } : {}),
      ...(formats.some((f) => ['github', 'gitlab', 'markdown'].includes(f.name)) ? ciContext(checkedRoot) : {}),
      rules: ruleIds ? ALL_RULE_METAS.filter((m) => ruleIds.includes(m.id)) : ALL_RULE_METAS,
      filesChecked,
      toolVersion: VERSION,
      skipped: extra.skipped ?? [],
      verbose: values.verbose,
      conventions: extra.conventions,
      suppressed: extra.suppressed,
    };
    const render = (name: string): string =>
      name === 'json'
        ? formatJson(input)
        : name === 'sarif'
          ? formatSarif(input)
          : name === 'gitlab'
            ? formatGitlab(input)
            : name === 'github'
              ? formatGithub(input)
              : name === 'markdown'
                ? formatMarkdown(input)
                : formatText(input, values.color);
    for (const f of formats) if (f.file) writeFileSync(f.file, render(f.name));
    const text = render(format);
    if (values.output) writeFileSync(values.output, text);
    else out(text);
    // JSON stays one array of findings; the skips go to stderr where a person (or CI log) sees them.
    if (format === 'json' && input.skipped?.length) {
      if (values.verbose) for (const l of skippedLines(input.skipped)) err(`opsreview: ${l}\n`);
      err(`opsreview: skipped ${summariseSkipped(input.skipped)}${values.verbose ? '' : '; --verbose lists them'}\n`);
    }
    if (format === 'json' && values.verbose) for (const l of suppressedLines(checkedRoot, input.suppressed ?? [])) err(`opsreview: ${l}\n`);
    // Formats that are one JSON document say what the baseline did on stderr.
    if ((format === 'json' || format === 'gitlab' || format === 'sarif') && input.baseline) {
      if (input.baseline.hidden) err(`opsreview: ${input.baseline.hidden} findings in the baseline (${input.baseline.file}) not shown\n`);
      for (const l of unmatchedBaselineLines(input)) err(`opsreview: ${l}\n`);
    }

    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    if (errors > 0 || warnings > maxWarnings) {
      if (warnings > maxWarnings && format !== 'text') err(`opsreview: ${warnings} warnings exceed --max-warnings ${maxWarnings}\n`);
      return 1;
    }
    return 0;
  }
}

/** The deepest folder holding every target. */
function commonDir(targets: string[]): string {
  const dirs = targets.map((t) => (statSync(t).isDirectory() ? t : path.dirname(t)));
  let common = dirs[0];
  while (!dirs.every((d) => d === common || d.startsWith(common + path.sep))) common = path.dirname(common);
  return common;
}

/** For file targets, the workspace is the nearest folder above them with a config or a .git. */
function projectRoot(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (['.opsreview.yml', '.opsreview.yaml', '.git'].some((m) => existsSync(path.join(d, m)))) return d;
    if (path.dirname(d) === d) return dir;
  }
}

function listRules(args: string[], out: (s: string) => void): number {
  const { values } = parseArgs({ args, options: { format: { type: 'string', default: 'text' } } });
  const metas = [...ALL_RULE_METAS].sort((a, b) => a.id.localeCompare(b.id));
  if (values.format === 'json') {
    out(JSON.stringify(metas, null, 2) + '\n');
    return 0;
  }
  const width = Math.max(...metas.map((m) => m.id.length));
  for (const m of metas) out(`${m.id.padEnd(width)}  ${m.defaultSeverity.padEnd(7)}  ${m.description}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`opsreview: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
