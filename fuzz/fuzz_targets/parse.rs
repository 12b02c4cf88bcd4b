//! The parser on any text: no panic, no hang; every diagnostic inside the text; the
//! incremental parse (the language server's) agrees with the one-go parse; the
//! diagnostics render; the formatter either refuses or gives text it leaves unchanged.

#![no_main]

use lamc::diag::render::{render_human, HumanOptions};
use lamc::source::{FileId, SourceMap};
use lamc::syntax::{parse, parse_incremental, ParseCache};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // lamc reads source files as UTF-8; other bytes never reach the parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = FileId(0);
    let (tree, diags) = parse(file, text);
    for d in &diags {
        let spans = std::iter::once(&d.primary.span).chain(d.secondary.iter().map(|l| &l.span));
        for s in spans {
            assert!(s.start <= s.end && s.end <= text.len(), "{d:?}");
        }
    }
    let (again, again_diags) = parse_incremental(file, text, &mut ParseCache::new());
    assert_eq!(tree, again, "the incremental parse differs");
    assert_eq!(diags, again_diags, "the incremental parse reports otherwise");

    let mut sources = SourceMap::new();
    sources.add("fuzz.lam", None, text.to_string());
    let _ = render_human(&diags, &sources, &HumanOptions::default());

    if let Ok(formatted) = lamc::fmt::format_source(text) {
        let twice = lamc::fmt::format_source(&formatted);
        assert_eq!(twice.as_deref().ok(), Some(formatted.as_str()), "not idempotent");
    }
});
