//! Names: explicit function names (FN-01) and the logical IDs derived from declaration
//! names (CFN-08, CFN-02, CFN-03: at most 255 characters).

use crate::diag::{Code, Diagnostic};
use crate::model::{DeployStr, Kind, Model, S};
use crate::naming::{kind_word, pascal_case};
use crate::source::Span;

use super::limit::Limit;
use super::util::string_replacement;
use super::RuleContext;
use crate::schema::limits::{MAX_FUNCTION_NAME, MAX_LOGICAL_ID};

fn name_char_ok(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

pub(crate) fn check(model: &Model, ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in &model.functions {
        logical_id(&f.name.value, kind_word(Kind::Function), f.name.span, out);
        let Some(n) = &f.function_name else { continue };
        let Some(literal) = n.value.as_literal() else {
            deploy_time_name(ctx, n, out);
            continue;
        };
        // FN-01: 1–64 characters of [A-Za-z0-9_-].
        let len = literal.chars().count();
        if len == 0 || len > MAX_FUNCTION_NAME {
            out.push(name_length(n.span, len, false).diagnostic(ctx));
        } else if !literal.chars().all(name_char_ok) {
            let cleaned: String = literal
                .chars()
                .map(|c| if name_char_ok(c) { c } else { '-' })
                .collect();
            out.push(
                Diagnostic::new(
                    Code::E0411,
                    n.span,
                    format!("`{literal}` is not a valid function name"),
                )
                .label("only letters, digits, `-` and `_` are allowed")
                .help(format!("use \"{cleaned}\""))
                .fix(
                    format!("use {cleaned}"),
                    n.span,
                    string_replacement(ctx, n.span, &cleaned),
                ),
            );
        }
    }
    for r in &model.resources {
        logical_id(&r.name, kind_word(r.kind), r.name_span, out);
    }
    for a in &model.alarms {
        if let Some(n) = &a.name {
            logical_id(&n.value, "Alarm", n.span, out);
        }
    }
    for o in &model.outputs {
        logical_id(&o.name.value, "", o.name.span, out);
    }
    for p in &model.params {
        logical_id(&p.name.value, "", p.name.span, out);
    }
}

/// FN-01: a function name of `chars` characters (at least, when `partly_known`) is too
/// short or too long.
fn name_length(span: Span, chars: usize, partly_known: bool) -> Limit<'static> {
    let help = if chars == 0 {
        "write a name, or remove `name` to let CloudFormation generate one"
    } else {
        "use a shorter name, or remove `name` to let CloudFormation generate one"
    };
    Limit::Length {
        code: Code::E0411,
        what: "function name",
        span,
        chars,
        unit: "characters",
        partly_known,
        min: 1,
        max: MAX_FUNCTION_NAME,
        help: help.into(),
    }
}

/// FN-01 for a name with deploy-time parts: the characters it certainly has (its literal
/// text, and pseudo-parameters as values of their shape) and its certain length.
fn deploy_time_name(ctx: &RuleContext, n: &S<DeployStr>, out: &mut Vec<Diagnostic>) {
    let known = n.value.known_chars();
    if known > MAX_FUNCTION_NAME {
        out.push(name_length(n.span, known, true).diagnostic(ctx));
    } else if let Some(bad) = n.value.known_text().chars().find(|c| !name_char_ok(*c)) {
        out.push(
            Diagnostic::new(
                Code::E0411,
                n.span,
                format!("`{}` is not a valid function name", n.value),
            )
            .label(format!(
                "`{bad}` is not allowed: only letters, digits, `-` and `_`"
            ))
            .help("use only letters, digits, `-` and `_` around the deploy-time values"),
        );
    }
}

/// CFN-08: the logical ID (PascalCase name + suffix) must fit in 255 characters.
fn logical_id(name: &str, suffix: &str, span: Span, out: &mut Vec<Diagnostic>) {
    let id_len = pascal_case(name).len() + suffix.len();
    if id_len > MAX_LOGICAL_ID {
        out.push(
            Diagnostic::new(
                Code::E0112,
                span,
                "name is too long for a CloudFormation logical ID",
            )
            .label(format!(
                "becomes a {id_len}-character logical ID; the limit is {MAX_LOGICAL_ID}"
            ))
            .help("use a shorter name"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    #[test]
    fn function_name_rules() {
        let mut kit = Kit::new();
        let mut ok = kit.function("ok");
        ok.function_name = Some(kit.text(&"a".repeat(64)));
        let mut long = kit.function("long");
        let l = kit.text(&"a".repeat(65));
        long.function_name = Some(l.clone());
        let mut bad = kit.function("bad");
        let b = kit.text("my.function");
        bad.function_name = Some(b.clone());
        let diags = kit.run(&model(vec![ok, long, bad]));
        let found = with_code(&diags, Code::E0411);
        assert_eq!(found.len(), 2, "{diags:#?}");
        assert_eq!(found[0].primary.span, l.span);
        assert_eq!(found[1].primary.span, b.span);
        assert_eq!(found[1].fixes[0].replacement, "\"my-function\"");
    }

    #[test]
    fn deploy_time_names_are_checked_for_what_they_certainly_have() {
        use crate::model::{Pseudo, Value};
        let mut kit = Kit::new();
        let named = |kit: &mut Kit, fname: &str, parts: Vec<Value>| {
            let mut f = kit.function(fname);
            let span = kit.span(fname);
            let text = DeployStr::from_value(Value::Concat(parts)).expect("a string");
            f.function_name = Some(S::new(text, span));
            (f, span)
        };
        let lit = |s: &str| Value::Str(s.into());
        let (ok, _) = named(
            &mut kit,
            "ok",
            vec![lit("orders-"), Value::Param("stage".into())],
        );
        let (region, _) = named(
            &mut kit,
            "region",
            vec![lit("orders-"), Value::Pseudo(Pseudo::Region)],
        );
        let (dotted, dotted_at) = named(
            &mut kit,
            "dotted",
            vec![lit("orders."), Value::Param("stage".into())],
        );
        let (suffix, suffix_at) = named(
            &mut kit,
            "suffix",
            vec![lit("orders-"), Value::Pseudo(Pseudo::UrlSuffix)],
        );
        let (long, long_at) = named(
            &mut kit,
            "long",
            vec![lit(&"a".repeat(65)), Value::Param("stage".into())],
        );
        let diags = kit.run(&model(vec![ok, region, dotted, suffix, long]));
        let spans: Vec<Span> = with_code(&diags, Code::E0411)
            .iter()
            .map(|d| d.primary.span)
            .collect();
        assert_eq!(spans, vec![dotted_at, suffix_at, long_at], "{diags:#?}");
    }

    #[test]
    fn logical_id_length() {
        // "Function" is 8 characters: a 247-character name fits, 248 does not.
        let mut kit = Kit::new();
        let ok = kit.function(&"a".repeat(247));
        none(&kit.run(&model(vec![ok])), Code::E0112);
        let mut kit = Kit::new();
        let long = kit.function(&"a".repeat(248));
        let span = long.name.span;
        assert_eq!(
            one(&kit.run(&model(vec![long])), Code::E0112).primary.span,
            span
        );
    }
}
