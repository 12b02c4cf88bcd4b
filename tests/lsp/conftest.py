"""Shared fixtures: a pytest-lsp client connected to `lamc lsp`, and helpers to open
documents and wait for their diagnostics."""

import asyncio
import os
import pathlib

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

LAMC = os.environ.get("LAMC_BIN")
if not LAMC:
    raise RuntimeError("set LAMC_BIN to the lamc binary (cargo test --test suite lsp_clients does)")

# Pin the date so runtime lifecycle answers do not change with the calendar.
ENV = dict(os.environ, LAMC_TODAY="2026-11-26")

# How long any single wait may take before the test fails.
WAIT = 20.0


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
    send()
    while True:
        params = await asyncio.wait_for(
            client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), WAIT
        )
        if params.uri == uri and params.version == version:
            return list(params.diagnostics)


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
