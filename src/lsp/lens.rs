//! Code lenses: above each `on schedule` trigger its next firings (from
//! [`crate::insight::schedule`]), above each `concurrency` block with provisioned
//! concurrency its estimated monthly cost (from [`crate::insight::cost`], at the default
//! region's list prices). Lenses are text only: their command does nothing.

use chrono::{DateTime, NaiveDate, Utc};
use lsp_types::{CodeLens, Command};

use super::convert;
use super::document::Document;
use crate::insight::{cost, prices, schedule};
use crate::model::{Function, TriggerKind};
use crate::source::Span;

/// How many firings a schedule's lens shows.
const FIRINGS: usize = 3;

/// The lenses of the document's own file (not of the files it `use`s). `today` is the
/// checker's date: the real date, or a pinned one (`LAMC_TODAY`), whose midnight (UTC)
/// the firings are then counted from, so that a pinned session shows the same lenses.
pub fn code_lenses(doc: &Document, today: NaiveDate) -> Vec<CodeLens> {
    let Some(model) = doc.comp.model.as_ref() else {
        return Vec::new();
    };
    let from = start(today, Utc::now());
    let mut lenses = Vec::new();
    for f in &model.functions {
        for t in &f.triggers {
            if let TriggerKind::Schedule { expr, timezone, .. } = &t.kind {
                let zone = timezone.as_ref().map(|z| z.value.as_str());
                let title = match schedule::next_firings_line(&expr.value, zone, from, FIRINGS) {
                    Ok(line) => format!("next: {line}"),
                    Err(why) => format!("next firings unknown: {why}"),
                };
                lenses.extend(lens(doc, t.span, title));
            }
        }
        if let Some(c) = &f.concurrency {
            lenses.extend(cost_title(f).and_then(|title| lens(doc, c.span, title)));
        }
    }
    lenses
}

/// Now, unless `today` is pinned to another date: then its midnight, UTC.
fn start(today: NaiveDate, now: DateTime<Utc>) -> DateTime<Utc> {
    if today == now.date_naive() {
        now
    } else {
        today.and_time(chrono::NaiveTime::MIN).and_utc()
    }
}

fn cost_title(f: &Function) -> Option<String> {
    let region = prices::region(prices::DEFAULT_REGION).ok()?;
    let title = match cost::provisioned_monthly(f, region)? {
        Ok(range) => format!(
            "provisioned concurrency ≈ {} a month (estimate: {} list prices of {})",
            cost::range_text(range),
            region.name,
            prices::TABLE_DATE
        ),
        Err(why) => format!("provisioned concurrency: not priced ({why})"),
    };
    Some(title)
}

/// A lens on the first line of `span`, when the span is in the document's own file.
fn lens(doc: &Document, span: Span, title: String) -> Option<CodeLens> {
    if span.file != doc.comp.root {
        return None;
    }
    let file = doc.comp.sources.get(span.file);
    let mut range = convert::range(file, span);
    range.end = range.start;
    Some(CodeLens {
        range,
        command: Some(Command {
            title,
            command: String::new(),
            arguments: None,
        }),
        data: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_date_counts_from_its_midnight_the_real_one_from_now() {
        let now = DateTime::parse_from_rfc3339("2026-12-02T07:30:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(start(now.date_naive(), now), now);
        let pinned = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
        assert_eq!(start(pinned, now).to_rfc3339(), "2026-11-26T00:00:00+00:00");
    }
}
