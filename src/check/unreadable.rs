//! What the program declares where it could not be read: declarations that did not parse,
//! and whatever a `use` that could not be loaded was meant to bring in. Their errors are
//! already reported, so what depends on them is left unchecked rather than reported again
//! (one mistake, one diagnostic): a reference to them is not "unresolved", a template
//! they may provide is not "unknown", a function that may inherit from them is not
//! "missing" an attribute, and what they mention is not "never used".

use std::collections::BTreeSet;

use crate::source::{FileId, SourceMap, Span};

use super::load::Loaded;

#[derive(Default)]
pub struct Unreadable {
    /// `(keyword, name)` of each declaration that did not parse (`("queue", "jobs")`).
    names: BTreeSet<(String, String)>,
    /// Files whose `defaults` did not parse.
    defaults: BTreeSet<FileId>,
    /// Some `use std.…` failed: any template may have come from it.
    std_use_failed: bool,
    /// Some `use "…"` failed or did not parse: any declaration may have come from it.
    file_use_failed: bool,
    /// Where the declarations that did not parse are.
    spans: Vec<Span>,
}

impl Unreadable {
    pub fn collect(files: &[Loaded]) -> Self {
        let mut out = Unreadable::default();
        for loaded in files {
            out.std_use_failed |= loaded.std_use_failed;
            out.file_use_failed |= loaded.file_use_failed;
            for u in &loaded.ast.unreadable {
                out.spans.push(u.span);
                match (u.keyword.as_str(), &u.name) {
                    ("use", _) => out.file_use_failed = true,
                    ("defaults", _) => {
                        out.defaults.insert(loaded.file);
                    }
                    (keyword, Some(name)) => {
                        out.names.insert((keyword.to_string(), name.name.clone()));
                    }
                    (_, None) => {}
                }
            }
        }
        out
    }

    /// Whether `keyword NAME` (`queue jobs`, `param stage`, `function f`, `let x`) may
    /// have been declared where the program could not be read.
    pub fn may_declare(&self, keyword: &str, name: &str) -> bool {
        self.file_use_failed
            || self
                .names
                .contains(&(keyword.to_string(), name.to_string()))
    }

    /// Whether template `name` may have been declared where the program could not be read
    /// (a standard module that failed to load only brings templates).
    pub fn may_declare_template(&self, name: &str) -> bool {
        self.std_use_failed || self.may_declare("template", name)
    }

    /// Whether the `defaults` of `file` did not parse.
    pub fn defaults_of(&self, file: FileId) -> bool {
        self.defaults.contains(&file)
    }

    /// The names of the `let`s that did not parse.
    pub fn lets(&self) -> impl Iterator<Item = &str> {
        self.names
            .iter()
            .filter(|(k, _)| k == "let")
            .map(|(_, n)| n.as_str())
    }

    /// What the declarations that could not be read may use.
    pub fn maybe_used(&self, sources: &SourceMap) -> MaybeUsed {
        if self.file_use_failed {
            MaybeUsed::Anything
        } else {
            MaybeUsed::These(self.mentions(sources))
        }
    }

    /// Every `WORD.NAME` written inside the declarations that did not parse
    /// (`queue.jobs`, `param.stage`).
    fn mentions(&self, sources: &SourceMap) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        let is_path_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
        for span in &self.spans {
            let text = &sources.get(span.file).text;
            let Some(part) = text.get(span.start..span.end) else {
                continue;
            };
            for path in part.split(|c: char| !is_path_char(c)) {
                let mut words = path.split('.');
                if let (Some(first), Some(second)) = (words.next(), words.next()) {
                    if !first.is_empty() && !second.is_empty() {
                        out.insert((first.to_string(), second.to_string()));
                    }
                }
            }
        }
        out
    }
}

/// The declarations that what could not be read may use: they are not "never used".
pub enum MaybeUsed {
    /// A file that could not be loaded may use anything.
    Anything,
    /// `(KIND, NAME)` (or `("param", NAME)`) mentioned in declarations that did not parse.
    These(BTreeSet<(String, String)>),
}

impl MaybeUsed {
    pub fn contains(&self, kind: &str, name: &str) -> bool {
        match self {
            MaybeUsed::Anything => true,
            MaybeUsed::These(set) => set.contains(&(kind.to_string(), name.to_string())),
        }
    }
}
