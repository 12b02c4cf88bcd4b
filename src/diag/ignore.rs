//! `# lamc: ignore CODE, …`: a warning is silenced on the line it points at, by a comment
//! at the end of that line or alone on the line above it.
//!
//! Only warnings can be silenced. A comment that names an error (W0543), that cannot be
//! read (W0544) or that silences nothing (W0542) warns in turn; those three cannot be
//! silenced themselves (they are reported after the filter has run).

use std::collections::BTreeSet;

use super::{did_you_mean, Code, Diagnostic, Severity, ALL_CODES};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::syntax::ignore::{directives, Directive, DIRECTIVE_PREFIX, IGNORE};

/// One code named by an ignore comment, and whether it silenced anything.
struct Silencer {
    file: FileId,
    line: usize,
    code: Code,
    /// The code as written.
    item: Span,
    directive: usize,
    used: bool,
}

/// Drop the warnings that an ignore comment of their file silences, and add the
/// diagnostics about the comments themselves. `comments` are each file's comment spans
/// (as the syntax tree keeps them). The result is not sorted.
pub fn apply(sources: &SourceMap, comments: &[(FileId, &[Span])], diags: &mut Vec<Diagnostic>) {
    let mut read = Vec::new();
    let mut silencers = Vec::new();
    let mut about_comments = Vec::new();
    for &(id, spans) in comments {
        let file = sources.get(id);
        for d in directives(file, spans) {
            let index = read.len();
            about_comments.extend(resolve(file, &d, index, &mut silencers));
            read.push(d);
        }
    }
    if silencers.is_empty() && about_comments.is_empty() {
        return;
    }
    diags.retain(|d| !silenced(sources, d, &mut silencers));
    let has_errors = diags.iter().any(Diagnostic::is_error);
    // While the program has errors, some warnings are not looked for at all (W0506,
    // W0528, the rules on broken declarations): an ignore that finds nothing to silence
    // may only be waiting for them.
    if !has_errors {
        for s in silencers.iter().filter(|s| !s.used) {
            let file = sources.get(s.file);
            diags.push(unused(file, &read[s.directive], s));
        }
    }
    diags.append(&mut about_comments);
}

/// Whether `d` is a warning an ignore comment silences (marking the comment's code used).
fn silenced(sources: &SourceMap, d: &Diagnostic, silencers: &mut [Silencer]) -> bool {
    if d.severity != Severity::Warning {
        return false;
    }
    let span = d.primary.span;
    if sources.files().get(span.file.0 as usize).is_none() {
        return false;
    }
    let line = sources.get(span.file).line_index(span.start);
    let mut hit = false;
    for s in silencers
        .iter_mut()
        .filter(|s| s.file == span.file && s.line == line && s.code == d.code)
    {
        s.used = true;
        hit = true;
    }
    hit
}

/// The codes a directive silences (pushed to `silencers`), and what is wrong with it.
fn resolve(
    file: &SourceFile,
    d: &Directive,
    index: usize,
    silencers: &mut Vec<Silencer>,
) -> Vec<Diagnostic> {
    if !d.is_ignore(file) {
        return vec![unknown_directive(file, d)];
    }
    if d.items.is_empty() {
        return vec![no_codes(d)];
    }
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for &item in &d.items {
        let written = file.slice(item);
        match Code::parse(written) {
            Some(code) if code.severity() == Severity::Error => {
                out.push(names_an_error(file, d, item, code));
            }
            Some(code) if seen.insert(code) => silencers.push(Silencer {
                file: item.file,
                line: d.line,
                code,
                item,
                directive: index,
                used: false,
            }),
            // The same code twice in one comment: the second silences nothing more.
            Some(code) => out.push(repeated(file, d, item, code)),
            None => out.push(not_a_code(file, d, item)),
        }
    }
    out
}

fn unused(file: &SourceFile, d: &Directive, s: &Silencer) -> Diagnostic {
    let where_ = if d.own_line {
        "on the next line"
    } else {
        "on this line"
    };
    Diagnostic::new(
        Code::W0542,
        s.item,
        format!(
            "no {} is reported {where_}: this ignore silences nothing",
            s.code
        ),
    )
    .label(format!("nothing to silence {where_}"))
    .help(format!(
        "delete `{}` from the comment, or move the comment to the line the warning points \
         at (at its end, or alone on the line above it)",
        s.code
    ))
    .fix(
        format!("remove {}", s.code),
        removal_span(file, d, s.item),
        without(file, d, s.item),
    )
}

