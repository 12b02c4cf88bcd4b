//! Text from the source made safe to print: characters that a terminal would act on
//! (control characters, escape sequences) or that change how the text around them is
//! shown (bidirectional controls, invisible characters) are written as visible escapes,
//! `\u{1b}`, so that a file cannot move the cursor, retitle the window, hide text or
//! reorder a diagnostic.
//!
//! The character classes here are the one definition used by the renderer, the JSON and
//! editor outputs, and the W0510 check on strings and comments.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Bidirectional formatting characters: embeddings, overrides, isolates and marks (the
/// characters of the "trojan source" attacks, CVE-2021-42574).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Characters that take no room at all and have no business in configuration: the
/// zero-width space, the word joiner and invisible operators, the byte-order mark used
/// inside text, the Mongolian vowel separator.
///
/// The zero-width joiner and non-joiner are not here: emoji sequences and several scripts
/// need them (see [`is_suspicious_joiner`]).
pub fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{180E}'
    )
}

/// A zero-width joiner or non-joiner next to ASCII text (or at an end of it), where no
/// script or emoji sequence needs one.
pub fn is_suspicious_joiner(before: Option<char>, c: char, after: Option<char>) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
        && [before, after]
            .iter()
            .any(|n| n.is_none_or(|n| n.is_ascii()))
}

/// Whether a terminal must not receive this character raw: C0 and C1 control characters
/// (tab and line feed aside), DEL, bidirectional controls, zero-width and other invisible
/// characters (soft hyphen, line and paragraph separators, tag characters, interlinear
/// annotation marks).
pub fn needs_escape(c: char) -> bool {
    match c {
        '\t' | '\n' => false,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => true,
        '\u{AD}' | '\u{2028}' | '\u{2029}' | '\u{FFF9}'..='\u{FFFB}' => true,
        '\u{E0000}'..='\u{E007F}' => true,
        c => is_bidi_control(c) || is_zero_width(c),
    }
}

/// Texts longer than this many characters (a message quoting a huge name or value) are
/// shortened in the middle.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// The text with every character that [`needs_escape`] escaped, and shortened to
/// [`MAX_TEXT_CHARS`] with `…` in the middle. Borrowed when nothing changes.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let long = text.len() > MAX_TEXT_CHARS && text.chars().count() > MAX_TEXT_CHARS;
    if !long && !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(4 * MAX_TEXT_CHARS));
    if long {
        // Keep the head and the tail: a message's end often says what to do.
        let head: String = text.chars().take(MAX_TEXT_CHARS * 3 / 4).collect();
        let tail_len = MAX_TEXT_CHARS / 4;
        let tail_start = text
            .char_indices()
            .rev()
            .nth(tail_len - 1)
            .map_or(0, |(i, _)| i);
        push_escaped(&mut out, &head);
        out.push('…');
        push_escaped(&mut out, &text[tail_start..]);
    } else {
        push_escaped(&mut out, text);
    }
    Cow::Owned(out)
}

/// Append `text` to `out` with every character that [`needs_escape`] escaped, as
/// `\u{1b}`.
pub fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        if needs_escape(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
}

/// The Unicode name of a character W0510 reports, for its message.
pub fn invisible_name(c: char) -> &'static str {
    match c {
        '\u{061C}' => "ARABIC LETTER MARK",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => "WORD JOINER",
        '\u{2061}' => "FUNCTION APPLICATION",
        '\u{2062}' => "INVISIBLE TIMES",
        '\u{2063}' => "INVISIBLE SEPARATOR",
        '\u{2064}' => "INVISIBLE PLUS",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE",
        '\u{180E}' => "MONGOLIAN VOWEL SEPARATOR",
        _ => "invisible character",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_visibly() {
        let raw = "a\u{1b}]0;title\u{7}b\u{0}c\u{9b}d\u{202e}e\u{2066}f\u{200b}g\rh";
        let safe = terminal_safe(raw);
        assert_eq!(
            safe,
            "a\\u{1b}]0;title\\u{7}b\\u{0}c\\u{9b}d\\u{202e}e\\u{2066}f\\u{200b}g\\u{d}h"
        );
        assert!(!safe.chars().any(needs_escape));
    }

    #[test]
    fn ordinary_text_is_borrowed() {
        for text in [
            "memory 20GB is out of range",
            "tab\there\nand line",
            "é☕😀 👨‍👩‍👧",
        ] {
            assert!(matches!(terminal_safe(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn long_texts_are_shortened_in_the_middle() {
        let text = format!("start {} end", "x".repeat(100_000));
        let safe = terminal_safe(&text);
        assert!(safe.chars().count() <= MAX_TEXT_CHARS + 1);
        assert!(safe.starts_with("start x") && safe.ends_with("x end"));
        assert!(safe.contains('…'));
    }

    #[test]
    fn joiners_are_suspicious_only_next_to_ascii() {
        assert!(is_suspicious_joiner(Some('a'), '\u{200d}', Some('b')));
        assert!(is_suspicious_joiner(None, '\u{200c}', Some('é')));
        assert!(!is_suspicious_joiner(Some('👨'), '\u{200d}', Some('👩')));
        assert!(!is_suspicious_joiner(Some('a'), 'x', Some('b')));
    }
}
