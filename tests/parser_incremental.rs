//! The incremental parse (the language server's) gives exactly what a full parse gives:
//! the same items with the same spans, the same comments and the same diagnostics, after
//! any sequence of edits, on the example programs, the standard modules and every UI
//! case (many of them broken).

use lamc::source::FileId;
use lamc::syntax::{parse, parse_incremental, ParseCache};
use proptest::prelude::*;

/// Every `.lam` file the repository ships, as `(name, text)`.
fn corpus() -> Vec<(String, String)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut out: Vec<(String, String)> = lamc::stdlib::MODULES
        .iter()
        .map(|(name, text)| (format!("std.{name}"), text.to_string()))
        .collect();
    for dir in ["examples", "tests/ui"] {
        for entry in walkdir::WalkDir::new(format!("{root}/{dir}")) {
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "lam") {
                if let Ok(text) = std::fs::read_to_string(path) {
                    out.push((path.display().to_string(), text));
                }
            }
        }
    }
    out.push(("synth".into(), crate::synth::generate(12, true)));
    out.sort();
    out
}

/// Parse `text` in full and through `cache`; they must agree. The tree is then handed
/// back to the cache, as the language server does when the next version comes.
fn same(text: &str, cache: &mut ParseCache) -> Result<(), TestCaseError> {
    let file = FileId(3);
    let full = parse(file, text);
    let incremental = parse_incremental(file, text, cache);
    cache.forget_unused();
    prop_assert_eq!(&full.0, &incremental.0, "items differ for {:?}", text);
    prop_assert_eq!(&full.1, &incremental.1, "diagnostics differ for {:?}", text);
    cache.reclaim(file, text, incremental.0);
    Ok(())
}

/// One edit: replace `len` bytes at `at` (both taken modulo the text) with `with`.
#[derive(Debug, Clone)]
struct Edit {
    at: usize,
    len: usize,
    with: &'static str,
}

fn edit() -> impl Strategy<Value = Edit> {
    let with = prop::sample::select(vec![
        "",
        "x",
        "\n",
        " ",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "\"\"\"",
        "${",
        "#",
        ",",
        "=",
        "20GB",
        "256MB",
        "function",
        "\nfunction g {\n  memory = 512MB\n}\n",
        "\nqueue q9 {}\n",
        "queue",
        "output o = ",
        "\nlet",
        "é",
        "\u{feff}",
        // Every line end, and characters W0510 reports.
        "\r",
        "\r\n",
        "# c\r",
        "\u{202e}",
        "\u{200b}",
    ]);
    (any::<usize>(), 0usize..12, with).prop_map(|(at, len, with)| Edit { at, len, with })
}

fn apply(text: &str, e: &Edit) -> String {
    let mut at = e.at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let mut end = (at + e.len).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    format!("{}{}{}", &text[..at], e.with, &text[end..])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Each file, then a chain of edits of it, through one cache: every version agrees
    /// with its full parse.
    #[test]
    fn incremental_parses_match_full_parses(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let files = corpus();
        let (_, original) = &files[pick.index(files.len())];
        let mut cache = ParseCache::new();
        same(original, &mut cache)?;
        let mut text = original.clone();
        for e in &edits {
            text = apply(&text, e);
            same(&text, &mut cache)?;
        }
        // Back to the start: every piece comes from the cache.
        same(original, &mut cache)?;
    }
}

#[test]
fn every_corpus_file_parses_the_same_cold_and_warm() {
    for (name, text) in corpus() {
        let mut cache = ParseCache::new();
        for _ in 0..2 {
            if let Err(e) = same(&text, &mut cache) {
                panic!("{name}: {e}");
            }
        }
    }
}

#[test]
fn an_edit_reuses_the_other_declarations() {
    let text = crate::synth::generate(50, true);
    let mut cache = ParseCache::new();
    let (first, _) = parse_incremental(FileId(0), &text, &mut cache);
    cache.reclaim(FileId(0), &text, first);
    let pieces = cache.len();
    assert!(pieces > 50, "only {pieces} pieces to reuse");
    let edited = text.replacen("memory = 256MB", "memory = 20GB", 1);
    assert_ne!(edited, text, "the edit must change something");
    let (file, diags) = parse_incremental(FileId(0), &edited, &mut cache);
    assert_eq!((file, diags), parse(FileId(0), &edited));
    // Every piece but the edited one was taken.
    assert_eq!(cache.len(), 1);
}

#[test]
fn a_tree_from_another_text_is_not_taken_apart() {
    let mut cache = ParseCache::new();
    let (tree, _) = parse_incremental(FileId(0), "queue a {}\nqueue b {}\n", &mut cache);
    cache.reclaim(FileId(0), "queue a {}\nqueue c {}\n", tree);
    assert!(cache.is_empty());
}

#[test]
fn too_deep_nesting_is_reported_as_in_a_full_parse() {
    let deep = format!("let a = {}1{}\n", "[".repeat(70), "]".repeat(70));
    let text = format!("queue q {{}}\n{deep}{deep}queue r {{}}\n");
    let mut cache = ParseCache::new();
    for version in [text.clone(), text.replacen(&deep, "", 1), text] {
        if let Err(e) = same(&version, &mut cache) {
            panic!("{e}");
        }
    }
}
