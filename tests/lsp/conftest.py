"""Shared fixtures: a pytest-lsp client connected to `lamc lsp`, and helpers to open
documents and wait for their diagnostics."""

import asyncio
import os
import pathlib

import pytest_lsp
import pytest_lsp.client
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

LAMC = os.environ.get("LAMC_BIN")
if not LAMC:
    raise RuntimeError("set LAMC_BIN to the lamc binary (cargo test --test suite lsp_clients does)")

# Pin the date so runtime lifecycle answers do not change with the calendar.
ENV = dict(os.environ, LAMC_TODAY="2026-11-26")

# How long any single wait may take before the test fails.
WAIT = 20.0


def _record_diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams):
    """pytest-lsp's own handler keeps only the latest diagnostics per document, without
    their version; this one also keeps every notification in order. Waiting for "the next
    notification" instead can miss one: when several arrive together, the reader handles
    them all before the waiting test can ask for the next."""
    client.diagnostics[params.uri] = params.diagnostics
    client.__dict__.setdefault("published", []).append(params)


pytest_lsp.client.DEFAULT_CLIENT_FEATURES[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = (
    _record_diagnostics
)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[LAMC, "lsp"], server_env=ENV))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                text_document=types.TextDocumentClientCapabilities(
                    hover=types.HoverClientCapabilities(
                        content_format=[types.MarkupKind.Markdown]
                    ),
                    completion=types.CompletionClientCapabilities(
                        completion_item=types.ClientCompletionItemOptions(
                            documentation_format=[types.MarkupKind.Markdown]
                        )
                    ),
                )
            )
        )
    )
    yield
    await asyncio.wait_for(lsp_client.shutdown_session(), WAIT)


def uri_of(path: pathlib.Path) -> str:
    return path.resolve().as_uri()


async def publish(client: LanguageClient, send, uri: str, version: int):
    """Run `send()` (a didOpen/didChange), then wait for the diagnostics of `version`."""
    published = client.__dict__.setdefault("published", [])
    start = len(published)
    send()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while True:
        for params in published[start:]:
            if params.uri == uri and params.version == version:
                return list(params.diagnostics)
        if loop.time() > deadline:
            raise TimeoutError(f"no diagnostics for {uri} version {version} within {WAIT}s")
        await asyncio.sleep(0.005)


async def open_doc(client: LanguageClient, path: pathlib.Path, text: str):
    """Write `text` to `path`, open it, and return its first diagnostics."""
    path.write_text(text, encoding="utf-8")
    uri = uri_of(path)

    def send():
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="lam", version=1, text=text
                )
            )
        )

    return await publish(client, send, uri, 1)


async def change_doc(client: LanguageClient, path: pathlib.Path, text: str, version: int):
    uri = uri_of(path)

    def send():
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    return await publish(client, send, uri, version)


def utf16_col(line: str, index: int) -> int:
    """The UTF-16 column of code point `index` of `line`."""
    return len(line[:index].encode("utf-16-le")) // 2


def position_of(text: str, needle: str, after: int = 0) -> types.Position:
    """The LSP position (UTF-16) of the first `needle` in `text`, plus `after` characters."""
    index = text.index(needle) + after
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return types.Position(line=line, character=utf16_col(text[start:], index - start))
