//! `name` on created resources: each service's naming rules (E0494: SQS-07, SNS-NAME,
//! S3-NAME, DDB-NAME, KIN-NAME), the `.fifo` suffix that FIFO queues and topics need and
//! others refuse (E0495), two resources of one kind with one name (E0311), and the warning that a named table or stream without `retain`
//! loses its data when renamed (W0561, CFN-18). A name with deploy-time parts is checked
//! as far as its known parts allow.

use std::collections::btree_map::{BTreeMap, Entry};

use crate::diag::{Code, Diagnostic};
use crate::model::{DeployStr, Kind, Model, Origin, Resource, Spec, S};
use crate::schema::limits::{
    NameRule, BUCKET_RESERVED_PREFIXES, BUCKET_RESERVED_SUFFIXES, BUS_RESERVED_NAME,
};
use crate::schema::name_rule;

use super::limit::Limit;
use super::util::string_replacement;
use super::RuleContext;

const FIFO: &str = ".fifo";

pub(crate) fn check(model: &Model, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    duplicates(model, out);
    for r in &model.resources {
        let (Origin::Created(spec), Some(n)) = (&r.origin, &r.options.name) else {
            continue;
        };
        let Some(rule) = name_rule(r.kind) else {
            continue;
        };
        let fifo = is_fifo(spec);
        if let Some(d) = fifo_suffix(r, n, rule, fifo) {
            // The suffix explains the `.` too: one mistake, one report.
            out.push(d);
        } else if let Some(d) = refused(ctx, r.kind, n, rule, fifo) {
            out.push(d);
        }
        if let Some(d) = unretained(r, n) {
            out.push(d);
        }
    }
}

/// E0311: two resources of one kind with the same literal name. Names are unique per
/// account and Region (per partition for buckets, S3-NAME), so the second create fails.
fn duplicates(model: &Model, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<(Kind, &str), &Resource> = BTreeMap::new();
    for r in &model.resources {
        let Some(name) = r.options.name.as_ref() else {
            continue;
        };
        let Some(text) = name.value.as_literal() else {
            continue;
        };
        let first = match seen.entry((r.kind, text)) {
            Entry::Vacant(v) => {
                v.insert(r);
                continue;
            }
            Entry::Occupied(o) => *o.get(),
        };
        let kind = r.kind.as_str();
        out.push(
            Diagnostic::new(
                Code::E0311,
                name.span,
                format!(
                    "{kind} `{}` has the name of {kind} `{}`",
                    r.name, first.name
                ),
            )
            .label(format!(
                "`{text}` is already {kind} `{}`'s name",
                first.name
            ))
            .secondary(
                first
                    .options
                    .name
                    .as_ref()
                    .map_or(first.name_span, |n| n.span),
                "named here first",
            )
            .help(format!(
                "give each {kind} its own name, or remove `name` from one of them"
            )),
        );
    }
}

fn is_fifo(spec: &Spec) -> bool {
    match spec {
        Spec::Queue(q) => q.is_fifo(),
        Spec::Topic(t) => t.fifo.as_ref().is_some_and(|f| f.value),
        _ => false,
    }
}

/// E0495: a FIFO queue or topic whose name does not end with `.fifo`, or another whose
/// name does (SQS-07, SNS-NAME). A name whose end is deploy-time is not judged.
fn fifo_suffix(r: &Resource, n: &S<DeployStr>, rule: &NameRule, fifo: bool) -> Option<Diagnostic> {
    if !rule.fifo_suffix || !matches!(n.value.parts().last(), Some(crate::model::Value::Str(_))) {
        return None;
    }
    let ends = n.value.ends_with(FIFO);
    let kind = r.kind.as_str();
    let d = match (fifo, ends) {
        (true, false) => Diagnostic::new(
            Code::E0495,
            n.span,
            format!("the name of a FIFO {kind} must end with `.fifo`"),
        )
        .label(format!("`{kind} {}` has `fifo = true`", r.name))
        .help(format!("write `name = \"{}.fifo\"`", n.value))
        .fix("add .fifo", n.span, format!("\"{}.fifo\"", n.value)),
        (false, true) => Diagnostic::new(
            Code::E0495,
            n.span,
            format!("only a FIFO {kind}'s name may end with `.fifo`"),
        )
        .label(format!("`{kind} {}` is not FIFO", r.name))
        .help(format!(
            "add `fifo = true` to make it a FIFO {kind}, or drop `.fifo` from the name"
        )),
        _ => return None,
    };
    Some(d.secondary(r.name_span, format!("{kind} declared here")))
}

