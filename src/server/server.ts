import { Connection, InitializeParams, InitializeResult, ServerCapabilities, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Feature } from './context';
import { alerting } from './features/alerting';
import { checklists } from './features/checklists';
import { codeActions } from './features/codeActions';
import { diagnostics } from './features/diagnostics';
import { navigation } from './features/navigation';
import { completion } from './features/completion';
import { definitionsAndReferences } from './features/definition';
import { renameFiles } from './features/rename';
import { services } from './features/services';
import { workspaceSymbols } from './features/symbols';
import { sharedProviders } from './features/providers';
import { SERVER_VERSION, trees } from './features/trees';
import { conventions } from './conventions';
import { createWorkspace } from './workspace';

// The OpsReview language server: the engine in its own process, so indexing never blocks the
// editor and a parser fault cannot take the editor down. Any LSP client can use it:
// `opsreview lsp --stdio`. This file only wires things: workspace.ts keeps the engines current,
// and each module under features/ answers one area (diagnostics, code actions, navigation,
// trees, ...) through the engine's query API.

export { pathToUri, uriToPath } from './context';
export { SERVER_VERSION };

/** Every feature of the server, in registration order. */
export const FEATURES: readonly Feature[] = [diagnostics, codeActions, navigation, workspaceSymbols, definitionsAndReferences, completion, renameFiles, trees, sharedProviders, conventions, alerting, checklists, services];

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const ws = createWorkspace(connection, documents);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    ws.initialize(params);
    let capabilities: ServerCapabilities = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    };
    for (const f of FEATURES) capabilities = { ...capabilities, ...f.capabilities, workspace: { ...capabilities.workspace, ...f.capabilities?.workspace } };
    return { capabilities, serverInfo: { name: 'opsreview', version: SERVER_VERSION } };
  });

  for (const f of FEATURES) f.register(ws);

  connection.onInitialized(() => ws.guard('initialized', undefined, () => ws.start())());

  documents.listen(connection);
  connection.listen();
}
