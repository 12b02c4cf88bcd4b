"""`lamc lsp` driven by a real client (pytest-lsp): diagnostics with UTF-16 ranges, hover,
completion, definition and references across `use`d files, outline, quick fixes, and an
edit sequence that introduces and then fixes an error."""

import asyncio
import subprocess

from conftest import LAMC, WAIT, change_doc, open_doc, position_of, uri_of, utf16_col
from lsprotocol import types

# An error on a line whose earlier characters are outside the BMP (😀 is two UTF-16 units).
BROKEN = """\
# Café ☕ orders — naïve 😀
queue orders {}
function api {
  runtime = python3.12
  handler = "index.handler"
  code = inline(\"\"\"def handler(e, c): return 1\"\"\")
  description = "😀 café", memory = 20GB
  memroy = 512MB
  timeout = 5s
  timeout = 6s
  on sqs queue.orders
  on schedule cron("0 3 * * ? *") { timezone = "Europe/Paris" }
}
"""

VALID = """\
queue orders {}
function api {
  runtime = python3.12
  handler = "index.handler"
  code = inline(\"\"\"def handler(e, c): return 1\"\"\")
  memory = 512MB
  on sqs queue.orders
}
"""


def by_code(diags, code):
    found = [d for d in diags if d.code == code]
    assert found, f"no {code} in {[(d.code, d.message) for d in diags]}"
    return found[0]


async def test_diagnostics_have_codes_and_utf16_ranges(client, tmp_path):
    diags = await open_doc(client, tmp_path / "app.lam", BROKEN)
    d = by_code(diags, "E0401")
    line = BROKEN.splitlines()[6]
    start = utf16_col(line, line.index("20GB"))
    assert start != line.index("20GB"), "the test line must need UTF-16 counting"
    assert d.range == types.Range(
        start=types.Position(line=6, character=start),
        end=types.Position(line=6, character=start + 4),
    )
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.source == "lamc"
    assert "out of range" in d.message
    # Secondary labels become related information.
    dup = by_code(diags, "E0104")
    assert dup.related_information
    rel = dup.related_information[0]
    assert rel.location.uri == uri_of(tmp_path / "app.lam")
    assert rel.location.range.start.line == 8
    assert rel.message == "first set here"


async def test_hover(client, tmp_path):
    path = tmp_path / "app.lam"
    text = BROKEN.replace("python3.12", "python3.8")
    await open_doc(client, path, text)
    uri = uri_of(path)

    async def hover(needle, after=1):
        h = await asyncio.wait_for(
            client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=position_of(text, needle, after),
                )
            ),
            WAIT,
        )
        assert h is not None, f"no hover at {needle}"
        return h.contents.value

    memory = await hover("memroy = 512MB\n  timeout")
    # `memroy` is unknown, so the hover carries the diagnostic's explanation.
    assert "E0103" in memory
    timeout = await hover("timeout = 5s")
    assert "1s to 900s" in timeout and "3s" in timeout
    runtime = await hover("python3.8", 3)
    assert "2024-10-14" in runtime or "deprecat" in runtime
    reference = await hover("queue.orders", 8)
    assert "queue `orders`" in reference and "declared in" in reference
    cron = await hover('cron("0 3', 2)
    assert "Europe/Paris" in cron and "03:00" in cron
    explain = await hover("20GB")
    assert "E0401" in explain and "memory" in explain.lower()


async def test_completion(client, tmp_path):
    path = tmp_path / "app.lam"
    text = VALID.replace("  on sqs queue.orders\n", "  on sqs \n  architecture = \n  mem\n")
    await open_doc(client, path, text)
    uri = uri_of(path)

    async def labels(needle, after):
        result = await asyncio.wait_for(
            client.text_document_completion_async(
                types.CompletionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=position_of(text, needle, after),
                )
            ),
            WAIT,
        )
        items = result.items if isinstance(result, types.CompletionList) else result
        return [i.label for i in items]

    assert "queue.orders" in await labels("on sqs ", 7)
    assert {"arm64", "x86_64"} <= set(await labels("architecture = ", 15))
    attrs = await labels("  mem\n", 5)
    assert "memory" in attrs and "visibility" not in attrs
    assert "python3.12" in await labels("runtime = ", 10)
    # A dotted value replaces the whole word typed, not just what follows the last dot.
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position_of(text, "runtime = python3.1", 19),
        )
    )
    items = result.items if isinstance(result, types.CompletionList) else result
    py = [i for i in items if i.label == "python3.13"]
    assert py and py[0].text_edit.range.start.character == 12, py