fn names_an_error(file: &SourceFile, d: &Directive, item: Span, code: Code) -> Diagnostic {
    Diagnostic::new(
        Code::W0543,
        item,
        format!("{code} is an error, and errors cannot be ignored"),
    )
    .label("an error")
    .help(format!(
        "fix what {code} reports (`lamc explain {code}`) and delete `{code}` from the \
         comment: only warnings (W…) can be ignored"
    ))
    .fix(
        format!("remove {code}"),
        removal_span(file, d, item),
        without(file, d, item),
    )
}

fn repeated(file: &SourceFile, d: &Directive, item: Span, code: Code) -> Diagnostic {
    Diagnostic::new(
        Code::W0544,
        item,
        format!("{code} is named twice in one ignore comment"),
    )
    .label("named again here")
    .help(format!("name {code} once"))
    .fix(
        format!("remove the second {code}"),
        removal_span(file, d, item),
        without(file, d, item),
    )
}

fn not_a_code(file: &SourceFile, d: &Directive, item: Span) -> Diagnostic {
    let written = file.slice(item);
    if written.is_empty() {
        return Diagnostic::new(Code::W0544, item, "empty item in an ignore comment")
            .label("nothing between the commas")
            .help("remove the extra comma")
            .fix(
                "remove the extra comma",
                removal_span(file, d, item),
                without(file, d, item),
            );
    }
    let message = format!("`{}` is not a diagnostic code", written);
    let d = Diagnostic::new(Code::W0544, item, message).label("not a code");
    if written.contains(char::is_whitespace) {
        return d.help(
            "separate codes with commas, and write a note after a second `#`: \
             `# lamc: ignore W0502, W0506 # why`",
        );
    }
    let names = ALL_CODES.iter().map(|c| c.as_str());
    if let Some(near) = did_you_mean(&normalised(written), names) {
        return d
            .help(format!("did you mean `{near}`?"))
            .fix(format!("use {near}"), item, near);
    }
    d.help("write a warning's code, e.g. `# lamc: ignore W0506` (`lamc explain --list` lists them)")
}

/// `w506` → `W0506`, so that a code with a digit left out is still suggested.
fn normalised(written: &str) -> String {
    let upper = written.to_uppercase();
    match upper.split_at_checked(1) {
        Some((letter, digits))
            if digits.len() < 4 && digits.bytes().all(|b| b.is_ascii_digit()) =>
        {
            format!("{letter}{digits:0>4}")
        }
        _ => upper,
    }
}

fn unknown_directive(file: &SourceFile, d: &Directive) -> Diagnostic {
    let written = file.slice(d.verb);
    let (message, label) = if written.is_empty() {
        (
            "`# lamc:` comment without a directive".to_string(),
            "no directive here",
        )
    } else {
        (
            format!("unknown directive `{}` in a `# lamc:` comment", written),
            "not a directive",
        )
    };
    let diag = Diagnostic::new(Code::W0544, d.verb, message)
        .label(label)
        .help(format!(
            "the one directive is `ignore`: `# lamc: ignore W0506` silences W0506 on this \
             line (a comment alone on its line: on the next line); a comment that is not \
             a directive must not start with `{DIRECTIVE_PREFIX}`"
        ));
    if !written.is_empty() && did_you_mean(written, [IGNORE]).is_some() {
        return diag.fix("use `ignore`", d.verb, IGNORE);
    }
    diag
}

fn no_codes(d: &Directive) -> Diagnostic {
    Diagnostic::new(Code::W0544, d.verb, "`# lamc: ignore` names no code")
        .label("silences nothing")
        .help("name the warnings it silences, comma-separated: `# lamc: ignore W0502, W0506`")
}

/// What is replaced to take `item` out of the directive: the whole comment, or when the
/// comment would be left naming nothing, the comment with the spaces before it (alone
/// on its line: the whole line).
fn removal_span(file: &SourceFile, d: &Directive, item: Span) -> Span {
    if d.items.len() > 1 || d.note.is_some() {
        return d.comment;
    }
    let line = file.line_index(d.comment.start);
    let Some((line_start, line_end)) = file.line_bounds(line) else {
        return d.comment;
    };
    if d.own_line {
        let next = file.line_bounds(line + 1).map_or(line_end, |(s, _)| s);
        return Span::new(item.file, line_start, next);
    }
    let before = file.text[line_start..d.comment.start].trim_end().len();
    Span::new(item.file, line_start + before, d.comment.end)
}

