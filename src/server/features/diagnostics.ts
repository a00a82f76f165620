import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { docsUrl } from '../../engine/docs';
import type { Engine } from '../../engine/engine';
import { yieldToEventLoop } from '../../engine/index/workspaceIndex';
import type { Finding, Severity } from '../../engine/types';
import { Feature, pathToUri, ServerContext } from '../context';
import { IndexChanged, Notifications } from '../protocol';
import { suppressedLine } from '../../engine/suppression';

// Publishes each file's findings as LSP diagnostics after every index change, clears them for
// files that leave the index, and tells clients (trees, checklist panel) what changed.

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toDiagnostic(f: Finding, docsBaseUri?: string): Diagnostic {
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    source: 'opsreview',
    code: f.ruleId,
    codeDescription: { href: docsUrl(f.ruleId, docsBaseUri) },
    message: f.message,
  };
}

export const diagnostics: Feature = {
  name: 'diagnostics',
  register(ctx: ServerContext) {
    const published = new Set<string>(); // paths with diagnostics currently shown
    let version = 0;

    // Linting a whole folder takes a while: give the event loop a turn every few milliseconds so
    // requests (and `shutdown`) are answered meanwhile, and lint open documents first.
    async function publish(engine: Engine, paths: Iterable<string>): Promise<void> {
      const open = new Set(ctx.documents.all().map((d) => d.uri));
      const ordered = [...paths].sort((a, b) => Number(open.has(pathToUri(b))) - Number(open.has(pathToUri(a))));
      let sliceStart = Date.now();
      for (const p of ordered) {
        if (Date.now() - sliceStart > 30) {
          await yieldToEventLoop();
          sliceStart = Date.now();
        }
        const findings = engine.index.get(p) ? engine.lintFile(p) : [];
        if (!findings.length && !published.has(p)) continue;
        if (findings.length) published.add(p);
        else published.delete(p);
        void ctx.connection.sendDiagnostics({ uri: pathToUri(p), diagnostics: findings.map((f) => toDiagnostic(f, ctx.options().docsBaseUri)) });
      }
    }

    ctx.onDidChange((change) => {
      const run = async (): Promise<void> => {
        await publish(change.engine, change.removed.filter((r) => published.has(r)));
        await publish(change.engine, change.relint);
        logSuppressed(change.engine, change.full ? undefined : new Set(change.updated));
        const payload: IndexChanged = { version: ++version, changed: change.updated.map(pathToUri), removed: change.removed.map(pathToUri), full: change.full };
        void ctx.connection.sendNotification(Notifications.indexChanged, payload);
      };
      run().catch((e) => ctx.logError('publishing diagnostics', e));
    });

    // What another tool's comment or config suppressed is written to the output channel, so a
    // finding that disappeared because of `# noqa` or `checkov:skip=` can be traced to it.
    function logSuppressed(engine: Engine, only: ReadonlySet<string> | undefined): void {
      const list = engine.externallySuppressed().filter((f) => !only || only.has(f.path));
      for (const f of list) ctx.log(suppressedLine(engine.index.root, f));
    }

    ctx.onDidRemoveFolder((engine) => {
      for (const p of [...published]) {
        if (p === engine.root || p.startsWith(engine.root + '/')) {
          published.delete(p);
          void ctx.connection.sendDiagnostics({ uri: pathToUri(p), diagnostics: [] });
        }
      }
    });
  },
};
