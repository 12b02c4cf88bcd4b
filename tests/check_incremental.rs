//! The incremental check (the language server's: declarations parsed and functions lowered
//! for the previous version are reused) gives exactly what a check from scratch gives: the
//! same diagnostics (code, span, message, help, fixes, order) and the same model, after
//! any chain of edits, on every `.lam` file the repository ships (examples, the standard
//! modules, the UI cases, many of them broken, the real apps) and on generated apps.

use lamc::check::CheckCache;
use lamc::driver::{check_source_with_syntax, CheckOptions};
use proptest::prelude::*;

/// Every `.lam` file the repository ships, as `(name, text)`.
fn corpus() -> Vec<(String, String)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut out: Vec<(String, String)> = lamc::stdlib::MODULES
        .iter()
        .map(|(name, text)| (format!("std.{name}"), text.to_string()))
        .collect();
    for dir in ["examples", "tests/ui", "tests/real"] {
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

fn options() -> CheckOptions {
    CheckOptions {
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default(),
        ..CheckOptions::default()
    }
}

/// Check `text` from scratch and through `cache`; they must agree. The trees and the
/// model's functions are then handed back to the cache, as the language server does when
/// the next version comes. Returns how many functions the warm check reused.
fn same(text: &str, cache: &mut CheckCache) -> Result<usize, TestCaseError> {
    let opts = options();
    let (fresh, fresh_syntax) =
        check_source_with_syntax("app.lam".into(), None, text.into(), &opts, None);
    let (warm, syntax) =
        check_source_with_syntax("app.lam".into(), None, text.into(), &opts, Some(cache));
    prop_assert_eq!(
        &fresh.diagnostics,
        &warm.diagnostics,
        "diagnostics differ for {:?}",
        text
    );
    prop_assert_eq!(&fresh.model, &warm.model, "models differ for {:?}", text);
    prop_assert_eq!(&fresh_syntax, &syntax, "trees differ for {:?}", text);
    for (file, ast) in syntax {
        let source = warm.sources.get(file);
        cache.parse.reclaim(file, &source.text, ast);
    }
    if let Some(model) = warm.model {
        cache.reclaim(model.functions, model.resources, warm.sources);
    }
    Ok(cache.reused())
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
        "\"",
        "\"\"\"",
        "#",
        "=",
        "20GB",
        "256MB",
        "function",
        "\nfunction g {\n  memory = 512MB\n}\n",
        "\nfunction h {\n  handler = \"a.b\"\n  runtime = python3.12\n  code = \"src\"\n  env { Q = queue.jobs.url }\n}\n",
        "\nfunction u {\n  handler = \"a.b\"\n  runtime = python3.12\n  code = inline(\"x\")\n  url { auth = iam }\n}\n",
        "\nqueue q9 {}\n",
        "\nqueue jobs {}\n",
        "\nlet size = 512MB\n",
        "\nparam stage { default = \"dev\" }\n",
        "\ndefaults { memory = 1GB }\n",
        "\ntemplate base { timeout = 30s }\n",
        "queue.",
        "param.stage",
        "size",
        "url { auth = none }",
        "function.h.url",
        "output o = ",
        "é",
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
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Each file, then a chain of edits of it, through one cache: every version agrees
    /// with its check from scratch.
    #[test]
    fn incremental_checks_match_checks_from_scratch(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let files = corpus();
        let (_, original) = &files[pick.index(files.len())];
        let mut cache = CheckCache::new();
        same(original, &mut cache)?;
        let mut text = original.clone();
        for e in &edits {
            text = apply(&text, e);
            same(&text, &mut cache)?;
        }
        same(original, &mut cache)?;
    }
}

#[test]
fn every_corpus_file_checks_the_same_cold_and_warm() {
    for (name, text) in corpus() {
        let mut cache = CheckCache::new();
        for _ in 0..2 {
            if let Err(e) = same(&text, &mut cache) {
                panic!("{name}: {e}");
            }
        }
    }
}

/// The benchmark's edits on a generated app: in `defaults` (what every function inherits:
/// nothing is reused), inside one function (the others are reused, moved to their new
/// place), inside a queue, and a new `let` (it may change any value: nothing is reused).
#[test]
fn an_edit_reuses_the_other_functions() {
    let text = crate::synth::generate(50, true);
    let mut cache = CheckCache::new();
    let mut run = |text: &str| same(text, &mut cache).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run(&text), 0);
    assert_eq!(run(&text), 50);
    let edits = [
        (text.replacen("memory = 256MB", "memory = 20GB", 1), 0),
        (
            text.replacen("INDEX = \"7\"", "INDEX = queue.nope.url", 1),
            49,
        ),
        (text.replacen("INDEX = \"7\"", "INDEX = \"seven\"", 1), 49),
        (text.replacen("queue jobs_3 {", "queue jobs_3  {", 1), 0),
        (
            text.replacen("\nqueue dead_letters", "\nlet x = 1\nqueue dead_letters", 1),
            0,
        ),
    ];
    for (edited, reused) in edits {
        assert_ne!(edited, text, "the edit must change something");
        assert_eq!(run(&edited), reused, "{}", &edited[..200]);
        // Back to the original: what the edit did not touch is still there to reuse.
        assert!(run(&text) >= reused);
    }
}

