//! What the importer's tests share: a program imported from a document's text, and the
//! lines it must hold.

use chrono::NaiveDate;

use super::intrinsics::{Scope, Target};
use super::write::{formatted, Notes};
use crate::model::Kind;

/// The program written from `text` (a serverless.yml when it names a `service`, else a
/// SAM template of an app named `app`), and what was kept as a comment; dated 2026-11-26.
pub fn program(text: &str) -> (String, Vec<String>) {
    let doc = super::load::document(text).expect("YAML");
    let mut notes = Notes::default();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let top = doc.as_object().expect("map");
    let members = if top.contains_key("service") {
        super::serverless::import(top, today, &mut notes)
    } else {
        super::sam::import(top, "app", today, &mut notes)
    };
    (formatted(&members).expect("formats"), notes.skipped)
}

/// Each of `wants` is in `text`.
pub fn holds(text: &str, wants: &[&str]) {
    for want in wants {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
}

/// A scope that declares each `(logical id, kind, lamc name)`.
pub fn declared(decls: &[(&str, Kind, &str)]) -> Scope {
    let mut scope = Scope::default();
    for (id, kind, name) in decls {
        scope
            .decls
            .insert(id.to_string(), Target::new(*kind, *name));
    }
    scope
}
