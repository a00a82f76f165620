import type { FileSymbol } from '../../engine/model';
import { serviceAt } from '../../engine/services/infer';
import { serviceModelOf } from '../../engine/services/query';
import { countFindings, Feature, pathToUri, uriToPath } from '../context';
import { checked, InfraFile, Requests, RunbookSummary, StatsResult, SymbolSummary, zFindingsParams, zRunbooksParams } from '../protocol';

// The custom requests behind the VS Code views and status bar (any client may use them):
// runbooks, infrastructure files, stats, findings, and re-index.

function toSymbolSummary(s: FileSymbol): SymbolSummary {
  return { name: s.name, detail: s.detail, kind: s.kind, line: s.selectionRange.start.line, children: s.children?.map(toSymbolSummary) };
}

export const trees: Feature = {
  name: 'trees',
  register(ctx) {
    const { connection, guard } = ctx;

    connection.onRequest(
      Requests.runbooks,
      guard('runbooks request', { runbooks: [] as RunbookSummary[] }, async (raw: unknown) => {
        const q = checked(zRunbooksParams, raw ?? {}, 'runbooks params');
        await ctx.ready();
        const runbooks: RunbookSummary[] = [];
        for (const engine of ctx.engines()) {
          const model = serviceModelOf(engine);
          for (const f of engine.index.runbooks(q)) {
            const m = f.runbook!;
            // The service a runbook names, else the one inferred (its folder, the alerts that link it).
            runbooks.push({
              uri: pathToUri(f.path),
              relPath: f.relPath,
              folder: engine.root,
              kind: f.kind as 'runbook' | 'postmortem',
              title: m.title,
              service: m.service ?? serviceAt(model, f.path)?.name,
              owner: m.owner,
              team: m.team,
              tags: m.tags,
              severity: m.severity,
              type: m.type,
              lastReviewed: m.lastReviewed,
              sections: m.sections,
              findings: countFindings(engine.lintFile(f.path)),
              reason: f.reason,
            });
          }
        }
        return { runbooks };
      }),
    );

    connection.onRequest(
      Requests.infrastructure,
      guard('infrastructure request', { files: [] as InfraFile[] }, async () => {
        await ctx.ready();
        const files: InfraFile[] = [];
        for (const engine of ctx.engines()) {
          for (const f of engine.index.files()) {
            if (f.kind === 'runbook' || f.kind === 'postmortem') continue;
            files.push({
              uri: pathToUri(f.path),
              relPath: f.relPath,
              folder: engine.root,
              kind: f.kind,
              symbols: f.symbols.map(toSymbolSummary),
              parseErrors: f.errors.filter((e) => e.severity === 'error').length,
              findings: countFindings(engine.lintFile(f.path)),
              reason: f.reason,
            });
          }
        }
        files.sort((a, b) => a.relPath.localeCompare(b.relPath));
        return { files };
      }),
    );

    connection.onRequest(
      Requests.stats,
      guard('stats request', undefined as unknown as StatsResult, () => {
        const files: Record<string, number> = {};
        const findings = { error: 0, warning: 0, info: 0 };
        const skipped: StatsResult['skipped'] = [];
        const configFiles: string[] = [];
        const withFindings = new Set<string>();
        for (const engine of ctx.engines()) {
          for (const [k, n] of Object.entries(engine.index.stats())) files[k] = (files[k] ?? 0) + n;
          for (const f of engine.allFindings()) {
            findings[f.severity]++;
            withFindings.add(f.path);
          }
          skipped.push(...engine.index.skipped.map((s) => ({ relPath: s.relPath, reason: s.reason, kind: s.kind, code: s.code })));
          if (engine.configPath) configFiles.push(engine.configPath);
        }
        const built = ctx.builtAt();
        return { ready: ctx.isReady(), files, findings, skipped, configFiles, serverVersion: SERVER_VERSION, indexing: ctx.indexing(), builtAt: built && new Date(built.at).toISOString(), buildMs: built?.ms, filesWithFindings: withFindings.size };
      }),
    );

    connection.onRequest(
      Requests.findings,
      guard('findings request', { findings: [] as unknown[] }, async (raw: unknown) => {
        const q = checked(zFindingsParams, raw ?? {}, 'findings params');
        await ctx.ready();
        const wanted = q.uri ? uriToPath(q.uri) : undefined;
        const out = [];
        for (const engine of ctx.engines()) {
          const list = wanted ? (ctx.engineFor(wanted) === engine ? engine.lintFile(wanted) : []) : engine.allFindings();
          for (const f of list) {
            if (q.ruleIds && !q.ruleIds.includes(f.ruleId)) continue;
            out.push({ uri: pathToUri(f.path), ruleId: f.ruleId, severity: f.severity, message: f.message, range: f.range });
          }
        }
        return { findings: out };
      }),
    );

    connection.onRequest(
      Requests.reindex,
      guard('reindex request', { files: 0 }, async () => {
        await ctx.reindex();
        let files = 0;
        for (const e of ctx.engines()) files += e.index.size;
        return { files };
      }),
    );
  },
};

export const SERVER_VERSION = '0.1.0';
