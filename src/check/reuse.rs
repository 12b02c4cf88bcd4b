//! What the language server keeps from one check of a document to the next: the parsed
//! declarations ([`ParseCache`]), every function as lowered and merged with what it
//! inherits, with what lowering it found (diagnostics, references, `let`s looked up), and
//! the declared resources.
//!
//! A function is taken from the previous check instead of lowered again when
//! - its text did not change and no span of its result lies in the changed text (the
//!   edit is the text between the common prefix and suffix of the two versions,
//!   [`SpanMap`]; the result is moved to its new place);
//! - the context it was lowered in did not change: [`context`] fingerprints the text of
//!   every declaration but the functions (`defaults`, templates, `let`s, parameters,
//!   resources, …: few, where functions are many), the names of the functions in order,
//!   which have a URL, whether an implicit api exists, what could not be read, and the
//!   files' names and paths;
//! - no error was found in it before lowering (a parse error, a duplicate name): its tree
//!   may then depend on what follows it.
//!
//! The declared resources (queues, topics, …) are all taken on the same conditions (their
//! lowering reads only the context and their own text, which the context holds), unless
//! one of them had an error before lowering.
//!
//! Functions are neither copied nor moved: a replaced version hands its model's functions
//! back ([`CheckCache::reclaim`]), as it hands back its syntax tree, and when every
//! function is where it was (an edit inside one), the new model is that same list with the
//! edited functions replaced; a function is about 2 KB, and moving a thousand of them a
//! few times cost more than moving their spans.

use std::collections::BTreeSet;
use std::hash::{BuildHasher, Hash, Hasher};

use crate::diag::Diagnostic;
use crate::driver::CheckOptions;
use crate::model::{Function, ResRef, Resource};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::Item;
use crate::syntax::ParseCache;

use super::cx::Cx;
use super::load::Loaded;
use super::remap::SpanMap;
use super::scope::Scope;
use super::unresolved::Unresolved;

/// Kept between checks of one document.
#[derive(Default)]
pub struct CheckCache {
    pub parse: ParseCache,
    last: Option<Last>,
    /// What a check could not take from the one before (all of it after an edit in
    /// `defaults`: a thousand functions). Freeing it is left until the diagnostics are
    /// out ([`CheckCache::release`]); the next check frees what is still here.
    stale: Vec<Last>,
    /// How many functions the last check took from the one before.
    reused: usize,
    /// How many declared resources the last check took from the one before.
    reused_resources: usize,
}

impl CheckCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many functions the last check took from the one before instead of lowering
    /// them.
    pub fn reused(&self) -> usize {
        self.reused
    }

    /// How many resources the last check took from the one before instead of lowering
    /// their declarations.
    pub fn reused_resources(&self) -> usize {
        self.reused_resources
    }

    /// Free what the last check could not take from the one before.
    pub fn release(&mut self) {
        self.stale.clear();
    }

    /// Take back the functions and resources of the model the last check built (in its
    /// order) and the files it read, for the next check to reuse.
    pub fn reclaim(
        &mut self,
        functions: Vec<Function>,
        resources: Vec<Resource>,
        files: SourceMap,
    ) {
        if let Some(last) = &mut self.last {
            if last.kept.len() == functions.len() {
                last.functions = functions;
                last.resources = resources;
                last.files = files;
            }
        }
    }
}

/// The previous check.
struct Last {
    /// The files it read, once handed back.
    files: SourceMap,
    context: u64,
    /// Per function of the previous model, in order: where it was and what lowering it
    /// found (`None` when it may not be reused).
    kept: Vec<Option<Kept>>,
    /// The previous model's functions, once handed back.
    functions: Vec<Function>,
    /// The previous model's resources, once handed back: the first `declared.1` are the
    /// declarations' (what follows is made from the functions, the implicit api).
    resources: Vec<Resource>,
    /// What lowering the declared resources found, and how many they are (`None` when
    /// they may not be reused).
    declared: Option<(Outcome, usize)>,
}

struct Kept {
    span: Span,
    outcome: Outcome,
}

/// What lowering and merging one function found besides the function itself.
#[derive(Clone, Default)]
pub struct Outcome {
    pub diags: Vec<Diagnostic>,
    pub used: BTreeSet<ResRef>,
    pub used_params: BTreeSet<String>,
    pub unresolved: Vec<(Unresolved, Diagnostic)>,
    /// Names looked up as `let`s (a `let` looked up counts as used).
    pub lets: BTreeSet<String>,
    /// What the rules about one function found in it, once they ran.
    pub rules: Option<Vec<Diagnostic>>,
}