/// An edit inside a function takes every declared resource from the previous check (moved
/// to its new place); an edit in a queue lowers them all again.
#[test]
fn an_edit_inside_a_function_reuses_the_resources() {
    let text = crate::synth::generate(50, true);
    let mut cache = CheckCache::new();
    let mut run = |text: &str| {
        same(text, &mut cache).unwrap_or_else(|e| panic!("{e}"));
        cache.reused_resources()
    };
    assert_eq!(run(&text), 0);
    let all = run(&text);
    assert!(all > 50, "{all}");
    let inside = text.replacen("INDEX = \"7\"", "INDEX = \"seven\"", 1);
    assert_eq!(run(&inside), all);
    assert_eq!(run(&text), all);
    let queue = text.replacen("queue jobs_3 {", "queue jobs_3  {", 1);
    assert_ne!(queue, text);
    assert_eq!(run(&queue), 0);
}

/// The benchmark's document (1,000 functions): edits inside functions at the start, the
/// middle and the end, in `defaults`, and back, agree with checks from scratch.
#[test]
fn a_thousand_functions_edited_agree_with_checks_from_scratch() {
    let text = crate::synth::generate(1000, false);
    let mut cache = CheckCache::new();
    let mut run = |text: &str| same(text, &mut cache).unwrap_or_else(|e| panic!("{e}"));
    run(&text);
    for (from, to) in [
        ("INDEX = \"500\"", "INDEX = queue.nope.url"),
        ("INDEX = \"500\"", "INDEX = \"501\""),
        ("INDEX = \"0\"", "INDEX = \"zero\", MEMORY = 20GB"),
        ("INDEX = \"999\"", "INDEX = function.worker_1.url"),
        ("memory = 256MB", "memory = 20GB"),
    ] {
        let edited = text.replacen(from, to, 1);
        assert_ne!(edited, text, "{from}");
        assert!(run(&edited) >= 999 || from.starts_with("memory"));
        run(&text);
    }
}

/// A reference to a declaration that moved (a `let`, a queue, a function) keeps pointing
/// at it.
#[test]
fn references_follow_the_declarations_they_name() {
    let base = "let size = 20GB\n\nqueue jobs {}\n\nfunction f {\n  handler = \"a.b\"\n  runtime = python3.12\n  code = inline(\"x\")\n  memory = size\n  on sqs queue.jobz\n  env { G = function.g.url, J = queue.jobs }\n}\n\nfunction g {\n  handler = \"a.b\"\n  runtime = python3.12\n  code = inline(\"x\")\n}\n";
    let mut cache = CheckCache::new();
    for text in [
        base.to_string(),
        base.replacen("let size", "\n\nlet size", 1),
        base.replacen("queue jobs {}", "queue jobs { visibility = 2m }", 1),
        base.replacen("\nfunction f", "\n\n\nfunction f", 1),
        base.replacen("\nfunction g {", "\n\n\nfunction g {", 1),
        base.replacen("code = inline(\"x\")\n}", "code = inline(\"xy\")\n}", 1),
        base.to_string(),
    ] {
        if let Err(e) = same(&text, &mut cache) {
            panic!("{e}");
        }
    }
}
