import { CompletionItem, CompletionItemKind } from 'vscode-languageserver';
import { completionsAt } from '../../engine/navigation';
import type { Feature } from '../context';

// `textDocument/completion`: runbook frontmatter keys and the values the workspace already uses,
// rule ids in suppression comments and `.opsreview.yml`.

const KIND = { key: CompletionItemKind.Property, value: CompletionItemKind.Value, rule: CompletionItemKind.Reference } as const;

export const completion: Feature = {
  name: 'completion',
  capabilities: { completionProvider: { triggerCharacters: [':', ' ', '[', ',', '-'], resolveProvider: false } },
  register(ctx) {
    ctx.connection.onCompletion(
      ctx.guard('completion', [] as CompletionItem[], (params) => {
        const at = ctx.fileAt(params.textDocument.uri);
        if (!at) return [];
        return completionsAt(at.engine.index, at.engine.config, at.file, params.position).map((c) => ({
          label: c.label,
          kind: KIND[c.kind],
          detail: c.detail,
          documentation: c.documentation,
          sortText: c.sortText,
          textEdit: { range: c.range, newText: c.insertText ?? c.label },
        }));
      }),
    );
  },
};
