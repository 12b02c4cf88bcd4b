//! Small helpers shared by the rules: unit formatting, source slices, range diagnostics.

use crate::diag::{Code, Diagnostic};
use crate::model::S;
use crate::source::Span;

use super::limit::Limit;
use super::RuleContext;

use crate::schema::limits::Bounds;
pub(crate) use crate::schema::limits::{fmt_days, fmt_seconds};

/// The source text under `span`, when the span belongs to a loaded file.
pub(crate) fn source_text<'a>(ctx: &RuleContext<'a>, span: Span) -> Option<&'a str> {
    ctx.sources
        .files()
        .get(span.file.0 as usize)
        .map(|f| f.slice(span))
        .filter(|s| !s.is_empty())
}

/// How a value is shown in a message: as written when the source is at hand.
pub(crate) fn shown<T>(ctx: &RuleContext, v: &S<T>, fallback: impl FnOnce() -> String) -> String {
    match source_text(ctx, v.span) {
        Some(t) if t.len() <= 40 && !t.contains('\n') => t.to_string(),
        _ => fallback(),
    }
}

/// A replacement for a string value: quoted when the span covers a string literal.
pub(crate) fn string_replacement(ctx: &RuleContext, span: Span, text: &str) -> String {
    match source_text(ctx, span) {
        Some(t) if t.starts_with('"') => {
            format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
        }
        _ => text.to_string(),
    }
}

/// The span of `needle` inside the source under `outer` (e.g. a cron field inside
/// `cron("…")`), or `outer` itself when it cannot be located exactly.
pub(crate) fn inner_span(ctx: &RuleContext, outer: Span, needle: &str) -> Span {
    match source_text(ctx, outer).and_then(|t| t.find(needle)) {
        Some(at) if !needle.is_empty() => Span::new(
            outer.file,
            outer.start + at,
            outer.start + at + needle.len(),
        ),
        _ => outer,
    }
}

/// The diagnostic for `v` when it lies outside one of the schema's limits (see
/// [`Limit::OutOfRange`](super::limit::Limit)).
pub(crate) fn check_bounds(
    ctx: &RuleContext,
    code: Code,
    what: &str,
    v: &S<u64>,
    bounds: &'static Bounds,
) -> Option<Diagnostic> {
    Limit::range(code, what, v, bounds).map(|l| l.diagnostic(ctx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_use_the_largest_exact_unit() {
        assert_eq!(fmt_seconds(900), "15m");
        assert_eq!(fmt_seconds(90), "90s");
        assert_eq!(fmt_seconds(43_200), "12h");
        assert_eq!(fmt_seconds(1_209_600), "14d");
        assert_eq!(fmt_seconds(0), "0s");
    }
}