/// E0494: the name is too short or too long, holds a character the service refuses or,
/// for a bucket, breaks one of S3's other rules.
fn refused(
    ctx: &RuleContext,
    kind: Kind,
    n: &S<DeployStr>,
    rule: &NameRule,
    fifo: bool,
) -> Option<Diagnostic> {
    // Deploy-time parts: pseudo-parameters stand as values of their shape for the
    // characters, and count as nothing for the length (a lower bound).
    let literal = n.value.as_literal();
    let whole = literal.is_some();
    let text = literal.map_or_else(|| n.value.known_text(), str::to_string);
    let chars = literal.map_or_else(|| n.value.known_chars(), |t| t.chars().count());
    let what = format!("{} name", kind.as_str());
    if (whole && chars < rule.min) || chars > rule.max {
        return Some(bad_length(ctx, n, &what, chars, whole, rule));
    }
    let body = if fifo {
        text.strip_suffix(FIFO).unwrap_or(&text)
    } else {
        &text
    };
    if let Some(bad) = body.chars().find(|c| !allowed(*c, rule)) {
        return Some(bad_char(ctx, n, &what, bad, rule, body.len() < text.len()));
    }
    if kind == Kind::Bus && text == BUS_RESERVED_NAME {
        return Some(
            Diagnostic::new(
                Code::E0494,
                n.span,
                format!("`{}` is not a valid {what}", n.value),
            )
            .label("every account already has the bus named `default`")
            .help(
                "give the bus a name of its own, or remove `name` to let lamc name it `STACK-NAME`",
            ),
        );
    }
    if kind == Kind::Bucket && whole {
        return bucket_problem(&text).map(|problem| {
            Diagnostic::new(Code::E0494, n.span, format!("`{}` is not a valid {what}", n.value))
                .label(problem)
                .help("follow S3's bucket naming rules, or remove `name` to let CloudFormation generate one")
        });
    }
    None
}

/// E0494 for a name of `chars` characters outside the rule's length (`whole`: every
/// character is known now, else `chars` is a minimum).
fn bad_length(
    ctx: &RuleContext,
    n: &S<DeployStr>,
    what: &str,
    chars: usize,
    whole: bool,
    rule: &NameRule,
) -> Diagnostic {
    let help = format!(
        "use a name of {} to {} characters, or remove `name` to let CloudFormation generate one",
        rule.min, rule.max
    );
    let limit = Limit::Length {
        code: Code::E0494,
        what,
        span: n.span,
        chars,
        unit: "characters",
        partly_known: !whole,
        min: rule.min,
        max: rule.max,
        help,
    };
    limit.diagnostic(ctx)
}

fn allowed(c: char, rule: &NameRule) -> bool {
    let letter = if rule.lowercase {
        c.is_ascii_lowercase()
    } else {
        c.is_ascii_alphabetic()
    };
    letter || c.is_ascii_digit() || rule.extra.contains(c)
}

/// What the rule allows, in words: "lowercase letters, digits, `.` and `-`".
fn allowed_text(rule: &NameRule) -> String {
    let letters = if rule.lowercase {
        "lowercase letters"
    } else {
        "letters"
    };
    let extra: Vec<String> = rule.extra.chars().map(|c| format!("`{c}`")).collect();
    format!("{letters}, digits, {}", extra.join(" and "))
}

