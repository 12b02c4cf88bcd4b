//! The checking context shared by the lowering passes: the declarations, the diagnostics
//! found so far and which resources and parameters something refers to (W0506, W0528).

use std::cell::RefCell;
use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::model::ResRef;
use crate::source::SourceMap;

use super::lets::MAX_VALUE_BYTES;
use super::scope::Scope;
use super::unresolved::Unresolved;

pub struct Cx<'a> {
    pub sources: &'a SourceMap,
    pub scope: &'a Scope<'a>,
    pub diags: Vec<Diagnostic>,
    /// Every declaration something refers to.
    pub used: BTreeSet<ResRef>,
    /// Every parameter something refers to.
    pub used_params: BTreeSet<String>,
    /// E0201 for each use of a name that does not resolve, with the name.
    pub unresolved: Vec<(Unresolved, Diagnostic)>,
    /// Bytes the values of the declaration being lowered may still take (E0435).
    pub budget: u64,
    /// Every name looked up as a `let` (a `let` looked up counts as used, which decides
    /// E0201's wording): a function reused from an earlier check looks them up again.
    pub looked_up: RefCell<BTreeSet<String>>,
}

impl<'a> Cx<'a> {
    pub fn new(sources: &'a SourceMap, scope: &'a Scope<'a>) -> Self {
        Cx {
            sources,
            scope,
            diags: Vec::new(),
            used: BTreeSet::new(),
            used_params: BTreeSet::new(),
            unresolved: Vec::new(),
            budget: MAX_VALUE_BYTES,
            looked_up: RefCell::default(),
        }
    }

    /// Start lowering a declaration whose values go into one template together: they get
    /// a template's worth of bytes.
    pub fn start_declaration(&mut self) {
        self.budget = MAX_VALUE_BYTES;
    }

    /// What the `let` called `name` stands for (recorded in [`Cx::looked_up`]).
    pub fn lookup_let(&self, name: &str) -> super::lets::Lookup<'a> {
        self.looked_up.borrow_mut().insert(name.to_string());
        self.scope.lets.lookup(name)
    }

    pub fn report(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// E0201 `d` for a use of `name`, which does not resolve (reported once per name by
    /// [`Cx::report_unresolved`]).
    pub fn unresolved(&mut self, name: Unresolved, d: Diagnostic) {
        self.unresolved.push((name, d));
    }

    /// Run `lower` and return, beside its result, the parameters it referred to; those
    /// are not counted as used here (the caller decides who inherits them).
    pub fn params_used_by<T>(
        &mut self,
        lower: impl FnOnce(&mut Self) -> T,
    ) -> (T, BTreeSet<String>) {
        let before = std::mem::take(&mut self.used_params);
        let out = lower(self);
        let used = std::mem::replace(&mut self.used_params, before);
        (out, used)
    }
}

/// "a queue", "a queue or a topic", "an api".
pub fn article(word: &str) -> String {
    let vowel = word.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {word}", if vowel { "an" } else { "a" })
}

/// Join words as "a, b or c".
pub fn or_list(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