impl Outcome {
    /// What `cx` found (it lowered one function only).
    pub fn of(cx: &Cx) -> Self {
        Outcome {
            diags: cx.diags.clone(),
            used: cx.used.clone(),
            used_params: cx.used_params.clone(),
            unresolved: cx.unresolved.clone(),
            lets: cx.looked_up.borrow().clone(),
            rules: None,
        }
    }

    /// Add it to `cx`, as lowering the function there would have.
    pub fn restore(&self, cx: &mut Cx) {
        cx.diags.extend(self.diags.iter().cloned());
        cx.used.extend(self.used.iter().cloned());
        cx.used_params.extend(self.used_params.iter().cloned());
        cx.unresolved.extend(self.unresolved.iter().cloned());
        for name in &self.lets {
            cx.lookup_let(name);
        }
    }
}

/// The results one check may take from the previous one, and those it keeps.
pub struct Reuse<'c> {
    cache: Option<&'c mut CheckCache>,
    context: u64,
    /// The previous check, when its context was this one's, with where its spans are now.
    moved: Option<(SpanMap, Last)>,
    /// By where each previous function is now: its index in `Last`.
    at: crate::plan::FastMap<(FileId, usize, usize), usize>,
    /// Where loading, parsing or the scope reported an error (sorted).
    broken: Vec<(FileId, usize)>,
    kept: Vec<Option<Kept>>,
    taken: usize,
    declared: Option<(Outcome, usize)>,
    taken_resources: usize,
}

impl<'c> Reuse<'c> {
    /// Nothing to reuse and nothing to keep (`lamc check`).
    pub fn none() -> Self {
        Reuse {
            cache: None,
            context: 0,
            moved: None,
            at: Default::default(),
            broken: Vec::new(),
            kept: Vec::new(),
            taken: 0,
            declared: None,
            taken_resources: 0,
        }
    }