fn bad_char(
    ctx: &RuleContext,
    n: &S<DeployStr>,
    what: &str,
    bad: char,
    rule: &NameRule,
    fifo: bool,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0494,
        n.span,
        format!("`{}` is not a valid {what}", n.value),
    )
    .label(format!(
        "`{bad}` is not allowed: only {}",
        allowed_text(rule)
    ));
    let Some(literal) = n.value.as_literal() else {
        return d.help(format!(
            "use only {} around the deploy-time values",
            allowed_text(rule)
        ));
    };
    let body = if fifo {
        &literal[..literal.len() - FIFO.len()]
    } else {
        literal
    };
    let mut cleaned: String = body
        .chars()
        .map(|c| {
            if rule.lowercase {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .map(|c| if allowed(c, rule) { c } else { '-' })
        .collect();
    if fifo {
        cleaned.push_str(FIFO);
    }
    d.help(format!("use \"{cleaned}\"")).fix(
        format!("use {cleaned}"),
        n.span,
        string_replacement(ctx, n.span, &cleaned),
    )
}

/// S3-NAME beyond length and characters, for a name known whole.
fn bucket_problem(name: &str) -> Option<String> {
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !edge(name.chars().next()) || !edge(name.chars().last()) {
        return Some("a bucket name begins and ends with a letter or digit".into());
    }
    if name.contains("..") {
        return Some("two periods in a row".into());
    }
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return Some("formatted as an IP address".into());
    }
    if let Some(p) = BUCKET_RESERVED_PREFIXES
        .iter()
        .find(|p| name.starts_with(*p))
    {
        return Some(format!("begins with `{p}`, which S3 keeps for itself"));
    }
    if let Some(s) = BUCKET_RESERVED_SUFFIXES.iter().find(|s| name.ends_with(*s)) {
        return Some(format!("ends with `{s}`, which S3 keeps for itself"));
    }
    None
}

/// W0561: a named table or stream without `retain`. Renaming it is a replacement:
/// CloudFormation creates the new one and deletes the old one with its items or records
/// (CFN-18). Queues (messages in transit) and topics (no data) are left alone, and so are
/// buckets: S3 refuses to delete a bucket that holds objects, which stay.
fn unretained(r: &Resource, n: &S<DeployStr>) -> Option<Diagnostic> {
    let data = match r.kind {
        Kind::Table => "its items",
        Kind::Stream => "its records",
        _ => return None,
    };
    if r.options.retain.is_some() {
        return None;
    }
    let kind = r.kind.as_str();
    Some(
        Diagnostic::new(
            Code::W0561,
            n.span,
            format!("renaming {kind} `{}` would delete {data}", r.name),
        )
        .label(format!(
            "a fixed name: a new name replaces the {kind}, and the old one is deleted with {data}"
        ))
        .help(format!(
            "add `retain = true` to `{kind} {}` to keep the old {kind} when it is replaced or removed",
            r.name
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::limits::{BUCKET_NAME, QUEUE_NAME, TABLE_NAME};

    #[test]
    fn bucket_rules_beyond_characters() {
        assert_eq!(bucket_problem("acme-reports"), None);
        for bad in [
            "-acme",
            "acme.",
            "a..b",
            "192.168.5.4",
            "xn--abc",
            "sthree-x",
            "x-s3alias",
            "x--ol-s3",
        ] {
            assert!(bucket_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn characters_follow_each_rule() {
        assert!(allowed('a', &BUCKET_NAME) && !allowed('A', &BUCKET_NAME));
        assert!(allowed('.', &TABLE_NAME) && !allowed('.', &QUEUE_NAME));
        assert!(allowed('_', &QUEUE_NAME) && !allowed('_', &BUCKET_NAME));
        assert_eq!(
            allowed_text(&BUCKET_NAME),
            "lowercase letters, digits, `.` and `-`"
        );
    }
}
