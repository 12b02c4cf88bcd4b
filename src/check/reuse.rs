//! What the language server keeps from one check of a document to the next: the parsed
//! declarations ([`ParseCache`]) and, for every function, what lowering its own body gave
//! (the partial function, its diagnostics, what it refers to). A function whose text did
//! not change is not lowered again when nothing it may read changed either; its result is
//! moved to its new place ([`super::remap`]). Merging with templates and `defaults`, and
//! every rule across declarations (names, unused, limits, loops), run on every check.
//!
//! What a function's own lowering reads besides its text is the scope's names (which
//! declarations exist, of which kind, in which order: a reference points at the first), the
//! `let`s and parameters (their text), which functions have a URL, whether an implicit api
//! exists, what could not be read, and the files' names and paths. All of it is hashed
//! into one fingerprint, [`environment`]; when it differs from the previous check's,
//! nothing is reused. A function with an error found before lowering (a parse error, a
//! duplicate name) is never reused: its tree may depend on what follows it.

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

use crate::diag::Diagnostic;
use crate::model::{Function, ResRef};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{AlarmDecl, FunctionDecl, Item};
use crate::syntax::ParseCache;

use super::cx::Cx;
use super::load::Loaded;
use super::remap::{OldFile, SpanMap};
use super::scope::Scope;
use super::unresolved::Unresolved;

/// Kept between checks of one document.
#[derive(Default)]
pub struct CheckCache {
    pub parse: ParseCache,
    last: Option<Last>,
    /// How many functions the last check took from the one before.
    reused: usize,
}

impl CheckCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// Drop the parsed pieces the last parse did not use.
    pub fn forget_unused(&mut self) {
        self.parse.forget_unused();
    }

    /// How many functions the last check took from the one before instead of lowering
    /// them.
    pub fn reused(&self) -> usize {
        self.reused
    }
}

/// The previous check.
struct Last {
    files: Vec<OldFile>,
    environment: u64,
    /// By file and declaration text.
    functions: crate::plan::FastMap<(FileId, Box<str>), Lowered>,
}

/// What lowering one function's own body gave, where the previous version had it.
pub struct Lowered {
    key: Box<str>,
    pub own: Function,
    pub diags: Vec<Diagnostic>,
    pub used: BTreeSet<ResRef>,
    pub used_params: BTreeSet<String>,
    pub unresolved: Vec<(Unresolved, Diagnostic)>,
    pub looked_up: BTreeSet<String>,
}

/// The results one check may take from the previous one.
pub struct Reuse<'c> {
    cache: Option<&'c mut CheckCache>,
    environment: u64,
    moved: Option<(SpanMap, Last)>,
    /// Where loading, parsing or the scope reported an error (sorted): functions around
    /// them are lowered anew.
    broken: Vec<(FileId, usize)>,
    taken: usize,
}

impl<'c> Reuse<'c> {
    /// Nothing to reuse and nothing to keep (`lamc check`).
    pub fn none() -> Self {
        Reuse {
            cache: None,
            environment: 0,
            moved: None,
            broken: Vec::new(),
            taken: 0,
        }
    }

    /// The previous check's results, when its environment was this one's.
    pub fn from(
        cache: Option<&'c mut CheckCache>,
        files: &[Loaded],
        scope: &Scope,
        sources: &SourceMap,
        diags: &[Diagnostic],
    ) -> Self {
        let Some(cache) = cache else {
            return Reuse::none();
        };
        let environment = environment(files, scope, sources);
        let moved = cache
            .last
            .take()
            .filter(|l| l.environment == environment)
            .map(|l| (SpanMap::new(&l.files, sources), l));
        let mut broken: Vec<(FileId, usize)> = diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.primary.span.file, d.primary.span.start))
            .collect();
        broken.sort();
        Reuse {
            cache: Some(cache),
            environment,
            moved,
            broken,
            taken: 0,
        }
    }

    /// Whether the result of lowering the function at `span` is kept for the next check
    /// (not when an error was found in it before lowering).
    pub fn keeps(&self, span: Span) -> bool {
        self.cache.is_some() && !self.broken_in(span)
    }

    /// The previous result for `f`, moved to where `f` is now, if it may be reused.
    pub fn take(&mut self, sources: &SourceMap, file: FileId, f: &FunctionDecl) -> Option<Lowered> {
        if self.broken_in(f.span) {
            return None;
        }
        let (map, last) = self.moved.as_mut()?;
        let key = declaration_text(sources, file, f.span);
        let mut hit = last.functions.remove(&(file, Box::from(key)))?;
        let moved = map.place(hit.own.span) == Some(f.span)
            && map.apply(&mut hit.own)
            && map.apply(&mut hit.diags)
            && map.apply(&mut hit.unresolved);
        self.taken += usize::from(moved);
        moved.then_some(hit)
    }

    /// Keep this check's results (by function, in `scope.functions` order) for the next.
    pub fn keep(&mut self, sources: &SourceMap, kept: Vec<(FileId, Option<Lowered>)>) {
        let Some(cache) = self.cache.take() else {
            return;
        };
        let functions = kept
            .into_iter()
            .filter_map(|(file, l)| Some(((file, l.as_ref()?.key.clone()), l?)))
            .collect();
        cache.reused = self.taken;
        cache.last = Some(Last {
            files: OldFile::all(sources),
            environment: self.environment,
            functions,
        });
    }

    fn broken_in(&self, span: Span) -> bool {
        let from = self
            .broken
            .partition_point(|p| *p < (span.file, span.start));
        self.broken
            .get(from)
            .is_some_and(|p| p.0 == span.file && p.1 <= span.end)
    }
}