async def test_completion_of_trigger_kinds_and_their_options(client, tmp_path):
    """Trigger kinds and each kind's options come from the schema: `on event` included."""
    path = tmp_path / "app.lam"
    text = VALID.replace("  on sqs queue.orders\n", "  on \n  on event {\n    pat\n  }\n")
    await open_doc(client, path, text)
    uri = uri_of(path)

    async def labels(needle, after):
        result = await asyncio.wait_for(
            client.text_document_completion_async(
                types.CompletionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=position_of(text, needle, after),
                )
            ),
            WAIT,
        )
        items = result.items if isinstance(result, types.CompletionList) else result
        return [i.label for i in items]

    assert {"event", "schedule", "sqs"} <= set(await labels("  on \n", 5))
    options = await labels("    pat\n", 7)
    assert "pattern" in options and "memory" not in options

async def test_definition_and_references_across_used_files(client, tmp_path):
    shared = tmp_path / "shared.lam"
    shared.write_text("queue orders {}\n", encoding="utf-8")
    main = tmp_path / "main.lam"
    text = 'use "shared.lam"\n' + VALID.replace("queue orders {}\n", "")
    diags = await open_doc(client, main, text)
    assert diags == [], [d.message for d in diags]
    uri = uri_of(main)
    at = position_of(text, "queue.orders", 7)
    loc = await asyncio.wait_for(
        client.text_document_definition_async(
            types.DefinitionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at)
        ),
        WAIT,
    )
    loc = loc[0] if isinstance(loc, list) else loc
    assert loc.uri == uri_of(shared)
    assert loc.range.start == types.Position(line=0, character=6)
    refs = await asyncio.wait_for(
        client.text_document_references_async(
            types.ReferenceParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=at,
                context=types.ReferenceContext(include_declaration=True),
            )
        ),
        WAIT,
    )
    assert {(r.uri, r.range.start.line) for r in refs} == {(uri_of(shared), 0), (uri, 6)}


async def test_definition_of_an_existing_secret_in_an_allow_line(client, tmp_path):
    main = tmp_path / "main.lam"
    text = (
        'secret db from "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"\n'
        + VALID.replace(
            "  on sqs queue.orders\n",
            '  on sqs queue.orders\n  allow "secretsmanager:GetSecretValue" on secret.db\n',
        )
    )
    diags = await open_doc(client, main, text)
    assert diags == [], [d.message for d in diags]
    at = position_of(text, "secret.db", 8)
    loc = await asyncio.wait_for(
        client.text_document_definition_async(
            types.DefinitionParams(
                text_document=types.TextDocumentIdentifier(uri=uri_of(main)), position=at
            )
        ),
        WAIT,
    )
    loc = loc[0] if isinstance(loc, list) else loc
    assert loc.range.start == types.Position(line=0, character=7)


async def test_outline(client, tmp_path):
    path = tmp_path / "app.lam"
    await open_doc(client, path, VALID)
    symbols = await asyncio.wait_for(
        client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri_of(path)))
        ),
        WAIT,
    )
    names = [s.name for s in symbols]
    assert names == ["queue orders", "api"]
    assert [c.name for c in symbols[1].children] == ["on sqs queue.orders"]


async def test_quick_fix(client, tmp_path):
    path = tmp_path / "app.lam"
    diags = await open_doc(client, path, BROKEN)
    d = by_code(diags, "E0103")
    actions = await asyncio.wait_for(
        client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
                range=d.range,
                context=types.CodeActionContext(diagnostics=[d]),
            )
        ),
        WAIT,
    )
    fix = [a for a in actions if a.title == "rename to `memory`"]
    assert fix, [a.title for a in actions]
    assert fix[0].kind == types.CodeActionKind.QuickFix
    (edit,) = fix[0].edit.changes[uri_of(path)]
    assert edit.new_text == "memory" and edit.range == d.range


async def test_edit_sequence_introduces_then_fixes_an_error(client, tmp_path):
    path = tmp_path / "app.lam"
    assert await open_doc(client, path, VALID) == []
    broken = VALID.replace("512MB", "20GB")
    diags = await change_doc(client, path, broken, 2)
    assert [d.code for d in diags] == ["E0401"]
    assert diags[0].range.start == types.Position(line=5, character=11)
    assert await change_doc(client, path, VALID, 3) == []


