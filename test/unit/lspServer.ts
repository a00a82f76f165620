import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

// The language server over stdio, as Neovim, Helix or Emacs start it: the tests of each server
// feature share this start and stop, and register their own handlers before `listen()`.

export interface StdioServer {
  proc: ChildProcess;
  /** Not listening yet: register notification handlers, then call `conn.listen()`. */
  conn: MessageConnection;
}

export function spawnServer(): StdioServer {
  const server = path.join(__dirname, '../../src/server/main.js');
  const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  return { proc, conn };
}

/** `initialize` with `root` as the one workspace folder, then `initialized`; the initialize result. */
export async function initializeFolder(conn: MessageConnection, root: string, capabilities: object = {}): Promise<unknown> {
  const uri = pathToFileURL(root).toString();
  const result = await conn.sendRequest('initialize', { processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: 'ws' }], capabilities });
  conn.sendNotification('initialized', {});
  return result;
}

/** `shutdown` and `exit` when the server still answers, then the process is gone either way. */
export async function stopServer({ proc, conn }: Partial<StdioServer>): Promise<void> {
  try {
    await conn?.sendRequest('shutdown');
    conn?.sendNotification('exit');
  } catch {
    /* already gone */
  }
  conn?.dispose();
  proc?.kill();
}