impl Lowered {
    /// What lowering `f` (of `file`) into `cx` gave, to keep: `own`, and what `cx` holds
    /// (it lowered nothing else).
    pub fn new(
        sources: &SourceMap,
        file: FileId,
        f: &FunctionDecl,
        cx: &Cx,
        own: &Function,
    ) -> Self {
        Lowered {
            key: declaration_text(sources, file, f.span).into(),
            own: own.clone(),
            diags: cx.diags.clone(),
            used: cx.used.clone(),
            used_params: cx.used_params.clone(),
            unresolved: cx.unresolved.clone(),
            looked_up: cx.looked_up.borrow().clone(),
        }
    }

    /// Take the result into `cx` (as lowering the body there would have left it) and
    /// return the partial function.
    pub fn restore(&self, cx: &mut Cx) -> Function {
        cx.diags.extend(self.diags.iter().cloned());
        cx.used.extend(self.used.iter().cloned());
        cx.used_params.extend(self.used_params.iter().cloned());
        cx.unresolved.extend(self.unresolved.iter().cloned());
        for name in &self.looked_up {
            cx.lookup_let(name);
        }
        self.own.clone()
    }
}

fn declaration_text(sources: &SourceMap, file: FileId, span: Span) -> &str {
    sources
        .get(file)
        .text
        .get(span.start..span.end)
        .unwrap_or_default()
}

/// The fingerprint of everything a function's own lowering reads besides its text (see
/// the module's documentation).
fn environment(files: &[Loaded], scope: &Scope, sources: &SourceMap) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for loaded in files {
        let source = sources.get(loaded.file);
        (loaded.file.0, &source.name, &source.path).hash(&mut h);
        (loaded.std_use_failed, loaded.file_use_failed).hash(&mut h);
        for item in &loaded.ast.items {
            item_identity(item, &source.text).hash(&mut h);
        }
    }
    scope.fn_has_url.hash(&mut h);
    scope.implicit_api.hash(&mut h);
    scope.unreadable.hash(&mut h);
    h.finish()
}

/// What an item contributes to the environment: its kind and name, and the whole text of
/// the declarations whose values others read (`let`, `param`).
fn item_identity<'a>(item: &'a Item, text: &'a str) -> (u8, &'a str, &'a str) {
    let whole = |span: Span| text.get(span.start..span.end).unwrap_or_default();
    match item {
        Item::Use(u) => (0, whole(u.span), ""),
        Item::Param(p) => (1, whole(p.span), ""),
        Item::Let(l) => (2, whole(l.span), ""),
        Item::App(a) => (3, &a.name.name, ""),
        Item::Defaults(_) => (4, "", ""),
        Item::Template(t) => (5, &t.name.name, ""),
        Item::Function(f) => (6, &f.name.name, ""),
        Item::Resource(r) => (7, &r.kind.name, &r.name.name),
        Item::Existing(r) => (8, &r.kind.name, &r.name.name),
        Item::Alarm(AlarmDecl::Named { name, .. }) => (9, &name.name, ""),
        Item::Alarm(AlarmDecl::Expr(_)) => (10, "", ""),
        Item::Output(o) => (11, &o.name.name, ""),
    }
}
