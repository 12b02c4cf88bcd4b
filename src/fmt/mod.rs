//! `lamc fmt`: one canonical layout for `.lam` files.
//!
//! The formatter works on the syntax tree plus the source text: literals are copied byte
//! for byte, comments are kept where they were (at the end of their line, or on their own
//! line before what follows them), and everything else is laid out afresh:
//!
//! - two spaces of indentation per level; function, template and `defaults` bodies and the
//!   `app` block always take one member per line;
//! - any other block or map stays on one line, `{ a = 1, b = 2 }`, when it has at most
//!   [`print::INLINE_MAX_ENTRIES`] entries, at most one level of nested braces, no comment
//!   inside, and fits in [`doc::WIDTH`] columns; otherwise one entry per line, no commas;
//! - lists and call arguments stay on one line when they fit, else one item per line with
//!   a trailing comma;
//! - the `=` of consecutive one-line `key = value` entries line up (a blank line or
//!   another kind of member starts a new run);
//! - blank lines between members are kept (at most one); a declaration that spans several
//!   lines has a blank line before and after it;
//! - trailing comments on consecutive lines line up one space after the longest code.
//!
//! Input with syntax errors is refused with its diagnostics. As a last guard the result
//! is parsed again and must have the same tree (spans aside) and the same comments;
//! otherwise the input is refused rather than changed.

pub mod doc;
pub mod equiv;
mod print;

use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::{self, ast};

pub use print::{INLINE_MAX_DEPTH, INLINE_MAX_ENTRIES};

/// Format a whole file. `Err` holds the syntax errors (the text is then left as it is).
pub fn format_source(text: &str) -> Result<String, Vec<Diagnostic>> {
    format_file(FileId(0), text)
}

/// [`format_source`] for a file that has an id in a `SourceMap`, so that the
/// diagnostics point into it.
pub fn format_file(file: FileId, text: &str) -> Result<String, Vec<Diagnostic>> {
    let (tree, diags) = syntax::parse(file, text);
    let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let out = layout(text, &tree);
    verify(file, text, &tree, &out)?;
    Ok(out)
}

/// A replacement of the bytes `start..end` of the old text by `new_text`: the smallest
/// edit that turns the old text into the formatted one (for editors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub new_text: String,
}

/// Format `text` and return the edit that applies it, or `None` when it is formatted.
pub fn format_edit(text: &str) -> Result<Option<Edit>, Vec<Diagnostic>> {
    let formatted = format_source(text)?;
    Ok(minimal_edit(text, &formatted))
}

/// The smallest single edit from `old` to `new` (common prefix and suffix left out, cut
/// on character boundaries).
pub fn minimal_edit(old: &str, new: &str) -> Option<Edit> {
    if old == new {
        return None;
    }
    let (prefix, suffix) = crate::source::common_ends(old, new);
    Some(Edit {
        start: prefix,
        end: old.len() - suffix,
        new_text: new[prefix..new.len() - suffix].to_string(),
    })
}

/// One declaration, laid out, with what comes before it.
struct Laid {
    leading: Vec<(doc::Doc, bool)>,
    blank_before: bool,
    lines: Vec<doc::OutLine>,
}

/// The declarations in order, each after its own-line comments, with blank lines where
/// the source had them and around every declaration that spans several lines.
fn layout(text: &str, tree: &ast::File) -> String {
    let mut p = print::Printer::new(text, &tree.comments);
    let mut laid = Vec::with_capacity(tree.items.len());
    for (i, item) in tree.items.iter().enumerate() {
        let (leading, blank_before) = p.leading_top(item.span().start);
        let limit = tree
            .items
            .get(i + 1)
            .map_or(text.len().saturating_add(1), |n| n.span().start);
        let lines = doc::render(&p.item(item, limit));
        laid.push(Laid {
            leading,
            blank_before,
            lines,
        });
    }
    align_columns(text, &tree.items, &mut laid);

    let mut lines: Vec<doc::OutLine> = Vec::new();
    let mut prev_multi = false;
    for l in laid {
        let multi = l.lines.len() > 1;
        let mut first = true;
        for (c, blank) in l.leading {
            push_blank(
                &mut lines,
                if first {
                    blank || prev_multi || multi
                } else {
                    blank
                },
            );
            lines.extend(doc::render(&c));
            first = false;
        }
        let sep = if first {
            l.blank_before || prev_multi || multi
        } else {
            l.blank_before
        };
        push_blank(&mut lines, sep);
        lines.extend(l.lines);
        prev_multi = multi;
    }
    for (c, blank) in p.rest() {
        push_blank(&mut lines, blank);
        lines.extend(doc::render(&c));
    }
    doc::finish(lines)
}

/// Which declarations line up with their neighbours, and on what.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    /// `let NAME = …` and `output NAME = …`: the `=` (after `prefix NAME`).
    Assign(&'static str),
    /// `KIND NAME { … }` and `KIND NAME from "…"`: the names, and the `from`.
    Resource,
}

