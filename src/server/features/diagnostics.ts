import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { readFileSync, statSync } from 'node:fs';
import { BASELINE_FILE, baselineKey, baselineKeys, parseBaseline } from '../../engine/baseline';
import { docsUrl } from '../../engine/docs';
import { withFingerprints } from '../../engine/fingerprint';
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

/**
 * The keys of the folder's baseline (`.opsreview-baseline.json`), re-read when the file changes;
 * undefined when there is none or it cannot be read (the CLI says why; the editor shows everything).
 */
const baselines = new Map<string, { mtimeMs: number; size: number; keys?: Set<string> }>();
export function baselineFor(root: string): Set<string> | undefined {
  const file = `${root.replace(/\\/g, '/')}/${BASELINE_FILE}`;
  let st;
  try {
    st = statSync(file);
  } catch {
    baselines.delete(root);
    return undefined;
  }
  const known = baselines.get(root);
  if (known && known.mtimeMs === st.mtimeMs && known.size === st.size) return known.keys;
  let keys: Set<string> | undefined;
  try {
    const parsed = parseBaseline(readFileSync(file, 'utf8'));
    if ('baseline' in parsed) keys = baselineKeys(parsed.baseline);
  } catch {
    keys = undefined;
  }
  baselines.set(root, { mtimeMs: st.mtimeMs, size: st.size, keys });
  return keys;
}

/** A file's diagnostics: findings the baseline holds are hints (or left out with `opsreview.baseline.hide`). */
export function fileDiagnostics(engine: Engine, findings: Finding[], baseline: Set<string> | undefined, hide: boolean, docsBaseUri?: string): Diagnostic[] {
  if (!baseline?.size || !findings.length) return findings.map((f) => toDiagnostic(f, docsBaseUri));
  const root = engine.index.root;
  const out: Diagnostic[] = [];
  for (const f of withFingerprints(findings, engine.index)) {
    if (!baseline.has(baselineKey(f, root))) out.push(toDiagnostic(f, docsBaseUri));
    // Same message, so quick fixes still find the finding behind it.
    else if (!hide) out.push({ ...toDiagnostic(f, docsBaseUri), severity: DiagnosticSeverity.Hint });
  }
  return out;
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
      const baseline = baselineFor(engine.root);
      for (const p of ordered) {
        if (Date.now() - sliceStart > 30) {
          await yieldToEventLoop();
          sliceStart = Date.now();
        }
        const findings = engine.index.get(p) ? engine.lintFile(p) : [];
        const shown = fileDiagnostics(engine, findings, baseline, ctx.options().baselineHide === true, ctx.options().docsBaseUri);
        if (!shown.length && !published.has(p)) continue;
        if (shown.length) published.add(p);
        else published.delete(p);
        void ctx.connection.sendDiagnostics({ uri: pathToUri(p), diagnostics: shown });
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
