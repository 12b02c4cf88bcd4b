"""The server survives any document: broken, binary-ish, deeply nested, and requests at
every position or out of range. Every answer comes back; the session shuts down cleanly."""

import asyncio

from conftest import WAIT, change_doc, open_doc, uri_of
from lsprotocol import types

NASTY = [
    "function f {\n  runtime = \n  on sqs queue.\n",
    'function f { handler = "unterminated\n',
    "{" * 200 + "}" * 3,
    "queue q { visibility = 99999999999999999999999999999999999999999h }\n",
    "\x00\x01\ufeff😀 é\r\nfunction 😀 {}\n",
    "alarm function.f.errors.p99.9 >= >= 1 over over\n",
    'function f {\n  on schedule cron("* * * * * * * *") { timezone = "Mars/Olympus" }\n}\n',
    'use "does/not/exist.lam"\nuse std.nope\n',
]


async def test_any_document_any_position(client, tmp_path):
    path = tmp_path / "nasty.lam"
    uri = uri_of(path)
    await open_doc(client, path, "")
    for version, text in enumerate(NASTY, start=2):
        await change_doc(client, path, text, version)
        lines = text.split("\n")
        for line_no in range(len(lines) + 2):
            for col in range(0, 40, 3):
                pos = types.Position(line=line_no, character=col)
                doc = types.TextDocumentIdentifier(uri=uri)
                await asyncio.wait_for(
                    client.text_document_hover_async(types.HoverParams(text_document=doc, position=pos)),
                    WAIT,
                )
                await asyncio.wait_for(
                    client.text_document_completion_async(
                        types.CompletionParams(text_document=doc, position=pos)
                    ),
                    WAIT,
                )
                await asyncio.wait_for(
                    client.text_document_definition_async(
                        types.DefinitionParams(text_document=doc, position=pos)
                    ),
                    WAIT,
                )


async def test_unknown_documents_get_null(client):
    result = await asyncio.wait_for(
        client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri="file:///nowhere/x.lam"),
                position=types.Position(line=0, character=0),
            )
        ),
        WAIT,
    )
    assert result is None


async def test_fast_typing_ends_with_the_last_versions_diagnostics(client, tmp_path):
    """Changes sent faster than they are checked: the server may skip stale versions, but
    the last one's diagnostics arrive and describe the last text."""
    path = tmp_path / "typing.lam"
    uri = uri_of(path)
    base = "function f {\n  runtime = python3.12\n  handler = \"index.handler\"\n" \
           "  code = inline(\"\"\"x\"\"\")\n  memory = {}\n}\n"
    await open_doc(client, path, base.replace("{}", "128MB"))
    last = 30
    for version in range(2, last):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangeWholeDocument(
                        text=base.replace("{}", f"{version}GB")
                    )
                ],
            )
        )
    diags = await change_doc(client, path, base.replace("{}", "99GB"), last)
    assert [d.code for d in diags] == ["E0401"]
    assert "99GB" in diags[0].message
