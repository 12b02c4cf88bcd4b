//! `lamc lsp`: a language server over stdio. Each open document is parsed and checked once
//! per version (the same `driver` pipeline as `lamc check`) and every request is answered
//! from that cached result: diagnostics, hover, completion, definition, references,
//! outline, formatting, quick fixes and code lenses (schedules' next firings, the cost of
//! provisioned concurrency).
//!
//! A panic in a handler becomes an error response, never a dead server.

mod actions;
mod completion;
pub mod context;
pub mod convert;
mod document;
mod format;
mod hover;
mod index;
pub mod knowledge;
mod lens;
mod navigate;
mod transport;
mod workspace;

use std::collections::{BTreeMap, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, CodeLensRequest, Completion, DocumentSymbolRequest, Formatting,
    GotoDefinition, HoverRequest, References, Request as _,
};
use lsp_types::{
    CodeActionProviderCapability, CodeLensOptions, CompletionOptions, HoverProviderCapability,
    OneOf, PublishDiagnosticsParams, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::check::CheckCache;
use crate::driver::CheckOptions;
use crate::source::{FileId, SourceFile};

use document::Document;

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `exit` after `shutdown`, or the client hung up: exit status 0.
    Clean,
    /// `exit` without a `shutdown` before it: exit status 1, as the protocol says.
    ExitWithoutShutdown,
}

/// Run the server on stdin/stdout until the client shuts it down.
pub fn run_stdio(opts: CheckOptions) -> Result<Ending, String> {
    let (connection, io_threads) = transport::stdio();
    let result = serve(&connection, opts);
    // The writer thread ends only when every sender is gone: drop the connection first,
    // or joining waits forever.
    drop(connection);
    io_threads.join()?;
    result
}

/// Wait for `initialize` and answer it; requests before it get `ServerNotInitialized`.
/// Returns its params, or how the session ended when `exit` (or the end of input) came
/// first.
fn initialize(connection: &Connection) -> Result<Result<Value, Ending>, String> {
    let caps = serde_json::to_value(capabilities()).map_err(|e| e.to_string())?;
    loop {
        let Ok(msg) = connection.receiver.recv() else {
            return Ok(Err(Ending::Clean));
        };
        match msg {
            Message::Request(req) if req.method == "initialize" => {
                let init = serde_json::json!({
                    "capabilities": caps,
                    "serverInfo": ServerInfo { name: "lamc".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
                });
                send(
                    connection,
                    Message::Response(Response::new_ok(req.id, init)),
                )?;
                return Ok(Ok(req.params));
            }
            Message::Request(req) => send(
                connection,
                Message::Response(Response::new_err(
                    req.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "the server is not initialized yet".into(),
                )),
            )?,
            Message::Notification(n) if n.method == "exit" => {
                return Ok(Err(Ending::ExitWithoutShutdown))
            }
            _ => {}
        }
    }
}

/// The protocol loop on any connection (stdio, or in memory for tests).
pub fn serve(connection: &Connection, opts: CheckOptions) -> Result<Ending, String> {
    let init_params = match initialize(connection)? {
        Ok(params) => params,
        Err(ending) => return Ok(ending),
    };
    let markdown =
        ["hover", "completion"].map(|feature| client_takes_markdown(&init_params, feature));
    let mut server = Server {
        docs: BTreeMap::new(),
        opts,
        hover_markdown: markdown[0],
        completion_markdown: markdown[1],
        retired: Vec::new(),
        parse_caches: BTreeMap::new(),
        workspace: workspace::folders(&init_params),
    };
    // Messages read ahead of time (to see whether a change is already superseded).
    let mut pending: VecDeque<Message> = VecDeque::new();
    loop {
        let msg = match pending.pop_front() {
            Some(m) => m,
            None => match connection.receiver.recv() {
                Ok(m) => m,
                Err(_) => return Ok(Ending::Clean),
            },
        };
        match msg {
            Message::Request(req) if req.method == "shutdown" => {
                send(connection, Message::Response(Response::new_ok(req.id, ())))?;
                return await_exit(connection, &mut pending);
            }
            Message::Request(req) => {
                let resp = server.request(req);
                send(connection, Message::Response(resp))?;
            }
            Message::Notification(note) => {
                if note.method == "exit" {
                    return Ok(Ending::ExitWithoutShutdown);
                }
                if note.method == DidChangeTextDocument::METHOD {
                    pending.extend(connection.receiver.try_iter());
                    if superseded(&note, &pending) {
                        continue;
                    }
                }
                for publish in server.notification(note) {
                    send(connection, Message::Notification(publish))?;
                }
                // Free replaced versions only once their successors' diagnostics are out.
                server.retired.clear();
                for cache in server.parse_caches.values_mut() {
                    cache.release();
                }
            }
            Message::Response(_) => {}
        }
    }
}

/// After `shutdown`: wait for `exit`, refusing any other request.
fn await_exit(connection: &Connection, pending: &mut VecDeque<Message>) -> Result<Ending, String> {
    loop {
        let msg = match pending.pop_front() {
            Some(m) => m,
            None => match connection.receiver.recv_timeout(Duration::from_secs(30)) {
                Ok(m) => m,
                // A client that never says `exit` (or hangs up) still ends the server.
                Err(_) => return Ok(Ending::Clean),
            },
        };
        match msg {
            Message::Notification(n) if n.method == "exit" => return Ok(Ending::Clean),
            Message::Request(req) => send(
                connection,
                Message::Response(Response::new_err(
                    req.id,
                    ErrorCode::InvalidRequest as i32,
                    "the server is shutting down".into(),
                )),
            )?,
            _ => {}
        }
    }
}

/// Whether a full-text change of the same document is already queued behind `change`,
/// with no request about that document in between: then checking `change` would only
/// publish diagnostics that are already out of date (typing faster than a large
/// document checks).
fn superseded(change: &Notification, pending: &VecDeque<Message>) -> bool {
    let uri = &change.params["textDocument"]["uri"];
    for msg in pending {
        match msg {
            Message::Request(r) if r.params["textDocument"]["uri"] == *uri => return false,
            Message::Notification(n) if n.params["textDocument"]["uri"] == *uri => {
                let full_text = n.method == DidChangeTextDocument::METHOD
                    && n.params["contentChanges"]
                        .as_array()
                        .is_some_and(|c| c.iter().any(|c| c.get("range").is_none()));
                return full_text;
            }
            _ => {}
        }
    }
    false
}

fn send(connection: &Connection, msg: Message) -> Result<(), String> {
    connection.sender.send(msg).map_err(|e| e.to_string())
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "=".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        ..ServerCapabilities::default()
    }
}

