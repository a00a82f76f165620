import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { FileMove, renameEdits } from '../../engine/navigation';
import { Feature, pathToUri, uriToPath } from '../context';

// `workspace/willRenameFiles`: before a runbook is renamed or moved, the edits that keep every
// `runbook_url` and markdown link pointing at it (and its own relative links) working.

export const renameFiles: Feature = {
  name: 'file renames',
  capabilities: {
    workspace: {
      fileOperations: {
        willRename: {
          filters: [
            { scheme: 'file', pattern: { glob: '**/*.{md,markdown}', matches: 'file' } },
            // A folder of runbooks moved at once.
            { scheme: 'file', pattern: { glob: '**', matches: 'folder' } },
          ],
        },
      },
    },
  },
  register(ctx) {
    ctx.connection.workspace.onWillRenameFiles(
      ctx.guard('will rename files', null as WorkspaceEdit | null, async (params) => {
        await ctx.ready();
        const changes: Record<string, TextEdit[]> = {};
        for (const engine of ctx.engines()) {
          const moves: FileMove[] = [];
          for (const f of params.files) {
            const oldPath = uriToPath(f.oldUri);
            const newPath = uriToPath(f.newUri);
            if (oldPath && newPath && ctx.engineFor(oldPath) === engine) moves.push({ oldPath, newPath });
          }
          if (!moves.length) continue;
          for (const e of renameEdits(engine.index, engine.config, moves)) {
            const uri = pathToUri(e.path!);
            (changes[uri] ??= []).push({ range: e.range, newText: e.newText });
          }
        }
        return Object.keys(changes).length ? { changes } : null;
      }),
    );
  },
};
