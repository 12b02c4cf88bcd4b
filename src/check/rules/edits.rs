//! Fixes that add to the source rather than replace a value: an attribute added to a
//! declaration's block (`api admin { auth = none }` → `api admin { auth = none, public =
//! true }`), or a new declaration written above another one.
//!
//! Each works on the file's text and gives the span to replace and its replacement, or
//! nothing when the source does not have the expected shape (then no fix is offered).

use crate::source::{has_line_end, line_starts, Span};

use super::RuleContext;

/// `entry` added as the last attribute of the block that ends the declaration `decl`.
pub(crate) fn add_entry(ctx: &RuleContext, decl: Span, entry: &str) -> Option<(Span, String)> {
    let file = ctx.sources.files().get(decl.file.0 as usize)?;
    let text = file.text.get(decl.start..decl.end)?;
    let (start, end, replacement) = entry_edit(text, entry)?;
    Some((
        Span::new(decl.file, decl.start + start, decl.start + end),
        replacement,
    ))
}

/// `decl` written as a declaration of its own above the declaration that starts at
/// `before` (and above the comment lines directly over it, which belong to it).
pub(crate) fn declare_above(ctx: &RuleContext, before: Span, decl: &str) -> Option<(Span, String)> {
    let file = ctx.sources.files().get(before.file.0 as usize)?;
    let at = insertion_line(&file.text, before.start)?;
    let newline = if file.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    Some((
        Span::new(before.file, at, at),
        format!("{decl}{newline}{newline}"),
    ))
}

/// In a declaration's text ending with `}`, where to add `entry` and what to write: on a
/// line of its own when the `}` is on its own line, else after the last attribute.
fn entry_edit(text: &str, entry: &str) -> Option<(usize, usize, String)> {
    let close = text.len().checked_sub(1).filter(|_| text.ends_with('}'))?;
    let inside = &text[..close];
    let kept = inside.trim_end();
    let gap = &inside[kept.len()..];
    if has_line_end(gap) {
        // The `}` starts its line: the new attribute goes on the line before, indented one
        // level deeper than the `}`.
        let line = kept.len() + gap.rfind(['\n', '\r'])? + 1;
        let indent = &text[line..close];
        let newline = if gap.contains("\r\n") { "\r\n" } else { "\n" };
        return Some((line, line, format!("{indent}  {entry}{newline}")));
    }
    let separator = if kept.ends_with(['{', ',']) { "" } else { "," };
    Some((kept.len(), close, format!("{separator} {entry} ")))
}

/// The start of the line holding `offset`, moved up over the comment lines right above.
fn insertion_line(text: &str, offset: usize) -> Option<usize> {
    let starts = line_starts(text);
    let mut line = starts.partition_point(|&s| s <= offset).checked_sub(1)?;
    while line > 0 {
        let above = text.get(starts[line - 1]..starts[line])?;
        if !above.trim_start().starts_with('#') {
            break;
        }
        line -= 1;
    }
    starts.get(line).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, entry: &str) -> String {
        let (start, end, with) = entry_edit(text, entry).expect("an edit");
        format!("{}{with}{}", &text[..start], &text[end..])
    }

    #[test]
    fn an_entry_joins_a_block_on_one_line() {
        assert_eq!(
            apply("api a {}", "public = true"),
            "api a { public = true }"
        );
        assert_eq!(
            apply("api a { }", "public = true"),
            "api a { public = true }"
        );
        assert_eq!(
            apply("api a { auth = none }", "public = true"),
            "api a { auth = none, public = true }"
        );
        assert_eq!(
            apply("api a { auth = none, }", "public = true"),
            "api a { auth = none, public = true }"
        );
    }

    #[test]
    fn an_entry_gets_its_own_line_in_a_block_on_several() {
        assert_eq!(
            apply("api a {\n  auth = none # why\n}", "public = true"),
            "api a {\n  auth = none # why\n  public = true\n}"
        );
        assert_eq!(
            apply("api a {\r\n  auth = none\r\n}", "auth = iam"),
            "api a {\r\n  auth = none\r\n  auth = iam\r\n}"
        );
        // The `}` after the last attribute: joined to that line.
        assert_eq!(
            apply("api a {\n  auth = none }", "public = true"),
            "api a {\n  auth = none, public = true }"
        );
    }

    #[test]
    fn no_entry_without_a_block() {
        assert_eq!(entry_edit("api a from \"arn:…\"", "public = true"), None);
        assert_eq!(entry_edit("", "public = true"), None);
    }

    #[test]
    fn a_declaration_goes_above_the_comments_of_the_next_one() {
        let text = "# header\n\n# the site\n# (public)\nfunction web {}\n";
        let at = text.find("function").unwrap_or_default();
        assert_eq!(insertion_line(text, at), text.find("# the site"));
        assert_eq!(insertion_line("function web {}", 0), Some(0));
        assert_eq!(insertion_line("x\r\nfunction f {}", 3), Some(3));
    }
}
