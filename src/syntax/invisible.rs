//! W0510: invisible and bidirectional control characters inside strings and comments.
//!
//! Outside strings and comments such a character is a syntax error. Inside them it is
//! accepted by the grammar, and it is how "trojan source" hides code: a right-to-left
//! override in a comment makes an editor show the line in another order than lamc reads
//! it; a zero-width space makes two different names look the same.

use super::scan::Scan;
use crate::diag::escape::{invisible_name, is_bidi_control, is_suspicious_joiner, is_zero_width};
use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// At most this many characters of one string or comment are labelled.
const MAX_LABELS: usize = 8;

/// One W0510 per string or comment that holds such characters, in text order.
pub fn check(file: FileId, text: &str, scanned: &Scan) -> Vec<Diagnostic> {
    let mut places: Vec<(usize, usize, &str)> = scanned
        .strings
        .iter()
        .map(|&(s, e)| (s, e, "string"))
        .chain(scanned.comments.iter().map(|&(s, e)| (s, e, "comment")))
        .collect();
    places.sort_unstable();
    let mut out = Vec::new();
    let mut checked_to = 0;
    for (start, end, what) in places {
        // A string inside another string's `${…}` is checked with the outer one (each
        // byte is looked at once, however deeply strings nest).
        if start < checked_to {
            continue;
        }
        checked_to = end;
        if text.get(start..end).is_none_or(str::is_ascii) {
            continue;
        }
        let found = flagged(text, start, end);
        if let Some(d) = diagnostic(file, what, &found) {
            out.push(d);
        }
    }
    out
}

/// Each flagged character of `text[start..end]`: its offset and the character.
fn flagged(text: &str, start: usize, end: usize) -> Vec<(usize, char)> {
    let body = &text[start..end];
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &(_, c))| {
            let before = i.checked_sub(1).map(|j| chars[j].1);
            let after = chars.get(i + 1).map(|&(_, c)| c);
            is_bidi_control(c) || is_zero_width(c) || is_suspicious_joiner(before, c, after)
        })
        .map(|(_, &(at, c))| (start + at, c))
        .collect()
}

fn diagnostic(file: FileId, what: &str, found: &[(usize, char)]) -> Option<Diagnostic> {
    let &(first, c) = found.first()?;
    let span = |at: usize, c: char| Span::new(file, at, at + c.len_utf8());
    let name = |c: char| format!("U+{:04X} {}", c as u32, invisible_name(c));
    let more = match found.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    let mut d = Diagnostic::new(
        Code::W0510,
        span(first, c),
        format!("{what} contains an invisible character, {}{more}", name(c)),
    )
    .label(format!("{} here", name(c)))
    .help(
        "delete it: editors and terminals do not show it, or show the text around it in \
         another order than lamc reads it",
    );
    for &(at, c) in found.iter().skip(1).take(MAX_LABELS - 1) {
        d = d.secondary(span(at, c), format!("{} here", name(c)));
    }
    for &(at, c) in found {
        d = d.fix(format!("delete {}", name(c)), span(at, c), "");
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::scan::scan;

    fn warnings(text: &str) -> Vec<Diagnostic> {
        check(FileId(0), text, &scan(text))
    }

    #[test]
    fn flags_bidi_and_zero_width_in_strings_and_comments() {
        let text = "# ok é\n# admin\u{202e} \u{2066}\nlet a = \"x\u{200b}y\"\nlet b = \"\"\"\u{2067}\"\"\"\n";
        let w = warnings(text);
        assert_eq!(w.len(), 3);
        let at = text.find('\u{202e}').unwrap_or(0);
        assert_eq!(
            (w[0].primary.span.start, w[0].primary.span.end),
            (at, at + 3)
        );
        assert!(
            w[0].message.starts_with("comment contains"),
            "{}",
            w[0].message
        );
        assert!(w[0]
            .message
            .contains("U+202E RIGHT-TO-LEFT OVERRIDE (and 1 more)"));
        assert_eq!(w[0].secondary.len(), 1);
        assert_eq!(w[0].fixes.len(), 2);
        assert!(w[1].message.starts_with("string contains"));
        assert!(w[2].message.contains("U+2067"));
        // Inside an interpolated string: one warning, for the outer string.
        assert_eq!(warnings("let c = \"a ${\"b\u{202e}\"} c\"\n").len(), 1);
    }

    #[test]
    fn joiners_in_emoji_and_scripts_are_fine() {
        assert!(
            warnings("# 👨\u{200d}👩\u{200d}👧 family\nlet p = \"می\u{200c}خواهم\"\n").is_empty()
        );
        assert_eq!(warnings("let n = \"ad\u{200d}min\"\n").len(), 1);
    }
}