/// The replacement for [`removal_span`]: the comment without `item`.
fn without(file: &SourceFile, d: &Directive, item: Span) -> String {
    if d.items.len() <= 1 && d.note.is_none() {
        return String::new();
    }
    let rest: Vec<&str> = d
        .items
        .iter()
        .filter(|&&s| s != item && !file.slice(s).is_empty())
        .map(|&s| file.slice(s))
        .collect();
    let mut out = format!("# {DIRECTIVE_PREFIX} {IGNORE}");
    if !rest.is_empty() {
        out.push(' ');
        out.push_str(&rest.join(", "));
    }
    if let Some(note) = d.note {
        out.push(' ');
        out.push_str(file.slice(note));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, diags: Vec<(Code, usize)>) -> Vec<(Code, usize)> {
        let mut sources = SourceMap::new();
        let id = sources.add("t.lam", None, text.to_string());
        let comments = crate::syntax::parse(id, text).0.comments;
        let file = sources.get(id);
        let mut diags: Vec<Diagnostic> = diags
            .into_iter()
            .map(|(code, line)| {
                let at = file.line_bounds(line - 1).expect("line").0;
                Diagnostic::new(code, Span::new(id, at, at + 1), "x")
            })
            .collect();
        apply(&sources, &[(id, &comments)], &mut diags);
        let file = sources.get(id);
        let mut out: Vec<(Code, usize)> = diags
            .iter()
            .map(|d| (d.code, file.line_col(d.primary.span.start).line))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn silences_the_named_warning_where_the_comment_points_and_nothing_else() {
        let text = "queue a {} # lamc: ignore W0506\n# lamc: ignore W0502, W0506\nqueue b {}\nqueue c {}\n";
        let got = run(
            text,
            vec![
                (Code::W0506, 1),
                (Code::W0506, 3),
                (Code::W0502, 3),
                (Code::W0506, 4),
            ],
        );
        assert_eq!(got, [(Code::W0506, 4)]);
    }

    #[test]
    fn errors_are_not_silenced_and_naming_one_warns() {
        let got = run("queue a {} # lamc: ignore E0401\n", vec![(Code::E0401, 1)]);
        assert_eq!(got, [(Code::E0401, 1), (Code::W0543, 1)]);
    }

    #[test]
    fn an_ignore_that_silences_nothing_warns_unless_the_program_has_errors() {
        let text = "queue a {}\n# lamc: ignore W0506\n\nqueue b {}\n";
        assert_eq!(
            run(text, vec![(Code::W0506, 4)]),
            [(Code::W0506, 4), (Code::W0542, 2)]
        );
        assert_eq!(run(text, vec![(Code::E0001, 1)]), [(Code::E0001, 1)]);
    }

    #[test]
    fn unreadable_comments_warn_and_silence_nothing() {
        let text =
            "queue a {} # lamc: ignroe W0506\nqueue b {} # lamc: ignore W506, W0506, W0506,\n";
        let got = run(text, vec![(Code::W0506, 1), (Code::W0506, 2)]);
        assert_eq!(
            got,
            [
                (Code::W0506, 1),
                (Code::W0544, 1),
                (Code::W0544, 2),
                (Code::W0544, 2),
                (Code::W0544, 2)
            ]
        );
    }

    #[test]
    fn the_fix_removes_a_code_or_the_whole_comment() {
        let text =
            "queue a {}   # lamc: ignore W0506\n  # lamc: ignore W0502, W0506 # why\nqueue b {}\n";
        let mut sources = SourceMap::new();
        let id = sources.add("t.lam", None, text.to_string());
        let comments = crate::syntax::parse(id, text).0.comments;
        let mut diags = Vec::new();
        apply(&sources, &[(id, &comments)], &mut diags);
        let edited: Vec<String> = diags
            .iter()
            .map(|d| {
                let f = &d.fixes[0];
                format!(
                    "{}{}{}",
                    &text[..f.span.start],
                    f.replacement,
                    &text[f.span.end..]
                )
            })
            .collect();
        assert_eq!(
            edited,
            [
                "queue a {}\n  # lamc: ignore W0502, W0506 # why\nqueue b {}\n",
                "queue a {}   # lamc: ignore W0506\n  # lamc: ignore W0506 # why\nqueue b {}\n",
                "queue a {}   # lamc: ignore W0506\n  # lamc: ignore W0502 # why\nqueue b {}\n",
            ]
        );
    }
}
