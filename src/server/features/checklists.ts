import { evaluateChecklist, findChecklist, availableChecklists, checklistMarkdown, createRun, listRuns, readRun, runFile, isValidRunName, updateRun, Run, RunItem } from '../../engine/checklists';
import type { Engine } from '../../engine/engine';
import type { Feature, ServerContext } from '../context';
import {
  checked,
  ChecklistEvaluateResult,
  ChecklistSetItemResult,
  ChecklistSummary,
  Notifications,
  Requests,
  zChecklistEvaluateParams,
  zChecklistSetItemParams,
} from '../protocol';

// Checklists over LSP: the list (with each run's verdict) for the Checklists tree, the
// evaluation of one checklist and run for the panel, and setting an item's state in the run
// file. All three call the engine's checklist functions, the same ones the CLI gate calls.
// After each index change, clients are told to re-evaluate (evidence may have flipped).

function engineOf(ctx: ServerContext, folder: string | undefined): Engine {
  const engines = [...ctx.engines()];
  const engine = folder ? engines.find((e) => e.root === folder.replace(/\\/g, '/').replace(/\/$/, '')) ?? ctx.engineFor(folder) : engines[0];
  if (!engine) throw new Error(folder ? `No OpsReview workspace folder at ${folder}` : 'No workspace folder is open');
  return engine;
}

function evaluate(engine: Engine, checklistId: string, runName: string | undefined): ChecklistEvaluateResult {
  const entry = findChecklist(engine, checklistId);
  if (!entry) throw new Error(`Unknown checklist '${checklistId}'`);
  let run: Run | undefined;
  let runFilePath: string | undefined;
  let runHash: string | undefined;
  let runError: ChecklistEvaluateResult['runError'];
  if (runName !== undefined) {
    runFilePath = runFile(engine.root, checklistId, runName);
    const r = readRun(runFilePath);
    if (r.ok) {
      run = r.snapshot.run;
      runHash = r.snapshot.hash;
    } else {
      const e = r.errors[0];
      runError = { message: e.message, line: e.range.start.line, character: e.range.start.character };
    }
  }
  const result = evaluateChecklist(entry.checklist, engine, run, runName);
  return { folder: engine.root, result, markdown: checklistMarkdown(result), runFile: runFilePath, runHash, runError };
}

export const checklists: Feature = {
  name: 'checklists',
  register(ctx) {
    const { connection, guard } = ctx;

    connection.onRequest(
      Requests.checklists,
      guard('checklists request', { checklists: [] as ChecklistSummary[] }, async () => {
        await ctx.ready();
        const out: ChecklistSummary[] = [];
        for (const engine of ctx.engines()) {
          for (const { checklist, source } of availableChecklists(engine)) {
            const runs = listRuns(engine.root, checklist.id).map((name) => {
              const r = readRun(runFile(engine.root, checklist.id, name));
              if (!r.ok) return { name, blocking: 0, settled: 0, total: 0, error: { message: r.errors[0].message, line: r.errors[0].range.start.line, character: r.errors[0].range.start.character } };
              const res = evaluateChecklist(checklist, engine, r.snapshot.run, name);
              return { name, verdict: res.verdict, blocking: res.blocking.length, settled: res.progress.settled, total: res.progress.total };
            });
            out.push({ folder: engine.root, id: checklist.id, title: checklist.title, description: checklist.description, source, runs });
          }
        }
        return { checklists: out };
      }),
    );

    connection.onRequest(Requests.checklistEvaluate, async (raw: unknown) => {
      const q = checked(zChecklistEvaluateParams, raw ?? {}, 'checklist evaluate params');
      await ctx.ready();
      if (q.run !== undefined && !isValidRunName(q.run)) throw new Error(`Invalid run name '${q.run}'`);
      const engine = engineOf(ctx, q.folder);
      if (q.create && q.run !== undefined) await createRun(runFile(engine.root, q.checklist, q.run), q.checklist);
      return evaluate(engine, q.checklist, q.run);
    });

    connection.onRequest(Requests.checklistSetItem, async (raw: unknown): Promise<ChecklistSetItemResult> => {
      const q = checked(zChecklistSetItemParams, raw ?? {}, 'checklist setItem params');
      await ctx.ready();
      const engine = engineOf(ctx, q.folder);
      const entry = findChecklist(engine, q.checklist);
      if (!entry) return { ok: false, conflict: false, message: `Unknown checklist '${q.checklist}'` };
      const item = entry.checklist.sections.flatMap((s) => s.items).find((i) => i.id === q.item);
      if (!item) return { ok: false, conflict: false, message: `Checklist '${q.checklist}' has no item '${q.item}'` };
      if (!isValidRunName(q.run)) return { ok: false, conflict: false, message: `Invalid run name '${q.run}'` };
      if (q.state === 'waived' && !q.note?.trim()) return { ok: false, conflict: false, message: 'A waived item needs a note saying why.' };
      if (!item.manual && q.state === 'done') return { ok: false, conflict: false, message: `'${q.item}' is decided by evidence; it can be waived with a note, not ticked.` };
      const file = runFile(engine.root, q.checklist, q.run);
      const next: RunItem = { state: q.state, by: q.by || undefined, at: new Date().toISOString(), note: q.note?.trim() || undefined };
      const base = q.base ? { file, hash: q.base.hash, run: { items: q.base.item ? { [q.item]: q.base.item } : {} } } : undefined;
      const r = await updateRun(file, { [q.item]: next }, { base, checklistId: q.checklist });
      if (!r.ok) {
        const e = r.errors[0];
        return { ok: false, conflict: false, message: `The run file ${file} is not valid (line ${e.range.start.line + 1}: ${e.message}); it was not changed. Fix it by hand first.` };
      }
      const conflict = r.conflicts.length > 0;
      ctx.log(`checklist ${q.checklist}/${q.run}: ${q.item} -> ${q.state}${conflict ? ' (conflict: changed on disk meanwhile, not written)' : ''}`);
      return {
        ok: !conflict,
        conflict,
        message: conflict ? `'${q.item}' was changed in ${file} since it was shown (now: ${r.conflicts[0].theirs?.state ?? 'removed'}${r.conflicts[0].theirs?.by ? ` by ${r.conflicts[0].theirs.by}` : ''}); your change was not written. The panel shows the file as it is now.` : undefined,
        evaluation: evaluate(engine, q.checklist, q.run),
      };
    });

    // Evidence follows the index: after a burst of changes, clients re-evaluate once.
    let version = 0;
    let timer: NodeJS.Timeout | undefined;
    ctx.onDidChange(() => {
      clearTimeout(timer);
      timer = setTimeout(() => void connection.sendNotification(Notifications.checklistsChanged, { version: ++version }), 150);
    });
  },
};
