import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { availableChecklists, checklistMarkdown, ChecklistResult, evaluateChecklist, findChecklist, isValidRunName, listRuns, readRun, runFile } from '../engine/checklists';
import { Engine } from '../engine/engine';

// `opsreview checklist list|run`: the release gate in CI. The same engine functions as the
// editor's checklist panel evaluate the evidence and read the run file, so CI blocks exactly
// what the panel shows as blocking. Exit codes: 0 ready, 1 blocked, 2 usage or file errors.

export const CHECKLIST_USAGE = `  opsreview checklist list [folder] [--format text|json]   the checklists offered (built-in and .opsreview/checklists/)
  opsreview checklist run <id> [folder] [--run NAME] [--format text|json|markdown]
                                           evaluate a checklist (and a run's ticks); exit 0 ready, 1 blocked`;

export class ChecklistUsageError extends Error {}

type Out = (s: string) => void;

export async function checklistCommand(args: string[], out: Out, err: Out): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') return list(rest, out);
  if (sub === 'run') return run(rest, out, err);
  throw new ChecklistUsageError(sub ? `Unknown checklist command '${sub}' (list or run).` : 'checklist needs a command: list or run.');
}

function folderOf(p: string | undefined): string {
  const folder = path.resolve(p ?? '.');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new ChecklistUsageError(`No such folder: ${folder}`);
  return folder;
}

async function list(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', short: 'f', default: 'text' } } });
  if (!['text', 'json'].includes(values.format!)) throw new ChecklistUsageError(`--format must be text or json (got '${values.format}').`);
  if (positionals.length > 1) throw new ChecklistUsageError('checklist list takes at most one folder.');
  // The folder's config and team checklists count, as for `run`.
  const entries = availableChecklists(await Engine.create(folderOf(positionals[0])));
  if (values.format === 'json') {
    out(JSON.stringify(entries.map((e) => ({ id: e.checklist.id, title: e.checklist.title, description: e.checklist.description })), null, 2) + '\n');
    return 0;
  }
  const width = Math.max(0, ...entries.map((e) => e.checklist.id.length));
  for (const e of entries) out(`${e.checklist.id.padEnd(width)}  ${e.checklist.title}${e.source === 'builtin' ? '' : ` (${e.source})`}\n`);
  return 0;
}

async function run(args: string[], out: Out, err: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { run: { type: 'string', short: 'r' }, format: { type: 'string', short: 'f', default: 'text' }, config: { type: 'string', short: 'c' } },
  });
  const format = values.format!;
  if (!['text', 'json', 'markdown'].includes(format)) throw new ChecklistUsageError(`--format must be text, json or markdown (got '${format}').`);
  const [id, folderArg, ...extra] = positionals;
  if (!id) throw new ChecklistUsageError('checklist run needs a checklist id (see `opsreview checklist list`).');
  if (extra.length) throw new ChecklistUsageError('checklist run takes one checklist id and at most one folder.');
  if (values.run !== undefined && !isValidRunName(values.run)) throw new ChecklistUsageError(`Invalid run name '${values.run}': use letters, digits, dots, dashes and underscores.`);
  const folder = folderOf(folderArg);
  const engine = await Engine.create(folder, { configPath: values.config ? path.resolve(values.config) : undefined });
  if (engine.configErrors.length) {
    for (const e of engine.configErrors) err(`${engine.configPath ?? '.opsreview.yml'}:${e.range.start.line + 1}:${e.range.start.character + 1} error ${e.message}\n`);
    err('opsreview: the configuration is invalid; fix it before running a checklist.\n');
    return 2;
  }
  const entry = findChecklist(engine, id);
  if (!entry) throw new ChecklistUsageError(`Unknown checklist '${id}'. Available: ${availableChecklists(engine).map((e) => e.checklist.id).join(', ') || 'none'}.`);
  let runData;
  if (values.run !== undefined) {
    const file = runFile(engine.root, id, values.run);
    if (!existsSync(file)) {
      const known = listRuns(engine.root, id);
      err(`opsreview: no run '${values.run}' of ${id} (${path.relative(folder, file)})${known.length ? `; runs: ${known.join(', ')}` : ''}\n`);
      return 2;
    }
    const r = readRun(file);
    if (!r.ok) {
      for (const e of r.errors) err(`${path.relative(folder, r.file)}:${e.range.start.line + 1}:${e.range.start.character + 1} error ${e.message}\n`);
      return 2;
    }
    runData = r.snapshot.run;
  }
  const result = evaluateChecklist(entry.checklist, engine, runData, values.run);
  out(format === 'json' ? JSON.stringify(toJson(result), null, 2) + '\n' : format === 'markdown' ? checklistMarkdown(result) : toText(result));
  return result.verdict === 'ready' ? 0 : 1;
}

/** The documented JSON shape (README): nothing more, so CI scripts can rely on it. */
export function toJson(r: ChecklistResult): unknown {
  return {
    checklist: r.checklist,
    title: r.title,
    run: r.run,
    verdict: r.verdict,
    items: r.items.map((i) => ({
      id: i.id,
      section: i.section,
      text: i.text,
      why: i.why,
      kind: i.kind,
      state: i.state,
      reason: i.reason ?? null,
      evidence: i.evidence.map((e) => ({ ruleId: e.ruleId, file: e.file, line: e.line, message: e.message })),
    })),
  };
}

const TEXT_MARK: Record<string, string> = { pass: 'pass', fail: 'FAIL', na: 'n/a', 'not-evaluated': 'NOT EVALUATED', open: 'OPEN', done: 'done', waived: 'waived' };
const MARK_WIDTH = Math.max(...Object.values(TEXT_MARK).map((m) => m.length));

function toText(r: ChecklistResult): string {
  const lines: string[] = [`${r.title}${r.run ? ` (run ${r.run})` : ''}`];
  let section = '';
  for (const i of r.items) {
    if (i.section !== section) {
      section = i.section;
      lines.push('', `${i.sectionTitle}`);
    }
    const indent = ' '.repeat(MARK_WIDTH + 3);
    lines.push(`  ${TEXT_MARK[i.state].padEnd(MARK_WIDTH)} ${i.id}: ${i.text}`);
    if (i.reason) lines.push(`${indent}${i.state === 'waived' ? 'not evaluated: ' : ''}${i.reason}`);
    for (const e of i.evidence) lines.push(`${indent}${e.file ? `${e.file}${e.line ? `:${e.line}` : ''} ` : ''}${e.message} ${e.ruleId}`);
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push('', r.verdict === 'ready' ? `Ready: ${r.progress.settled} of ${r.progress.total} items settled.` : `Blocked by ${r.blocking.length} item${r.blocking.length === 1 ? '' : 's'}: ${r.blocking.join(', ')}.`);
  return lines.join('\n') + '\n';
}
