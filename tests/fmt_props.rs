//! Formatting never panics, and whatever it accepts comes out stable: formatting twice
//! equals formatting once, and the result reads back as the same tree with the same
//! comments. Inputs are the repository's programs with their layout disturbed.

use std::path::PathBuf;
use std::sync::OnceLock;

use lamc::fmt::{equiv, format_source};
use lamc::source::FileId;
use lamc::syntax::parse;
use proptest::prelude::*;

fn corpus() -> &'static [String] {
    static CORPUS: OnceLock<Vec<String>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for dir in ["tests", "examples", "stdlib"] {
            for e in walkdir::WalkDir::new(root.join(dir))
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                if e.path().extension().is_some_and(|x| x == "lam") {
                    if let Ok(t) = std::fs::read_to_string(e.path()) {
                        out.push(t);
                    }
                }
            }
        }
        out
    })
}

/// A change to the layout (or, sometimes, to the program) at a position.
#[derive(Debug, Clone)]
enum Disturb {
    SpaceToNewline(usize),
    NewlineToBlankLines(usize),
    NewlineToSpaces(usize),
    AddComment(usize),
    MoreSpaces(usize),
    DropLine(usize),
}

fn disturb() -> impl Strategy<Value = Disturb> {
    prop_oneof![
        any::<usize>().prop_map(Disturb::SpaceToNewline),
        any::<usize>().prop_map(Disturb::NewlineToBlankLines),
        any::<usize>().prop_map(Disturb::NewlineToSpaces),
        any::<usize>().prop_map(Disturb::AddComment),
        any::<usize>().prop_map(Disturb::MoreSpaces),
        any::<usize>().prop_map(Disturb::DropLine),
    ]
}

/// The `n`-th (modulo) position of `byte` in `text`.
fn nth(text: &str, byte: u8, n: usize) -> Option<usize> {
    let at: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == byte)
        .map(|(i, _)| i)
        .collect();
    (!at.is_empty()).then(|| at[n % at.len()])
}

fn apply(text: &mut String, d: &Disturb) {
    match *d {
        Disturb::SpaceToNewline(n) => {
            if let Some(i) = nth(text, b' ', n) {
                text.replace_range(i..i + 1, "\n");
            }
        }
        Disturb::NewlineToBlankLines(n) => {
            if let Some(i) = nth(text, b'\n', n) {
                text.replace_range(i..i + 1, "\n\n\n");
            }
        }
        Disturb::NewlineToSpaces(n) => {
            if let Some(i) = nth(text, b'\n', n) {
                text.replace_range(i..i + 1, "  ");
            }
        }
        Disturb::AddComment(n) => {
            if let Some(i) = nth(text, b'\n', n) {
                text.insert_str(i, " # note");
            }
        }
        Disturb::MoreSpaces(n) => {
            if let Some(i) = nth(text, b' ', n) {
                text.insert_str(i, "   ");
            }
        }
        Disturb::DropLine(n) => {
            if let Some(i) = nth(text, b'\n', n) {
                let start = text[..i].rfind('\n').map_or(0, |s| s + 1);
                text.replace_range(start..=i, "");
            }
        }
    }
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let Ok(once) = format_source(text) else {
        // Refused: only for input the parser rejects.
        let (_, diags) = parse(FileId(0), text);
        prop_assert!(
            diags.iter().any(|d| d.is_error()),
            "refused without a syntax error: {text:?}"
        );
        return Ok(());
    };
    let twice = format_source(&once);
    prop_assert!(
        twice.as_deref() == Ok(once.as_str()),
        "not stable for {text:?}:\n{once}"
    );
    let (before, _) = parse(FileId(0), text);
    let (after, diags) = parse(FileId(0), &once);
    prop_assert!(diags.iter().all(|d| !d.is_error()));
    prop_assert!(equiv::same_tree(&before, &after));
    prop_assert_eq!(
        equiv::comment_texts(text, &before.comments),
        equiv::comment_texts(&once, &after.comments)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn disturbed_programs_format_stably(pick in any::<usize>(), ds in prop::collection::vec(disturb(), 1..8)) {
        let corpus = corpus();
        prop_assume!(!corpus.is_empty());
        let mut text = corpus[pick % corpus.len()].clone();
        for d in &ds {
            apply(&mut text, d);
        }
        check(&text)?;
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        check(&text)?;
    }
}

#[test]
fn the_corpus_is_loaded() {
    assert!(corpus().len() > 50);
}
