#!/usr/bin/env python3
"""didChange -> publishDiagnostics latency of `lamc lsp`, from a client that shares no code
with lamc (plain JSON-RPC over pipes, the standard library only).

    python3 scripts/lsp_latency.py target/release/lamc app.lam defaults 300
    python3 scripts/lsp_latency.py target/release/lamc app.lam function 300
    PAUSE=0.05 python3 scripts/lsp_latency.py target/release/lamc app.lam typing 100

The document is `synth 1000` (or any file with `memory = 256MB` in `defaults` and
`INDEX = "500"` in one function). Each edit is a full-text didChange, as editors with
full sync send it; the time is from writing the change to reading the
publishDiagnostics of that version. Edits:

  defaults   `memory = 256MB` in `defaults` (what every function inherits) becomes an
             error (`20GB`) and a valid value in turn
  function   `INDEX = "500"` in one function in the middle becomes an unresolved
             reference (`queue.nope.url`) and a valid value in turn
  typing     one more character in that value at every edit

`PAUSE=seconds` waits between edits (as a person typing does), so work the server
leaves for after its answer does not fall into the next edit. Prints p50, p95 and max.
`cargo bench --no-default-features --bench lsp_latency` measures the same from Rust.
"""

import json
import os
import queue
import subprocess
import sys
import threading
import time

WAIT = 30.0


def start(lamc):
    server = subprocess.Popen(
        [lamc, "lsp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=dict(os.environ, LAMC_TODAY="2026-11-26"),
    )
    inbox = queue.Queue()
    threading.Thread(target=read_messages, args=(server.stdout, inbox), daemon=True).start()
    return server, inbox


def read_messages(stream, inbox):
    """Each message with the moment it was read, as the JSON-RPC base protocol frames it."""
    while True:
        headers = {}
        while True:
            line = stream.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                break
            key, value = line.decode().split(":", 1)
            headers[key.lower()] = value.strip()
        body = stream.read(int(headers["content-length"]))
        inbox.put((time.perf_counter(), json.loads(body)))


def send(server, message):
    body = json.dumps(dict(message, jsonrpc="2.0")).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def wait_for(inbox, wanted):
    while True:
        at, message = inbox.get(timeout=WAIT)
        if wanted(message):
            return at


def published(version):
    return lambda m: (
        m.get("method") == "textDocument/publishDiagnostics"
        and m["params"].get("version") == version
    )


def edited(text, mode, i):
    if mode == "function":
        value = "queue.nope.url" if i % 2 == 0 else '"%d"' % (500 + i)
        return text.replace('INDEX = "500"', "INDEX = " + value, 1)
    if mode == "typing":
        return text.replace('INDEX = "500"', 'INDEX = "500%s"' % ("x" * (i + 1)), 1)
    memory = "20GB" if i % 2 == 0 else "%dMB" % (256 + i)
    return text.replace("memory = 256MB", "memory = " + memory, 1)


def percentile(sorted_times, p):
    return sorted_times[min(len(sorted_times) - 1, round((len(sorted_times) - 1) * p))]


def main():
    lamc, path, mode, edits = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    pause = float(os.environ.get("PAUSE", "0"))
    text = open(path, encoding="utf-8").read()
    uri = "file://" + os.path.abspath(path)
    server, inbox = start(lamc)
    send(server, {"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    wait_for(inbox, lambda m: m.get("id") == 1)
    send(server, {"method": "initialized", "params": {}})
    document = {"uri": uri, "languageId": "lam", "version": 1, "text": text}
    send(server, {"method": "textDocument/didOpen", "params": {"textDocument": document}})
    wait_for(inbox, published(1))
    times = []
    for i in range(edits):
        version = i + 2
        change = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": edited(text, mode, i)}]}
        sent = time.perf_counter()
        send(server, {"method": "textDocument/didChange", "params": change})
        times.append((wait_for(inbox, published(version)) - sent) * 1000)
        time.sleep(pause)
    send(server, {"id": 2, "method": "shutdown"})
    wait_for(inbox, lambda m: m.get("id") == 2)
    send(server, {"method": "exit"})
    server.wait(timeout=WAIT)
    times.sort()
    print(f"{mode}: {edits} edits, p50 {percentile(times, 0.5):.1f} ms, "
          f"p95 {percentile(times, 0.95):.1f} ms, max {times[-1]:.1f} ms")


if __name__ == "__main__":
    main()
