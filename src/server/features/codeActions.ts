import { CodeAction, CodeActionKind, Diagnostic, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { disableFileFix, disableLineFix } from '../../engine/fixes/suppress';
import type { IndexedFile } from '../../engine/model';
import type { Fix } from '../../engine/types';
import { Feature, pathToUri } from '../context';

// Quick fixes: each finding's own fixes, then "disable for this line" and "for this file".

export const codeActions: Feature = {
  name: 'code actions',
  capabilities: { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false } },
  register(ctx) {
    ctx.connection.onCodeAction(
      ctx.guard('code actions', [] as CodeAction[], (params) => {
        const at = ctx.fileAt(params.textDocument.uri);
        if (!at) return [];
        const { engine, file } = at;
        const actions: CodeAction[] = [];
        const findings = engine.lintFile(file.path);
        for (const diag of params.context.diagnostics) {
          if (diag.source !== 'opsreview') continue;
          const f = findings.find(
            (x) => x.ruleId === diag.code && x.range.start.line === diag.range.start.line && x.range.start.character === diag.range.start.character && x.message === diag.message,
          );
          if (!f) continue;
          for (const fix of f.fixes ?? []) actions.push(toCodeAction(fix, file, diag));
          if (f.ruleId.startsWith('opsreview/')) continue; // engine findings are fixed, not silenced
          const line = disableLineFix(file, f.ruleId, f.range.start.line);
          if (line) actions.push(toCodeAction(line, file, diag));
          actions.push(toCodeAction(disableFileFix(file, f.ruleId), file, diag));
        }
        return actions;
      }),
    );
  },
};

function toCodeAction(fix: Fix, file: IndexedFile, diag: Diagnostic): CodeAction {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of fix.edits) {
    const uri = pathToUri(e.path ?? file.path);
    (changes[uri] ??= []).push({ range: e.range, newText: e.newText });
  }
  const edit: WorkspaceEdit = { changes };
  return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diag], edit, isPreferred: fix.isPreferred };
}
