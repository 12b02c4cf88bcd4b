//! Go to definition, find references (across `use`d files and every open document), and
//! the document outline.

use std::collections::BTreeSet;
use std::path::PathBuf;

use lsp_types::{DocumentSymbol, Location, Position, SymbolKind};

use crate::model::Kind;
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{AlarmDecl, FunctionDecl, Item, Member};

use super::convert;
use super::document::Document;
use super::index::DeclKind;

/// The declaration the name under `pos` resolves to.
pub fn definition(doc: &Document, pos: Position) -> Option<Location> {
    let offset = convert::offset(doc.root(), pos);
    let (kind, name) = doc.index().target_at(doc.comp.root, offset)?;
    let decl = doc.index().decl(kind, &name)?;
    doc.location(decl.name_span)
}

/// Every place the name under `pos` is referenced, in `doc` and the other open documents
/// (which may `use` the same file), sorted and without duplicates.
pub fn references<'a>(
    doc: &'a Document,
    others: impl Iterator<Item = &'a Document>,
    pos: Position,
    include_declaration: bool,
) -> Vec<Location> {
    let offset = convert::offset(doc.root(), pos);
    let Some((kind, name)) = doc.index().target_at(doc.comp.root, offset) else {
        return Vec::new();
    };
    // The declaring file, so that another document's same-named declaration in a different
    // file is not mixed in.
    let home = declaring_file(doc, kind, &name);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for d in std::iter::once(doc).chain(others) {
        if declaring_file(d, kind, &name) != home {
            continue;
        }
        let spans = spans_of(d, kind, &name, include_declaration);
        push_new_locations(d, spans, &mut seen, &mut out);
    }
    sort_by_place(&mut out);
    out
}

/// The file (path and name) where `d` declares `name`.
fn declaring_file(d: &Document, kind: DeclKind, name: &str) -> Option<(Option<PathBuf>, String)> {
    d.index()
        .decl(kind, name)
        .and_then(|x| d.file(x.span.file))
        .map(|f| (f.path.clone(), f.name.clone()))
}

/// The references to `name` in `d`, then its declaration when asked for.
fn spans_of<'d>(
    d: &'d Document,
    kind: DeclKind,
    name: &'d str,
    include_declaration: bool,
) -> impl Iterator<Item = Span> + 'd {
    d.index()
        .refs
        .iter()
        .filter(move |r| r.kind == kind && r.name == name)
        .map(|r| r.span)
        .chain(
            include_declaration
                .then(|| d.index().decl(kind, name).map(|x| x.name_span))
                .flatten(),
        )
}

/// The locations of `spans` not already in `seen` (the same file may be open in several
/// documents, and `use`d by them).
fn push_new_locations(
    d: &Document,
    spans: impl Iterator<Item = Span>,
    seen: &mut BTreeSet<(String, u32, u32)>,
    out: &mut Vec<Location>,
) {
    for span in spans {
        let Some(loc) = d.location(span) else {
            continue;
        };
        let key = (
            loc.uri.as_str().to_string(),
            loc.range.start.line,
            loc.range.start.character,
        );
        if seen.insert(key) {
            out.push(loc);
        }
    }
}

fn sort_by_place(out: &mut [Location]) {
    out.sort_by(|a, b| {
        (a.uri.as_str(), a.range.start.line, a.range.start.character).cmp(&(
            b.uri.as_str(),
            b.range.start.line,
            b.range.start.character,
        ))
    });
}

/// The outline: every declaration of the document, functions with their triggers.
pub fn symbols(doc: &Document) -> Vec<DocumentSymbol> {
    let Some(ast) = doc.ast(doc.comp.root) else {
        return Vec::new();
    };
    let root = doc.root();
    ast.items
        .iter()
        .map(|item| {
            let (name, kind, sel, children) = outline_entry(root, item);
            symbol(
                name,
                kind,
                convert::range(root, item.span()),
                convert::range(root, sel),
                children,
            )
        })
        .collect()
}

/// An item's outline entry: its name, symbol kind, the span to select and its children.
type Entry = (String, SymbolKind, Span, Vec<DocumentSymbol>);

fn outline_entry(root: &SourceFile, item: &Item) -> Entry {
    let leaf = |name: String, kind, sel| (name, kind, sel, Vec::new());
    match item {
        Item::Use(_) | Item::Defaults(_) => {
            let span = item.span();
            let text = crate::source::first_line(root.slice(span)).to_string();
            leaf(text, SymbolKind::NAMESPACE, span)
        }
        Item::Param(p) => leaf(p.name.name.clone(), SymbolKind::VARIABLE, p.name.span),
        Item::Let(l) => leaf(l.name.name.clone(), SymbolKind::CONSTANT, l.name.span),
        Item::App(a) => leaf(a.name.name.clone(), SymbolKind::MODULE, a.name.span),
        Item::Template(f) | Item::Function(f) => {
            let kind = if matches!(item, Item::Template(_)) {
                SymbolKind::CLASS
            } else {
                SymbolKind::FUNCTION
            };
            (
                f.name.name.clone(),
                kind,
                f.name.span,
                trigger_symbols(root, f),
            )
        }
        Item::Resource(r) => leaf(
            format!("{} {}", r.kind.name, r.name.name),
            resource_kind(&r.kind.name),
            r.name.span,
        ),
        Item::Existing(e) => leaf(
            format!("{} {}", e.kind.name, e.name.name),
            resource_kind(&e.kind.name),
            e.name.span,
        ),
        Item::Alarm(a) => {
            let (name, sel) = match a {
                AlarmDecl::Named { name, .. } => (name.name.clone(), name.span),
                AlarmDecl::Expr(e) => (format!("alarm {}", e.metric.text()), e.metric.span),
            };
            leaf(name, SymbolKind::EVENT, sel)
        }
        Item::Output(o) => leaf(o.name.name.clone(), SymbolKind::PROPERTY, o.name.span),
    }
}

/// The triggers of a function or template, each under the first line of its text.
fn trigger_symbols(root: &SourceFile, f: &FunctionDecl) -> Vec<DocumentSymbol> {
    f.body
        .members
        .iter()
        .filter_map(|m| match m {
            Member::Trigger(t) => Some(symbol(
                crate::source::first_line(root.slice(t.span))
                    .trim()
                    .to_string(),
                SymbolKind::EVENT,
                convert::range(root, t.span),
                convert::range(root, t.kind.span),
                Vec::new(),
            )),
            _ => None,
        })
        .collect()
}

fn resource_kind(kind: &str) -> SymbolKind {
    match Kind::parse(kind) {
        Some(Kind::Queue) | Some(Kind::Stream) => SymbolKind::ARRAY,
        Some(Kind::Topic) | Some(Kind::Bus) => SymbolKind::EVENT,
        Some(Kind::Bucket) | Some(Kind::Table) => SymbolKind::STRUCT,
        Some(Kind::Api) => SymbolKind::INTERFACE,
        _ => SymbolKind::OBJECT,
    }
}

#[allow(deprecated)] // `deprecated` is a required field of the protocol type.
fn symbol(
    name: String,
    kind: SymbolKind,
    range: lsp_types::Range,
    selection_range: lsp_types::Range,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name: if name.is_empty() { "?".into() } else { name },
        detail: None,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children: (!children.is_empty()).then_some(children),
    }
}
