import type { Location } from 'vscode-languageserver';
import { definitionAt, NavLocation, referencesAt } from '../../engine/navigation';
import { Feature, pathToUri } from '../context';

// `textDocument/definition` and `textDocument/references`: the links the index knows between
// alerts, runbooks, Terraform, and Ansible, followed forwards and backwards.

function toLocation(l: NavLocation): Location {
  return { uri: pathToUri(l.path), range: l.range };
}

export const definitionsAndReferences: Feature = {
  name: 'definitions and references',
  capabilities: { definitionProvider: true, referencesProvider: true },
  register(ctx) {
    ctx.connection.onDefinition(
      ctx.guard('definition', [] as Location[], async (params) => {
        await ctx.ready();
        const at = ctx.fileAt(params.textDocument.uri);
        return at ? definitionAt(at.engine.index, at.file, params.position).map(toLocation) : [];
      }),
    );
    ctx.connection.onReferences(
      ctx.guard('references', [] as Location[], async (params) => {
        await ctx.ready();
        const at = ctx.fileAt(params.textDocument.uri);
        return at ? referencesAt(at.engine.index, at.file, params.position).map(toLocation) : [];
      }),
    );
  },
};
