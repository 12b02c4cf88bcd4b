//! No input makes parsing, checking, planning or emitting panic, and every diagnostic
//! points inside its own file.
//!
//! Inputs: the pass and fail corpora and the examples, mutated (byte ranges deleted,
//! inserted, duplicated; tokens swapped; numbers made huge), plus random text.

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use lamc::driver::{self, CheckOptions};
use lamc::plan::{self, PlanOptions};
use proptest::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every seed program, read once.
fn corpus() -> &'static [String] {
    static CORPUS: OnceLock<Vec<String>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut dirs = vec![root().join("tests/ui/pass"), root().join("tests/ui/fail")];
        if let Ok(entries) = std::fs::read_dir(root().join("examples")) {
            dirs.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
        }
        let mut out = Vec::new();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "lam"))
                .collect();
            paths.sort();
            for p in paths {
                // The 170-function stack-limit case is large; mutating it adds nothing.
                if let Ok(text) = std::fs::read_to_string(&p) {
                    if text.len() < 20_000 {
                        out.push(text);
                    }
                }
            }
        }
        for (_, src) in lamc::stdlib::MODULES {
            out.push(src.to_string());
        }
        out
    })
}

/// Fragments that stress the lexer and parser when spliced in anywhere.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "=",
    ",",
    ".",
    "..",
    "\"",
    "\"\"\"",
    "${",
    "${param.",
    "\\",
    "#",
    "\n",
    " ",
    "on",
    "via",
    "at",
    "for",
    "of",
    "over",
    "notify",
    "extends",
    "allow",
    "function",
    "template",
    "defaults",
    "alarm",
    "use std.",
    "use \"",
    "from \"arn:aws:sqs:",
    "queue q {}",
    "table t { key = { id = string }, stream = new }",
    "p99.9",
    "rate(",
    "cron(\"",
    "at(\"",
    "s3(",
    "inline(\"\"\"",
    "image(",
    "99999999999999999999999999999999999999999GB",
    "340282366920938463463374607431768211456",
    "0.000000000000000000000000000000001",
    "1.5",
    "0",
    "-1",
    "10241MB",
    "901s",
    "5..",
    "..50 at",
    "1_",
    "_1",
    "%",
    "ms",
    "é",
    "😀",
    "\u{0}",
    "\r\n",
    "\t",
    "function.",
    "queue.",
    "bucket.x.",
    "api.default.url",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, fragment: usize },
    Duplicate { at: usize, len: usize },
    SwapTokens { a: usize, b: usize },
    HugeNumbers { which: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 0..FRAGMENTS.len())
            .prop_map(|(at, fragment)| Mutation::Insert { at, fragment }),
        (any::<usize>(), 1usize..80).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapTokens { a, b }),
        any::<usize>().prop_map(|which| Mutation::HugeNumbers { which }),
    ]
}

/// Apply a mutation on bytes; the result may be invalid UTF-8 (repaired lossily later).
fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let n = bytes.len();
    match *m {
        Mutation::Delete { at, len } if n > 0 => {
            let s = at % n;
            let e = (s + len).min(n);
            bytes.drain(s..e);
        }
        Mutation::Insert { at, fragment } => {
            let s = if n == 0 { 0 } else { at % (n + 1) };
            let f = FRAGMENTS[fragment % FRAGMENTS.len()].as_bytes();
            bytes.splice(s..s, f.iter().copied());
        }
        Mutation::Duplicate { at, len } if n > 0 => {
            let s = at % n;
            let e = (s + len).min(n);
            let piece: Vec<u8> = bytes[s..e].to_vec();
            bytes.splice(e..e, piece);
        }
        Mutation::SwapTokens { a, b } => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let mut tokens: Vec<&str> = text.split(' ').collect();
            if tokens.len() > 1 {
                let (i, j) = (a % tokens.len(), b % tokens.len());
                tokens.swap(i, j);
                *bytes = tokens.join(" ").into_bytes();
            }
        }
        Mutation::HugeNumbers { which } => {
            // Replace one run of digits with a number far beyond u128.
            let runs: Vec<(usize, usize)> = digit_runs(bytes);
            if !runs.is_empty() {
                let (s, e) = runs[which % runs.len()];
                let huge = b"999999999999999999999999999999999999999999999999";
                bytes.splice(s..e, huge.iter().copied());
            }
        }
        _ => {}
    }
}

fn digit_runs(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let s = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((s, i));
        } else {
            i += 1;
        }
    }
    runs
}

fn opts() -> CheckOptions {
    CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).expect("valid date"))
}

/// Run the whole pipeline (nothing written) and check the diagnostics' spans.
fn run_pipeline(text: String) -> Result<(), TestCaseError> {
    // A path in the pass corpus, so that `code` folders and `use "…"` resolve as they would.
    let path = root().join("tests/ui/pass/__mutated.lam");
    let c = driver::check_source("mutated.lam".into(), Some(path), text, &opts());
    let mut diags = c.diagnostics.clone();
    if !c.has_errors() {
        if let Some(model) = &c.model {
            match plan::plan(model, &PlanOptions::default()) {
                Ok(stack) => {
                    let _ = lamc::emit::json(&stack);
                    let _ = lamc::emit::yaml(&stack);
                }
                Err(mut more) => diags.append(&mut more),
            }
        }
    }
    let files = c.sources.files();
    for d in &diags {
        let spans = std::iter::once(&d.primary).chain(d.secondary.iter());
        for label in spans {
            let span = label.span;
            let file = files.get(span.file.0 as usize);
            prop_assert!(file.is_some(), "{}: span in unknown file", d.code);
            let Some(file) = file else { continue };
            prop_assert!(
                span.start <= span.end && span.end <= file.text.len(),
                "{}: span {}..{} outside {} ({} bytes): {}",
                d.code,
                span.start,
                span.end,
                file.name,
                file.text.len(),
                d.message
            );
            prop_assert!(
                file.text.is_char_boundary(span.start) && file.text.is_char_boundary(span.end),
                "{}: span {}..{} splits a character in {}",
                d.code,
                span.start,
                span.end,
                file.name
            );
        }
        prop_assert!(!d.message.is_empty(), "{}: empty message", d.code);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_programs_never_panic(seed in any::<usize>(), muts in prop::collection::vec(mutation(), 1..6)) {
        let corpus = corpus();
        prop_assume!(!corpus.is_empty());
        let mut bytes = corpus[seed % corpus.len()].clone().into_bytes();
        for m in &muts {
            apply(&mut bytes, m);
        }
        run_pipeline(String::from_utf8_lossy(&bytes).into_owned())?;
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        run_pipeline(text)?;
    }

    #[test]
    fn random_token_soup_never_panics(tokens in prop::collection::vec(0..FRAGMENTS.len(), 0..60)) {
        let text: Vec<&str> = tokens.iter().map(|&i| FRAGMENTS[i]).collect();
        run_pipeline(text.join(" "))?;
    }
}

#[test]
fn the_corpus_is_loaded() {
    assert!(
        corpus().len() >= 40,
        "seed corpus too small: {}",
        corpus().len()
    );
    let mut b = b"memory = 512MB".to_vec();
    apply(&mut b, &Mutation::HugeNumbers { which: 0 });
    assert!(String::from_utf8_lossy(&b).contains("9999999999"));
}
