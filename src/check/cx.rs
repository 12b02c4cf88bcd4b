//! The checking context shared by the lowering passes: the declarations, the diagnostics
//! found so far and which resources something refers to (for W0506).

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::model::ResRef;
use crate::source::SourceMap;

use super::lets::MAX_VALUE_BYTES;
use super::scope::Scope;

pub struct Cx<'a> {
    pub sources: &'a SourceMap,
    pub scope: &'a Scope<'a>,
    pub diags: Vec<Diagnostic>,
    /// Every declaration something refers to.
    pub used: BTreeSet<ResRef>,
    /// Bytes the values of the declaration being lowered may still take (E0435).
    pub budget: u64,
}

impl<'a> Cx<'a> {
    pub fn new(sources: &'a SourceMap, scope: &'a Scope<'a>) -> Self {
        Cx {
            sources,
            scope,
            diags: Vec::new(),
            used: BTreeSet::new(),
            budget: MAX_VALUE_BYTES,
        }
    }

    /// Start lowering a declaration whose values go into one template together: they get
    /// a template's worth of bytes.
    pub fn start_declaration(&mut self) {
        self.budget = MAX_VALUE_BYTES;
    }

    pub fn report(&mut self, d: Diagnostic) {
        self.diags.push(d);
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