/// Line up consecutive one-line declarations of one family (no blank line or comment
/// between them), as the `=` of a block's attributes are:
///
/// ```text
/// let prefix  = "catalog"          queue  jobs    from "arn:…"
/// let retries = 2                  bucket archive from "arn:…"
/// ```
fn align_columns(text: &str, items: &[ast::Item], laid: &mut [Laid]) {
    let mut i = 0;
    while i < items.len() {
        let Some(fam) = family(&items[i]).filter(|_| laid[i].lines.len() == 1) else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < items.len()
            && family(&items[j]) == Some(fam)
            && laid[j].lines.len() == 1
            && laid[j].leading.is_empty()
            && !laid[j].blank_before
        {
            j += 1;
        }
        let run: Vec<Columns> = items[i..j].iter().map(|item| columns(text, item)).collect();
        pad_run(fam, &run, &mut laid[i..j]);
        i = j;
    }
}

/// The family a declaration lines up with, if any.
fn family(item: &ast::Item) -> Option<Family> {
    match item {
        ast::Item::Let(_) => Some(Family::Assign("let ")),
        ast::Item::Output(_) => Some(Family::Assign("output ")),
        ast::Item::Resource(_) | ast::Item::Existing(_) => Some(Family::Resource),
        _ => None,
    }
}

/// A declaration's kind word and name as written, and whether `from` (or `=`) follows
/// the name.
type Columns<'t> = (&'t str, &'t str, bool);

fn columns<'t>(text: &'t str, item: &ast::Item) -> Columns<'t> {
    let name_of = |i: &ast::Ident| text.get(i.span.start..i.span.end).unwrap_or("");
    match item {
        ast::Item::Let(l) => ("let", name_of(&l.name), true),
        ast::Item::Output(o) => ("output", name_of(&o.name), true),
        ast::Item::Resource(r) => (name_of(&r.kind), name_of(&r.name), false),
        ast::Item::Existing(e) => (name_of(&e.kind), name_of(&e.name), true),
        _ => ("", "", false),
    }
}

/// Pads the one line of each declaration of a run: the kind to the widest kind (for
/// resources), the name to the widest name that something follows.
fn pad_run(fam: Family, run: &[Columns], laid: &mut [Laid]) {
    let widest_kind = run.iter().map(|c| c.0.chars().count()).max();
    let widest_name = run
        .iter()
        .filter(|c| c.2)
        .map(|c| c.1.chars().count())
        .max();
    for (&(kind, name, padded_name), laid) in run.iter().zip(laid) {
        let Some(line) = laid.lines.first_mut() else {
            continue;
        };
        let head = format!("{kind} {name}");
        if !line.code.starts_with(&head) {
            continue;
        }
        let kind_pad = match fam {
            Family::Resource => widest_kind.unwrap_or(0) - kind.chars().count(),
            Family::Assign(_) => 0,
        };
        let name_pad = if padded_name {
            widest_name.unwrap_or(0) - name.chars().count()
        } else {
            0
        };
        let rest = line.code[head.len()..].to_string();
        line.code = format!(
            "{kind}{} {name}{}{rest}",
            " ".repeat(kind_pad),
            " ".repeat(name_pad)
        );
    }
}

fn push_blank(lines: &mut Vec<doc::OutLine>, wanted: bool) {
    if wanted && lines.last().is_some_and(|l| !l.code.is_empty()) {
        lines.push(doc::OutLine::default());
    }
}

/// The formatted text must read back as the same program with the same comments.
fn verify(file: FileId, text: &str, before: &ast::File, out: &str) -> Result<(), Vec<Diagnostic>> {
    let (after, diags) = syntax::parse(file, out);
    let reparsed = !diags.iter().any(Diagnostic::is_error);
    let same = reparsed
        && equiv::same_tree(before, &after)
        && equiv::comment_texts(text, &before.comments)
            == equiv::comment_texts(out, &after.comments);
    if same {
        return Ok(());
    }
    Err(vec![Diagnostic::new(
        Code::E0001,
        Span::new(file, 0, 0),
        "the formatter could not lay this file out without changing it",
    )
    .label("file left unchanged")
    .help(
        "this is a bug in lamc's formatter; please report it with this file",
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        match format_source(s) {
            Ok(t) => t,
            Err(d) => panic!("refused: {d:?}"),
        }
    }

    #[test]
    fn minimal_edit_keeps_common_ends() {
        let e = minimal_edit("a = 1\nb=2\n", "a = 1\nb = 2\n");
        assert_eq!(
            e,
            Some(Edit {
                start: 7,
                end: 8,
                new_text: " = ".into()
            })
        );
        assert_eq!(minimal_edit("x", "x"), None);
        let e = minimal_edit("é", "è").expect("differs");
        assert_eq!((e.start, e.end, e.new_text.as_str()), (0, 2, "è"));
    }

    #[test]
    fn syntax_errors_are_refused() {
        let err = format_source("function f {\n  memory = \n").expect_err("broken");
        assert!(err.iter().all(Diagnostic::is_error));
        assert!(!err.is_empty());
    }

    #[test]
    fn empty_input_stays_empty() {
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("\n\n"), "");
    }

    #[test]
    fn aligns_and_inlines() {
        let src = "defaults {\nruntime=python3.12\n  memory=512MB\n\n  timeout = 30s }\nqueue q {\n  retention = 14d\n}\n";
        assert_eq!(
            fmt(src),
            "defaults {\n  runtime = python3.12\n  memory  = 512MB\n\n  timeout = 30s\n}\n\nqueue q { retention = 14d }\n"
        );
    }
}
