// Starts `lamc lsp` for .lam files: diagnostics, formatting and the rest come from the
// language server; this file only finds the executable and restarts it when the setting
// changes.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverPath(): string {
  const configured = vscode.workspace.getConfiguration("lamc").get<string>("serverPath");
  return configured && configured.trim() !== "" ? configured.trim() : "lamc";
}

async function start(): Promise<void> {
  const command = serverPath();
  const serverOptions: ServerOptions = {
    command,
    args: ["lsp"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "lam" },
      { scheme: "untitled", language: "lam" },
    ],
  };
  client = new LanguageClient("lamc", "lamc language server", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    client = undefined;
    void vscode.window.showErrorMessage(
      `Could not start \`${command} lsp\`: ${String(err)}. ` +
        "Install lamc (cargo install --path .) or set `lamc.serverPath`.",
    );
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("lamc.serverPath")) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

export function deactivate(): Promise<void> {
  return stop();
}
