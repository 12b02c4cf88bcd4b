//! The whole pipeline on any text, as `lamc build` runs it: check, then (without errors)
//! plan and emit. No panic, no hang; every diagnostic inside its file; the diagnostics
//! render (human and JSON) the way `lamc check` prints them.

#![no_main]

use chrono::NaiveDate;
use lamc::diag::render::{render_human, render_json_lines, HumanOptions};
use lamc::driver::{check_source, CheckOptions};
use lamc::driver::{plan, PlanOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let opts = CheckOptions::on(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default());
    // No path: `use "file"` and local `code` folders have nothing to resolve against.
    let c = check_source("fuzz.lam".into(), None, text.to_string(), &opts);
    for d in &c.diagnostics {
        let spans = std::iter::once(&d.primary.span).chain(d.secondary.iter().map(|l| &l.span));
        for s in spans {
            let file = c.sources.files().get(s.file.0 as usize);
            let len = file.map_or(0, |f| f.text.len());
            assert!(file.is_some() && s.start <= s.end && s.end <= len, "{d:?}");
        }
    }
    let _ = render_human(&c.diagnostics, &c.sources, &HumanOptions::default());
    let _ = render_json_lines(&c.diagnostics, &c.sources);
    if c.has_errors() {
        return;
    }
    if let Some(model) = &c.model {
        let opts = PlanOptions::default();
        if let Ok(stack) = plan(model, &opts) {
            let _ = lamc::emit::json(&stack);
            let _ = lamc::emit::yaml(&stack);
        }
    }
});