def apply(text, edits):
    """Apply LSP text edits (UTF-16 positions) to `text`, last first."""
    lines = text.split("\n")

    def offset(pos):
        before = sum(len(l) + 1 for l in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units, i = 0, 0
        while i < len(line) and units < pos.character:
            units += len(line[i].encode("utf-16-le")) // 2
            i += 1
        return before + i

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


async def test_formatting(client, tmp_path):
    path = tmp_path / "app.lam"
    uri = uri_of(path)
    messy = "# 😀 naïve\n" + VALID.replace("  memory = 512MB", "  memory   =   512MB  ")

    async def format_doc():
        return await asyncio.wait_for(
            client.text_document_formatting_async(
                types.DocumentFormattingParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    options=types.FormattingOptions(tab_size=2, insert_spaces=True),
                )
            ),
            WAIT,
        )

    await open_doc(client, path, messy)
    edits = await format_doc()
    assert edits, "formatting returned no edit for a messy document"
    formatted = apply(messy, edits)
    canonical = subprocess.run(
        [LAMC, "fmt", "-"], input=messy, capture_output=True, text=True, check=True
    ).stdout
    assert formatted == canonical
    # Formatted text needs no edit; text that does not parse is left alone (null).
    await change_doc(client, path, formatted, 2)
    assert list(await format_doc()) == []
    await change_doc(client, path, "function f {\n  memory = \n", 3)
    assert await format_doc() is None


async def test_errors_in_a_used_file_show_on_its_use_line(client, tmp_path):
    shared = tmp_path / "shared.lam"
    shared.write_text("queue orders { visibility = 99h }\n", encoding="utf-8")
    main = tmp_path / "main.lam"
    text = 'use "shared.lam"\n' + VALID.replace("queue orders {}\n", "")
    diags = await open_doc(client, main, text)
    assert len(diags) == 1, [d.message for d in diags]
    d = diags[0]
    assert d.range.start.line == 0 and "shared.lam" in d.message
    assert d.related_information[0].location.uri == uri_of(shared)


# The v2 declarations and the references to them, one per kind.
V2 = """\
layer deps { code = "deps" }
bus orders {}
secret db from "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
key data from "arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-0123-0123-0123456789ab"
auth users { jwt { issuer = "https://example.auth0.com/", audience = ["a"] } }
topic news {}
function api {
  runtime = python3.12
  handler = "index.handler"
  code = inline(\"\"\"def handler(e, c): return 1\"\"\")
  layers = [layer.deps]
  allow "secretsmanager:GetSecretValue" on secret.db
  allow "kms:Decrypt" on key.data
  on event bus.orders { pattern = { source = ["shop"] } }
  on sns topic.news { filter = { kind = ["order"] } }
  on http "GET /x" { auth = auth.users }
}
"""


async def test_v2_words_complete_hover_and_lead_to_their_declarations(client, tmp_path):
    (tmp_path / "deps").mkdir()
    (tmp_path / "deps" / "lib.py").write_text("X = 1\n", encoding="utf-8")
    path = tmp_path / "app.lam"
    diags = await open_doc(client, path, V2)
    assert diags == [], [(d.code, d.message) for d in diags]
    uri = uri_of(path)
    doc = types.TextDocumentIdentifier(uri=uri)

    # Completion of a function's attributes offers the v2 ones.
    text = V2.replace("  layers = [layer.deps]\n", "  layers = [layer.deps]\n  \n")
    await change_doc(client, path, text, 2)
    result = await asyncio.wait_for(
        client.text_document_completion_async(
            types.CompletionParams(
                text_document=doc, position=position_of(text, "[layer.deps]\n  \n", 15)
            )
        ),
        WAIT,
    )
    items = result.items if isinstance(result, types.CompletionList) else result
    assert {"snap_start", "logging", "vpc", "layers", "publish"} <= {i.label for i in items}
    await change_doc(client, path, V2, 3)

    async def hover(needle):
        h = await asyncio.wait_for(
            client.text_document_hover_async(
                types.HoverParams(text_document=doc, position=position_of(V2, needle, 1))
            ),
            WAIT,
        )
        assert h is not None, f"no hover at {needle}"
        return h.contents.value

    assert "event pattern" in (await hover("pattern =")).lower()
    assert "filter policy" in (await hover("filter =")).lower()

    # Each reference leads to its declaration's name.
    for reference, line, column in [
        ("layer.deps", 0, 6),
        ("bus.orders", 1, 4),
        ("secret.db", 2, 7),
        ("key.data", 3, 4),
        ("auth.users", 4, 5),
    ]:
        at = position_of(V2, reference, len(reference.split(".")[0]) + 2)
        loc = await asyncio.wait_for(
            client.text_document_definition_async(
                types.DefinitionParams(text_document=doc, position=at)
            ),
            WAIT,
        )
        loc = loc[0] if isinstance(loc, list) else loc
        assert loc is not None, f"no definition for {reference}"
        assert (loc.uri, loc.range.start) == (
            uri,
            types.Position(line=line, character=column),
        ), reference
