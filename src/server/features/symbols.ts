import { SymbolInformation } from 'vscode-languageserver';
import { fileSymbolEntries, searchSymbols } from '../../engine/navigation';
import { Feature, pathToUri, SYMBOL_KINDS } from '../context';

// `workspace/symbol`: alerts, runbooks and their sections, Terraform addresses, plays, roles,
// jobs and Kubernetes objects of every folder, ranked by the engine's fuzzy match.


const LIMIT = 200;

export const workspaceSymbols: Feature = {
  name: 'workspace symbols',
  capabilities: { workspaceSymbolProvider: true },
  register(ctx) {
    // The table is built when the index is (a full build) and kept current file by file, so the
    // first Ctrl+T does not pay for it.
    ctx.onDidChange((change) => {
      const files = change.full ? change.engine.index.files() : change.updated.map((p) => change.engine.index.get(p)).filter((f) => !!f);
      for (const f of files) fileSymbolEntries(f);
    });
    ctx.connection.onWorkspaceSymbol(
      ctx.guard('workspace symbols', [] as SymbolInformation[], async (params) => {
        await ctx.ready();
        const out: SymbolInformation[] = [];
        for (const engine of ctx.engines()) {
          for (const e of searchSymbols(engine.index, params.query, LIMIT)) {
            out.push({ name: e.name, kind: SYMBOL_KINDS[e.kind], containerName: e.container, location: { uri: pathToUri(e.path), range: e.range } });
          }
        }
        return out.slice(0, LIMIT);
      }),
    );
  },
};