/// An error response's code and message.
type Failure = (i32, String);

struct Server {
    /// Open documents by URI text.
    docs: BTreeMap<String, Document>,
    opts: CheckOptions,
    /// Whether the client renders Markdown in hovers and in completion documentation;
    /// otherwise they are sent as plain text.
    hover_markdown: bool,
    completion_markdown: bool,
    /// Versions replaced by the last notification, dropped after it is answered.
    retired: Vec<Document>,
    /// Per open document, what its last version parsed and lowered (reused by the next).
    parse_caches: BTreeMap<String, CheckCache>,
    /// The client's workspace folders: each is the project root of the documents in it.
    workspace: Vec<std::path::PathBuf>,
}

/// Whether the client lists Markdown among the formats of `feature` (`hover` or
/// `completion`) in its `initialize` capabilities.
fn client_takes_markdown(init: &Value, feature: &str) -> bool {
    let caps = &init["capabilities"]["textDocument"][feature];
    let formats = match feature {
        "hover" => &caps["contentFormat"],
        _ => &caps["completionItem"]["documentationFormat"],
    };
    formats
        .as_array()
        .is_some_and(|f| f.iter().any(|k| k == "markdown"))
}

fn params<P: DeserializeOwned>(value: Value) -> Result<P, Failure> {
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams as i32, e.to_string()))
}

fn json<T: serde::Serialize>(value: T) -> Result<Value, Failure> {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError as i32, e.to_string()))
}

/// The text of a caught panic.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Run `f`, turning a panic into an internal-error failure.
fn guarded<T>(f: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(panic) => Err((
            ErrorCode::InternalError as i32,
            format!("internal error: {}", panic_message(panic.as_ref())),
        )),
    }
}

impl Server {
    fn doc(&self, uri: &Uri) -> Option<&Document> {
        self.docs.get(uri.as_str())
    }

