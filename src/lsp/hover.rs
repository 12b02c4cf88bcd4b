//! Hover: what an attribute means (type, range, default), a runtime's lifecycle dates, the
//! declaration a reference resolves to, the next fire times of a schedule, and the long
//! explanation (`lamc explain`) of any diagnostic under the cursor.

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use crate::check::rules::runtimes::{self, Lifecycle};
use crate::cron::next_fire_times;
use crate::model::Schedule;
use crate::syntax::ast::{EntryValue, Expr, ExprKind, Trigger};

use super::context;
use super::convert;
use super::document::Document;
use super::index::{hit_at, DeclKind, Hit};
use super::knowledge;

/// How many upcoming fire times a schedule hover lists.
const FIRE_TIMES: usize = 5;

pub fn hover(doc: &Document, pos: Position, today: NaiveDate, markdown: bool) -> Option<Hover> {
    let root = doc.root();
    let offset = convert::offset(root, pos);
    let mut sections = Vec::new();
    if let Some((kind, name)) = doc.index().target_at(doc.comp.root, offset) {
        sections.push(declaration(doc, kind, &name));
    } else if let Some(hit) = doc.ast(doc.comp.root).and_then(|a| hit_at(a, offset)) {
        sections.extend(match hit {
            Hit::Key(key) => attribute(doc.text(), key.span.start, &key.name),
            Hit::Runtime(expr) => runtime(doc, expr, today),
            Hit::Schedule(trigger, expr) => schedule(trigger, expr),
            Hit::TriggerKind(kind) => {
                crate::schema::trigger(&kind.name).map(|t| format!("**on {}** — {}", t.kind, t.doc))
            }
        });
    }
    for d in &doc.comp.diagnostics {
        let s = d.primary.span;
        if s.file == doc.comp.root && s.start <= offset && offset <= s.end {
            sections.push(format!(
                "**{}** — {}\n\n{}",
                d.code.as_str(),
                d.code.summary(),
                d.code.doc().trim()
            ));
        }
    }
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: if markdown {
                MarkupKind::Markdown
            } else {
                MarkupKind::PlainText
            },
            value: sections.join("\n\n---\n\n"),
        }),
        range: None,
    })
}

/// The declaration a name resolves to: its kind, where it is, and its first line.
fn declaration(doc: &Document, kind: DeclKind, name: &str) -> String {
    let Some(decl) = doc.index().decl(kind, name) else {
        return format!("`{}.{name}`: not declared", kind.word());
    };
    let Some(file) = doc.file(decl.span.file) else {
        return format!("{} `{name}`", kind.word());
    };
    let line = file.line_col(decl.span.start).line;
    let first = crate::source::first_line(file.slice(decl.span)).trim_end();
    format!(
        "{} `{name}` — declared in {}:{line}\n\n```lam\n{first}\n```",
        kind.word(),
        file.name
    )
}

/// The meaning, type, range and default of the attribute `key` at `at`.
fn attribute(text: &str, at: usize, key: &str) -> Option<String> {
    let block = context::at(text, at).block?;
    let doc = knowledge::attributes(&block)
        .iter()
        .find(|d| d.key == key)?;
    Some(knowledge::attr_markdown(&block, doc))
}

fn runtime(doc: &Document, expr: &Expr, today: NaiveDate) -> Option<String> {
    let id = match &expr.kind {
        ExprKind::Path(p) => p.text(),
        ExprKind::Str(s) => s.as_plain()?,
        _ => return None,
    };
    let Some(info) = runtimes::lookup(&id) else {
        let _ = doc;
        return Some(format!("`{id}` is not a Lambda runtime"));
    };
    let status = match info.lifecycle(today) {
        Lifecycle::Supported => "supported".to_string(),
        Lifecycle::Deprecated(d) => format!("deprecated since {d}, still creatable"),
        Lifecycle::CreateBlocked(d) => format!("new functions blocked since {d}"),
        Lifecycle::UpdateBlocked(d) => format!("updates blocked since {d}"),
    };
    let mut out = format!(
        "**{}** ({}) — {status}\n\n*deprecation:* {}",
        info.id,
        info.family.as_str(),
        info.deprecated
    );
    if let Some(d) = info.block_create {
        out.push_str(&format!("  \n*create blocked:* {d}"));
    }
    if let Some(d) = info.block_update {
        out.push_str(&format!("  \n*update blocked:* {d}"));
    }
    if let Some(s) = info.successor.filter(|s| *s != info.id) {
        out.push_str(&format!("  \n*successor:* {s}"));
    }
    out.push_str(&format!(
        "  \n*arm64:* {}",
        if info.arm64 { "yes" } else { "no" }
    ));
    Some(out)
}

/// The next fire times of `on schedule rate(…)|cron(…)|at(…)` in its time zone.
fn schedule(trigger: &Trigger, expr: &Expr) -> Option<String> {
    let ExprKind::Call { name, args } = &expr.kind else {
        return None;
    };
    let arg = args.first()?;
    let sched = match (name.name.as_str(), &arg.kind) {
        ("rate", ExprKind::Quantity(q)) => Schedule::Rate(u64::try_from(q.seconds()?).ok()?),
        ("cron", ExprKind::Str(s)) => Schedule::Cron(s.as_plain()?),
        ("at", ExprKind::Str(s)) => Schedule::At(s.as_plain()?),
        _ => return None,
    };
    let tz = trigger
        .block
        .as_ref()
        .and_then(|b| b.get("timezone"))
        .and_then(|e| match &e.value {
            EntryValue::Expr(Expr {
                kind: ExprKind::Str(s),
                ..
            }) => s.as_plain(),
            _ => None,
        });
    let times = match next_fire_times(&sched, tz.as_deref(), Utc::now(), FIRE_TIMES) {
        Ok(t) => t,
        Err(e) => return Some(format!("**schedule** — {e}")),
    };
    let zone: Tz = tz
        .as_deref()
        .and_then(|z| z.parse().ok())
        .unwrap_or(Tz::UTC);
    let mut out = format!("**next fire times** ({})\n", zone.name());
    if times.is_empty() {
        out.push_str("\nnever again");
    }
    for t in times {
        let local = t.with_timezone(&zone);
        out.push_str(&format!(
            "\n- {} ({} UTC)",
            local.format("%a %Y-%m-%d %H:%M %Z"),
            t.format("%H:%M")
        ));
    }
    Some(out)
}
