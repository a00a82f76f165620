import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// Entry of dist/server.js. The transport (--node-ipc from VS Code, --stdio from other editors,
// --socket=N) is read from the command line by createConnection.
startServer(createConnection(ProposedFeatures.all));
