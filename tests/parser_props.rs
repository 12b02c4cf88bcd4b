//! No input makes the parser panic or loop, and every span it reports is inside the text
//! and on character boundaries.

use lamc::diag::Diagnostic;
use lamc::source::{FileId, Span};
use lamc::syntax::parse;
use proptest::prelude::*;

const EXAMPLE: &str = include_str!("parser_example.lam");

fn span_ok(text: &str, s: Span) -> bool {
    s.start <= s.end
        && s.end <= text.len()
        && text.is_char_boundary(s.start)
        && text.is_char_boundary(s.end)
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let (file, diags) = parse(FileId(0), text);
    for d in &diags {
        let spans = std::iter::once(d.primary.span)
            .chain(d.secondary.iter().map(|l| l.span))
            .chain(d.fixes.iter().map(|f| f.span));
        for s in spans {
            prop_assert!(span_ok(text, s), "bad span {s:?} in {d:#?} for {text:?}");
        }
        prop_assert!(!d.message.is_empty());
        prop_assert!(!has_rule_names(d), "pest rule name leaked: {}", d.message);
    }
    for item in &file.items {
        prop_assert!(span_ok(text, item.span()), "bad item span for {text:?}");
    }
    for c in &file.comments {
        prop_assert!(span_ok(text, *c));
        prop_assert!(text[c.start..c.end].starts_with('#'));
    }
    Ok(())
}

fn has_rule_names(d: &Diagnostic) -> bool {
    [
        "kw_",
        "lbrace",
        "rbrace",
        "_decl",
        "num_int",
        "trigger_source",
        "more input",
    ]
    .iter()
    .any(|n| d.message.contains(n))
}

/// Text made of the language's own pieces, so that the grammar gets deep before failing.
fn lam_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "function",
        "bucket",
        "queue",
        "alarm",
        "on",
        "allow",
        "use",
        "param",
        "let",
        "app",
        "defaults",
        "template",
        "output",
        "extends",
        "from",
        "via",
        "over",
        "for",
        "of",
        "notify",
        "at",
        "std.",
        "x",
        "a.b",
        "python3.12",
        " ",
        "\n",
        "\t",
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        "=",
        ",",
        ":",
        ".",
        "..",
        ">",
        ">=",
        "<",
        "\"",
        "\"\"\"",
        "${",
        "\\",
        "#",
        "5",
        "1.5GB",
        "30s",
        "70%",
        "20gb",
        "é",
        "😀",
        "true",
        "rate(5m)",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Insert(usize, u8),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        (
            any::<usize>(),
            prop::sample::select(b"{}[]()\"=,.#\n $\\x5".to_vec())
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
    ]
}

fn apply(text: &str, muts: &[Mutation]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for m in muts {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Delete(i) => {
                if !bytes.is_empty() {
                    bytes.remove(i % len);
                }
            }
            Mutation::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
            Mutation::Duplicate(i, n) => {
                let start = i % len;
                let end = (start + n).min(bytes.len());
                let chunk = bytes.get(start..end).unwrap_or(&[]).to_vec();
                let at = end;
                bytes.splice(at..at, chunk);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_random_text(text in ".{0,300}") {
        check(&text)?;
    }

    #[test]
    fn never_panics_on_language_like_text(text in lam_like()) {
        check(&text)?;
    }

    #[test]
    fn never_panics_on_mutated_example(muts in prop::collection::vec(mutation(), 1..8)) {
        check(&apply(EXAMPLE, &muts))?;
    }
}

#[test]
fn example_itself_is_clean() {
    let (_, diags) = parse(FileId(0), EXAMPLE);
    assert!(diags.is_empty(), "{diags:#?}");
}
