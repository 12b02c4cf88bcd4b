//! What the program declares where it could not be read: declarations that did not parse,
//! and whatever a `use` that could not be loaded was meant to bring in. Their errors are
//! already reported, so what depends on them is left unchecked rather than reported again
//! (one mistake, one diagnostic): a reference to them is not "unresolved", a template
//! they may provide is not "unknown", and a function that may inherit from them is not
//! "missing" an attribute. (Nothing is reported as never used while the program has
//! errors.)

use std::collections::BTreeSet;

use crate::source::FileId;

use super::load::Loaded;

#[derive(Default, Hash)]
pub struct Unreadable {
    /// `(keyword, name)` of each declaration that did not parse (`("queue", "jobs")`).
    names: BTreeSet<(String, String)>,
    /// Names of declarations whose kind is unknown (`lambda resize {`, `orders { … }`).
    of_any_kind: BTreeSet<String>,
    /// Keywords of declarations that did not parse before their name (`queue {`).
    nameless: BTreeSet<String>,
    /// Files whose `defaults` did not parse.
    defaults: BTreeSet<FileId>,
    /// Some `use std.…` failed: any template may have come from it.
    std_use_failed: bool,
    /// Some `use "…"` failed or did not parse: any declaration may have come from it.
    file_use_failed: bool,
}

impl Unreadable {
    pub fn collect(files: &[Loaded]) -> Self {
        let mut out = Unreadable::default();
        for loaded in files {
            out.std_use_failed |= loaded.std_use_failed;
            out.file_use_failed |= loaded.file_use_failed;
            for u in &loaded.ast.unreadable {
                match (u.keyword.as_str(), &u.name) {
                    ("use", _) => out.file_use_failed = true,
                    ("defaults", _) => {
                        out.defaults.insert(loaded.file);
                    }
                    ("*", Some(name)) => {
                        out.of_any_kind.insert(name.name.clone());
                    }
                    (keyword, Some(name)) => {
                        out.names.insert((keyword.to_string(), name.name.clone()));
                    }
                    (keyword, None) => {
                        out.nameless.insert(keyword.to_string());
                    }
                }
            }
        }
        out
    }

    /// Whether `keyword NAME` (`queue jobs`, `param stage`, `function f`, `let x`) may
    /// have been declared where the program could not be read.
    pub fn may_declare(&self, keyword: &str, name: &str) -> bool {
        self.file_use_failed
            || self.of_any_kind.contains(name)
            || self.nameless.contains(keyword)
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
            .chain(self.of_any_kind.iter().map(String::as_str))
    }
}
