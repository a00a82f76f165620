import type { CodeLens, Hover } from 'vscode-languageserver';
import type { Feature } from '../context';

// The LSP methods several features answer. Each feature pushes a provider onto the context
// (ctx.codeLensProviders, ctx.hoverProviders); this module registers the one handler per method
// and concatenates what the providers return, so features never call each other.

export const sharedProviders: Feature = {
  name: 'code lenses and hovers',
  capabilities: { codeLensProvider: { resolveProvider: false }, hoverProvider: true },
  register(ctx) {
    ctx.connection.onCodeLens(
      ctx.guard('code lenses', [] as CodeLens[], (params) => {
        const at = ctx.fileAt(params.textDocument.uri);
        if (!at) return [];
        const lenses: CodeLens[] = [];
        for (const provide of ctx.codeLensProviders) {
          try {
            lenses.push(...provide(at));
          } catch (e) {
            ctx.logError('code lens provider', e);
          }
        }
        return lenses;
      }),
    );
    ctx.connection.onHover(
      ctx.guard('hover', null as Hover | null, (params) => {
        const at = ctx.fileAt(params.textDocument.uri);
        if (!at) return null;
        const parts: string[] = [];
        let range: Hover['range'];
        for (const provide of ctx.hoverProviders) {
          try {
            const h = provide(at, params.position);
            if (!h) continue;
            range ??= h.range;
            const c = h.contents;
            parts.push(typeof c === 'string' ? c : Array.isArray(c) ? c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n\n') : c.value);
          } catch (e) {
            ctx.logError('hover provider', e);
          }
        }
        return parts.length ? { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, range } : null;
      }),
    );
  },
};