    fn request(&self, req: Request) -> Response {
        let id = req.id.clone();
        match guarded(|| self.dispatch(req)) {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code, message),
        }
    }

    /// A request about a document that is not open is answered with `null`, not an error.
    fn dispatch(&self, req: Request) -> Result<Value, Failure> {
        match req.method.as_str() {
            HoverRequest::METHOD => json(self.hover(params(req.params)?)),
            Completion::METHOD => json(self.completion(params(req.params)?)),
            GotoDefinition::METHOD => json(self.definition(params(req.params)?)),
            References::METHOD => json(self.references(params(req.params)?)),
            DocumentSymbolRequest::METHOD => json(self.symbols(params(req.params)?)),
            Formatting::METHOD => json(self.formatting(params(req.params)?)),
            CodeActionRequest::METHOD => json(self.code_actions(params(req.params)?)),
            CodeLensRequest::METHOD => json(self.code_lenses(params(req.params)?)),
            _ => Err((
                ErrorCode::MethodNotFound as i32,
                format!("unhandled method {}", req.method),
            )),
        }
    }

    fn hover(&self, p: lsp_types::HoverParams) -> Option<lsp_types::Hover> {
        let at = p.text_document_position_params;
        self.doc(&at.text_document.uri)
            .and_then(|d| hover::hover(d, at.position, self.opts.today, self.hover_markdown))
    }

    fn completion(&self, p: lsp_types::CompletionParams) -> Option<lsp_types::CompletionResponse> {
        let at = p.text_document_position;
        self.doc(&at.text_document.uri)
            .and_then(|d| completion::complete(d, at.position, self.completion_markdown))
    }

    fn definition(&self, p: lsp_types::GotoDefinitionParams) -> Option<lsp_types::Location> {
        let at = p.text_document_position_params;
        self.doc(&at.text_document.uri)
            .and_then(|d| navigate::definition(d, at.position))
    }

    /// References in the document asked about and in every other open one (which may `use`
    /// the same file).
    fn references(&self, p: lsp_types::ReferenceParams) -> Option<Vec<lsp_types::Location>> {
        let at = p.text_document_position;
        let uri = at.text_document.uri.as_str();
        self.doc(&at.text_document.uri).map(|d| {
            let others = self
                .docs
                .iter()
                .filter(|(u, _)| u.as_str() != uri)
                .map(|(_, d)| d);
            navigate::references(d, others, at.position, p.context.include_declaration)
        })
    }

    fn symbols(
        &self,
        p: lsp_types::DocumentSymbolParams,
    ) -> Option<Vec<lsp_types::DocumentSymbol>> {
        self.doc(&p.text_document.uri).map(navigate::symbols)
    }

    fn formatting(
        &self,
        p: lsp_types::DocumentFormattingParams,
    ) -> Option<Vec<lsp_types::TextEdit>> {
        self.doc(&p.text_document.uri).and_then(format::formatting)
    }

    fn code_actions(
        &self,
        p: lsp_types::CodeActionParams,
    ) -> Option<Vec<lsp_types::CodeActionOrCommand>> {
        self.doc(&p.text_document.uri)
            .map(|d| actions::code_actions(d, p.range))
    }

    fn code_lenses(&self, p: lsp_types::CodeLensParams) -> Option<Vec<lsp_types::CodeLens>> {
        self.doc(&p.text_document.uri)
            .map(|d| lens::code_lenses(d, self.opts.today))
    }

    /// Handle a notification; returns the notifications to send back.
    fn notification(&mut self, note: Notification) -> Vec<Notification> {
        let result = guarded(|| Ok(self.note(note)));
        match result {
            Ok(out) => out,
            Err((_, message)) => {
                crate::cli::eprint_text(&format!("lamc lsp: {message}\n"));
                Vec::new()
            }
        }
    }

    fn note(&mut self, note: Notification) -> Vec<Notification> {
        match note.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = params::<lsp_types::DidOpenTextDocumentParams>(note.params) else {
                    return Vec::new();
                };
                let d = p.text_document;
                self.update(d.uri, d.version, d.text, true)
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = params::<lsp_types::DidChangeTextDocumentParams>(note.params) else {
                    return Vec::new();
                };
                let key = p.text_document.uri.as_str().to_string();
                let current = || {
                    self.docs
                        .get(&key)
                        .map(|d| d.text().to_string())
                        .unwrap_or_default()
                };
                // A full-text change (what editors with full sync send) replaces the text:
                // the current one is copied only for a range change.
                let mut text: Option<String> = None;
                for change in p.content_changes {
                    let base = match (&change.range, text.take()) {
                        (None, _) => String::new(),
                        (Some(_), Some(t)) => t,
                        (Some(_), None) => current(),
                    };
                    text = Some(apply_change(&base, change));
                }
                let text = text.unwrap_or_else(current);
                // Stack-level limits wait for the save: planning a large app takes
                // longer than an edit may (docs/performance.md, the language server).
                self.update(p.text_document.uri, p.text_document.version, text, false)
            }
            DidSaveTextDocument::METHOD => {
                // A saved file may be `use`d by the other open documents: check them again,
                // stack-level limits included.
                let open: Vec<(Uri, i32, String)> = self
                    .docs
                    .values()
                    .map(|d| (d.uri.clone(), d.version, d.text().to_string()))
                    .collect();
                open.into_iter()
                    .flat_map(|(uri, version, text)| self.update(uri, version, text, true))
                    .collect()
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = params::<lsp_types::DidCloseTextDocumentParams>(note.params) else {
                    return Vec::new();
                };
                self.docs.remove(p.text_document.uri.as_str());
                self.parse_caches.remove(p.text_document.uri.as_str());
                vec![publish(p.text_document.uri, Vec::new(), None)]
            }
            _ => Vec::new(),
        }
    }

    /// Compile a new version and publish its diagnostics; with `limits`, the stack-level
    /// ones too (E0413, E0439, …: the program is planned, as `lamc check` does).
    fn update(&mut self, uri: Uri, version: i32, text: String, limits: bool) -> Vec<Notification> {
        let key = uri.as_str().to_string();
        let cache = self.parse_caches.entry(key.clone()).or_default();
        // The version being replaced lends its declarations to the new one.
        if let Some(mut old) = self.docs.remove(&key) {
            old.give_back(cache);
            self.retired.push(old);
        }
        let opts = workspace::options_for(&self.opts, &self.workspace, &uri);
        let doc = Document::compile(uri.clone(), version, text, &opts, cache, limits);
        let diagnostics = doc.diagnostics();
        self.docs.insert(key, doc);
        vec![publish(uri, diagnostics, Some(version))]
    }
}

