import { CodeLens, DocumentLink, DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import type { FileSymbol, IndexedFile } from '../../engine/model';
import { hoverAt } from '../../engine/navigation';
import { Feature, FileContext, pathToUri, relativeTo, SYMBOL_KINDS } from '../context';

// Moving around the workspace: document symbols (outline), document links (runbook links and
// alert runbook_url values open the file), and lenses between alerts and their runbooks.


export function toDocumentSymbol(s: FileSymbol): DocumentSymbol {
  return {
    name: s.name,
    detail: s.detail,
    kind: SYMBOL_KINDS[s.kind] ?? SymbolKind.Object,
    range: s.range,
    selectionRange: s.selectionRange,
    children: s.children?.map(toDocumentSymbol),
  };
}

/**
 * An alert shows the runbook it names, a runbook the alerts that point to it. The command is
 * the VS Code client's; other editors show the title.
 */
export function alertRunbookLenses({ engine, file }: FileContext): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const alert of file.alerts ?? []) {
    if (!alert.runbookPath || !engine.index.exists(alert.runbookPath)) continue;
    lenses.push({ range: alert.range, command: { title: `$(book) Runbook: ${relativeTo(engine, alert.runbookPath)}`, command: 'opsreview.openRunbook', arguments: [pathToUri(alert.runbookPath), 0] } });
  }
  if (file.runbook) {
    const alerts = engine.index.referrers(file.path).flatMap((f) => (f.alerts ?? []).filter((a) => a.runbookPath === file.path).map((a) => ({ f, a })));
    if (alerts.length) {
      const h1 = file.parsed.type === 'markdown' ? file.parsed.headings[0] : undefined;
      const range = h1?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const names = alerts.map(({ a }) => a.name);
      const first = alerts[0];
      lenses.push({
        range,
        command: {
          title: `$(bell) Linked from ${alerts.length === 1 ? `alert ${names[0]}` : `${alerts.length} alerts: ${names.slice(0, 3).join(', ')}${alerts.length > 3 ? '…' : ''}`}`,
          command: 'opsreview.openRunbook',
          arguments: [pathToUri(first.f.path), first.a.line],
        },
      });
    }
  }
  return lenses;
}

/**
 * Editors open `file:///x.md#L12` at line 12, but treat `#triage` as part of the resource: the
 * runbook would open at line 1 as a document the server does not know (no lenses). So a heading
 * anchor is resolved here to the heading's line; an anchor no heading has is dropped.
 */
export function anchorFragment(target: IndexedFile | undefined, fragment: string | undefined): string {
  if (!fragment || !target) return '';
  let slug = fragment.toLowerCase();
  try {
    slug = decodeURIComponent(fragment).toLowerCase();
  } catch {
    /* a malformed escape: compare as written */
  }
  const section = target.runbook?.sections.find((s) => s.slug === slug) ?? (target.parsed.type === 'markdown' ? target.parsed.headings.find((h) => h.slug === slug) : undefined);
  return section ? `#L${section.line + 1}` : '';
}

export const navigation: Feature = {
  name: 'navigation',
  capabilities: { documentSymbolProvider: true, documentLinkProvider: { resolveProvider: false } },
  register(ctx) {
    ctx.connection.onDocumentSymbol(
      ctx.guard('document symbols', [] as DocumentSymbol[], (params) => ctx.fileAt(params.textDocument.uri)?.file.symbols.map(toDocumentSymbol) ?? []),
    );

    ctx.connection.onDocumentLinks(
      ctx.guard('document links', [] as DocumentLink[], (params) => {
        const at = ctx.fileAt(params.textDocument.uri);
        if (!at) return [];
        const { engine, file } = at;
        return file.references
          .filter((r) => r.kind !== 'module_source' && r.target !== file.path && engine.index.exists(r.target))
          .map((r) => ({ range: r.range, target: pathToUri(r.target) + anchorFragment(engine.index.get(r.target), r.fragment), tooltip: `Open ${relativeTo(engine, r.target)}${r.fragment ? `#${r.fragment}` : ''}` }));
      }),
    );

    ctx.codeLensProviders.push(alertRunbookLenses);
    // A runbook_url or link summarises its runbook; an address in a runbook shows the resource;
    // a rule id in a suppression comment or the config shows the rule.
    ctx.hoverProviders.push(({ engine, file }, position) => {
      const h = hoverAt(engine.index, file, position, { docsBaseUri: ctx.options().docsBaseUri });
      return h ? { contents: { kind: 'markdown', value: h.markdown }, range: h.range } : undefined;
    });
  },
};
