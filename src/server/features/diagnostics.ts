import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { docsUrl } from '../../engine/docs';
import type { Engine } from '../../engine/engine';
import type { Finding, Severity } from '../../engine/types';
import { Feature, pathToUri, ServerContext } from '../context';
import { IndexChanged, Notifications } from '../protocol';

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

    function publish(engine: Engine, paths: Iterable<string>): void {
      for (const p of paths) {
        const findings = engine.index.get(p) ? engine.lintFile(p) : [];
        if (!findings.length && !published.has(p)) continue;
        if (findings.length) published.add(p);
        else published.delete(p);
        void ctx.connection.sendDiagnostics({ uri: pathToUri(p), diagnostics: findings.map((f) => toDiagnostic(f, ctx.options().docsBaseUri)) });
      }
    }

    ctx.onDidChange((change) => {
      publish(change.engine, change.removed.filter((r) => published.has(r)));
      publish(change.engine, change.relint);
      const payload: IndexChanged = { version: ++version, changed: change.updated.map(pathToUri), removed: change.removed.map(pathToUri), full: change.full };
      void ctx.connection.sendNotification(Notifications.indexChanged, payload);
    });

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