fn publish(
    uri: Uri,
    diagnostics: Vec<lsp_types::Diagnostic>,
    version: Option<i32>,
) -> Notification {
    Notification::new(
        PublishDiagnostics::METHOD.to_string(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    )
}

/// Apply one change event: a range edit, or the whole text.
fn apply_change(text: &str, change: lsp_types::TextDocumentContentChangeEvent) -> String {
    let Some(range) = change.range else {
        return change.text;
    };
    let file = SourceFile::new(FileId(0), String::new(), None, text.to_string());
    let start = file.offset_of_utf16(range.start.line, range.start.character);
    let end = file
        .offset_of_utf16(range.end.line, range.end.character)
        .max(start);
    let mut out = String::with_capacity(text.len() + change.text.len());
    out.push_str(&text[..start]);
    out.push_str(&change.text);
    out.push_str(&text[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_handler_is_an_error_not_a_crash() {
        let r: Result<(), Failure> = guarded(|| panic!("boom"));
        let (code, message) = r.err().unwrap_or_default();
        assert_eq!(code, ErrorCode::InternalError as i32);
        assert!(message.contains("boom"), "{message}");
    }

    #[test]
    fn a_queued_full_change_supersedes_an_earlier_one() {
        let change = |uri: &str, text: &str| {
            Notification::new(
                DidChangeTextDocument::METHOD.into(),
                serde_json::json!({
                    "textDocument": { "uri": uri, "version": 1 },
                    "contentChanges": [{ "text": text }],
                }),
            )
        };
        let hover = Message::Request(Request::new(
            1.into(),
            HoverRequest::METHOD.into(),
            serde_json::json!({ "textDocument": { "uri": "file:///a.lam" }, "position": { "line": 0, "character": 0 } }),
        ));
        let first = change("file:///a.lam", "x");
        let later = Message::Notification(change("file:///a.lam", "y"));
        let other = Message::Notification(change("file:///b.lam", "z"));
        assert!(superseded(
            &first,
            &VecDeque::from([other.clone(), later.clone()])
        ));
        assert!(!superseded(&first, &VecDeque::from([hover, later])));
        assert!(!superseded(&first, &VecDeque::from([other])));
    }

    /// A version checked after others (its unchanged declarations reused from them)
    /// publishes what the same text checked from scratch publishes, and keeps the same
    /// syntax trees, the `use`d standard module's included.
    #[test]
    fn an_edited_document_publishes_what_a_fresh_check_publishes() {
        use std::str::FromStr;
        let opts = CheckOptions::default();
        let mut server = Server {
            docs: BTreeMap::new(),
            opts: opts.clone(),
            hover_markdown: true,
            completion_markdown: true,
            retired: Vec::new(),
            parse_caches: BTreeMap::new(),
            workspace: Vec::new(),
        };
        let uri = Uri::from_str("file:///nonexistent/lamc-lsp/app.lam").unwrap_or_else(|_| {
            panic!("uri");
        });
        let base = include_str!("../../examples/queue-worker/app.lam");
        let at = |what: &str| base.find(what).unwrap_or_else(|| panic!("{what}"));
        let (accept, worker, end) = (
            at("function accept"),
            at("function worker"),
            at("alarm queue.orders_dlq"),
        );
        let swapped = [
            &base[..accept],
            &base[worker..end],
            &base[accept..worker],
            &base[end..],
        ]
        .concat();
        let versions = [
            base.to_string(),
            base.replacen("memory  = 256MB", "memory  = 20GB", 1),
            base.replacen("queue orders_dlq {", "queue orders_dlq {{", 1),
            base.replacen("use std.alarms", "use std.alarmz", 1),
            format!("{base}\nfunction late {{ memory = 128MB }}\n"),
            format!("\n\n{base}"),
            base.to_string(),
            // Every function where it was (the model edited in place), then one more in
            // the middle, one fewer, two swapped.
            base.replacen("timeout = 25s", "timeout = 26s", 1),
            base.replacen("timeout = 5s", "timeout = 6s", 1),
            base.replacen(
                "function worker",
                "function mid { memory = 2MB }\nfunction worker",
                1,
            ),
            base.replacen("function accept", "function gone", 1),
            base.replacen("function accept {", "function after {", 1)
                .replacen(
                    "function worker",
                    "function accept { code = \"src/x\" }\nfunction worker",
                    1,
                ),
            base.to_string(),
            swapped,
            base.to_string(),
        ];
        for (version, text) in versions.iter().enumerate() {
            let version = version as i32;
            let limits = version % 2 == 0;
            let published = server.update(uri.clone(), version, text.clone(), limits);
            let fresh = Document::compile(
                uri.clone(),
                version,
                text.clone(),
                &opts,
                &mut CheckCache::new(),
                limits,
            );
            let expected = serde_json::to_value(fresh.diagnostics()).unwrap_or_default();
            assert_eq!(published.len(), 1);
            assert_eq!(published[0].params["diagnostics"], expected, "{text}");
            let doc = &server.docs[uri.as_str()];
            assert_eq!(doc.syntax, fresh.syntax, "{text}");
            let functions = |d: &Document| d.comp.model.as_ref().map(|m| m.functions.clone());
            assert_eq!(functions(doc), functions(&fresh), "{text}");
            server.retired.clear();
        }
    }

    #[test]
    fn range_changes_apply_in_utf16() {
        use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(1, 3), Position::new(1, 4))),
            range_length: None,
            text: "X".into(),
        };
        assert_eq!(apply_change("ab\n😀yz\n", change), "ab\n😀yX\n");
    }

    /// A bare CR ends a line for the client, so it does for positions here.
    #[test]
    fn range_changes_count_every_line_end() {
        use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
        let change = |l0, c0, l1, c1| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l0, c0), Position::new(l1, c1))),
            range_length: None,
            text: "X".into(),
        };
        let text = "ab\rcd\r\nef\rg";
        assert_eq!(apply_change(text, change(1, 1, 1, 2)), "ab\rcX\r\nef\rg");
        assert_eq!(apply_change(text, change(2, 0, 2, 1)), "ab\rcd\r\nXf\rg");
        assert_eq!(apply_change(text, change(3, 0, 3, 9)), "ab\rcd\r\nef\rX");
        // A column past the end of a line stops before its line end.
        assert_eq!(apply_change(text, change(0, 7, 0, 9)), "abX\rcd\r\nef\rg");
    }
}