    /// The previous check's results, when its context was this one's.
    pub fn from(
        cache: Option<&'c mut CheckCache>,
        files: &[Loaded],
        scope: &Scope,
        sources: &SourceMap,
        opts: &CheckOptions,
        diags: &[Diagnostic],
    ) -> Self {
        let Some(cache) = cache else {
            return Reuse::none();
        };
        let context = context(files, scope, sources, opts);
        cache.release();
        let (usable, stale): (Option<Last>, Option<Last>) = match cache.last.take() {
            Some(l) if l.context == context && !l.functions.is_empty() => (Some(l), None),
            other => (None, other),
        };
        cache.stale.extend(stale);
        let moved = usable.map(|l| (SpanMap::new(&l.files, sources), l));
        let mut at = crate::plan::FastMap::default();
        if let Some((map, last)) = &moved {
            for (i, k) in last.kept.iter().enumerate() {
                let Some(now) = k.as_ref().and_then(|k| map.place(k.span)) else {
                    continue;
                };
                at.insert((now.file, now.start, now.end), i);
            }
        }
        let mut broken: Vec<(FileId, usize)> = diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.primary.span.file, d.primary.span.start))
            .collect();
        broken.sort();
        Reuse {
            cache: Some(cache),
            context,
            moved,
            at,
            broken,
            kept: Vec::new(),
            taken: 0,
            declared: None,
            taken_resources: 0,
        }
    }

    /// Whether this check's results are kept for the next.
    pub fn keeping(&self) -> bool {
        self.cache.is_some()
    }

    /// The previous model's functions (empty when none may be reused), for [`Reuse::take`]
    /// to move in place.
    pub fn previous_functions(&mut self) -> Vec<Function> {
        self.moved
            .as_mut()
            .map(|(_, last)| std::mem::take(&mut last.functions))
            .unwrap_or_default()
    }

    /// Where in `previous` ([`Reuse::previous_functions`]) the result for the function
    /// declared at `span` is, moved to the new place, with what lowering it found, if it
    /// may be reused. Each previous function is taken at most once.
    pub fn take(&mut self, span: Span, previous: &mut [Function]) -> Option<(usize, Outcome)> {
        if self.broken_in(span) {
            return None;
        }
        let (map, last) = self.moved.as_mut()?;
        let i = *self.at.get(&(span.file, span.start, span.end))?;
        let function = previous.get_mut(i)?;
        let mut outcome = last.kept.get_mut(i)?.take()?.outcome;
        let moved = map.apply(function)
            && map.apply(&mut outcome.diags)
            && map.apply(&mut outcome.unresolved)
            && map.apply(&mut outcome.rules);
        self.taken += usize::from(moved);
        moved.then_some((i, outcome))
    }

    /// Hand back what [`Reuse::previous_functions`] gave, when the new list was not made
    /// from it: those this check did not take (edited or gone) are freed after the
    /// diagnostics, with the rest of the previous check.
    pub fn give_back(&mut self, functions: Vec<Function>) {
        if let Some((_, last)) = self.moved.as_mut() {
            last.functions = functions;
        }
    }

    /// The resources the previous check lowered from the declarations at `spans`, moved
    /// to their new places, with what lowering them found, if they may be reused.
    pub fn take_resources(
        &mut self,
        mut spans: impl Iterator<Item = Span>,
    ) -> Option<(Vec<Resource>, Outcome)> {
        if spans.any(|s| self.broken_in(s)) {
            return None;
        }
        let (map, last) = self.moved.as_mut()?;
        let (mut outcome, count) = last.declared.take()?;
        // Handed back with the functions (`moved` holds only a check whose were).
        if last.resources.len() < count {
            return None;
        }
        let mut resources = std::mem::take(&mut last.resources);
        resources.truncate(count);
        let moved = map.apply(&mut resources)
            && map.apply(&mut outcome.diags)
            && map.apply(&mut outcome.unresolved);
        self.taken_resources = if moved { resources.len() } else { 0 };
        moved.then_some((resources, outcome))
    }

    /// Keep what lowering the `count` declared resources found.
    pub fn keep_resources(&mut self, outcome: Outcome, count: usize) {
        if self.cache.is_some() {
            self.declared = Some((outcome, count));
        }
    }

    /// Keep what the function declared at `span` gave (in declaration order), unless it
    /// had an error before lowering.
    pub fn keep(&mut self, span: Span, outcome: Outcome) {
        if self.cache.is_none() {
            return;
        }
        let kept = (!self.broken_in(span)).then_some(Kept { span, outcome });
        self.kept.push(kept);
    }

    /// What the rules about one function found in the `i`th function, when it was taken
    /// from the previous check with them.
    pub fn rules(&self, i: usize) -> Option<&[Diagnostic]> {
        let kept = self.kept.get(i)?.as_ref()?;
        kept.outcome.rules.as_deref()
    }

    /// Keep what the rules about one function found in the `i`th function.
    pub fn keep_rules(&mut self, i: usize, found: &[Diagnostic]) {
        if let Some(Some(kept)) = self.kept.get_mut(i) {
            kept.outcome.rules = Some(found.to_vec());
        }
    }

    /// Store what was kept in the cache, for the next check.
    pub fn finish(self) {
        let Some(cache) = self.cache else {
            return;
        };
        cache.reused = self.taken;
        cache.reused_resources = self.taken_resources;
        // What was not taken (functions edited or gone) is freed after the diagnostics.
        cache.stale.extend(self.moved.map(|(_, last)| last));
        cache.last = Some(Last {
            files: SourceMap::default(),
            context: self.context,
            kept: self.kept,
            functions: Vec::new(),
            resources: Vec::new(),
            declared: self.declared,
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

/// The fingerprint of everything a function's lowering reads besides its own text (see
/// the module's documentation).
fn context(files: &[Loaded], scope: &Scope, sources: &SourceMap, opts: &CheckOptions) -> u64 {
    let mut h = foldhash::quality::FixedState::with_seed(0x1a3c).build_hasher();
    (opts.today, opts.account_concurrency).hash(&mut h);
    for loaded in files {
        let source = sources.get(loaded.file);
        (loaded.file.0, &source.name, &source.path).hash(&mut h);
        (loaded.std_use_failed, loaded.file_use_failed).hash(&mut h);
        for item in &loaded.ast.items {
            identity(item, &source.text).hash(&mut h);
        }
    }
    scope.fn_has_url.hash(&mut h);
    scope.implicit_api.hash(&mut h);
    scope.unreadable.hash(&mut h);
    h.finish()
}

/// What an item contributes to the context: a function its name, any other declaration
/// its whole text.
fn identity<'a>(item: &'a Item, text: &'a str) -> (bool, &'a str) {
    match item {
        Item::Function(f) => (true, &f.name.name),
        _ => {
            let span = item.span();
            (false, text.get(span.start..span.end).unwrap_or_default())
        }
    }
}
