//! Environment variables: total size (FN-08), key syntax (FN-09) and reserved keys (FN-10).
//! Values that look like secrets are the `secrets` rule's (W0507).

use crate::diag::{Code, Diagnostic};
use crate::model::{Function, Value};
use crate::source::Span;

use super::RuleContext;
use crate::schema::limits::MAX_ENV_BYTES;

/// FN-10
pub const RESERVED_KEYS: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

/// The bytes of a value that are known at compile time. References (`bucket.x.name`,
/// `param.x`) resolve at deploy time: they count as zero, so the total is a lower
/// bound and an error is only reported when it is certain.
fn known_len(v: &Value) -> usize {
    match v {
        Value::Str(s) | Value::Number(s) => s.len(),
        Value::Bool(b) => {
            if *b {
                4
            } else {
                5
            }
        }
        Value::Concat(parts) => parts.iter().map(known_len).sum(),
        Value::List(_)
        | Value::Map(_)
        | Value::Attr { .. }
        | Value::Param(_)
        | Value::Pseudo(_) => 0,
    }
}

/// FN-09: a letter, then at least one more letter, digit or underscore.
pub fn key_syntax_ok(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && key.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A valid name close to `key`: other characters become `_`, and what precedes the first
/// letter goes (`_DEBUG` → `DEBUG`, `my-var` → `my_var`).
fn valid_name_like(key: &str) -> Option<String> {
    let cleaned: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .skip_while(|c| !c.is_ascii_alphabetic())
        .collect();
    key_syntax_ok(&cleaned).then_some(cleaned)
}

pub(crate) fn check(functions: &[Function], _ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in functions {
        keys(f, out);
        size(f, out);
    }
}

fn key_span(f: &Function, key: &str, fallback: Span) -> Span {
    f.env_key_spans.get(key).copied().unwrap_or(fallback)
}

fn keys(f: &Function, out: &mut Vec<Diagnostic>) {
    for (key, value) in &f.env {
        let span = key_span(f, key, value.span);
        if RESERVED_KEYS.contains(&key.as_str()) {
            // FN-10
            out.push(
                Diagnostic::new(Code::E0405, span, format!("`{key}` is reserved by Lambda"))
                    .label("Lambda sets this variable itself")
                    .help(format!(
                        "rename the variable, e.g. APP_{}",
                        key.trim_start_matches('_')
                    )),
            );
        } else if !key_syntax_ok(key) {
            // FN-09
            let d = Diagnostic::new(
                Code::E0438,
                span,
                format!("`{key}` is not a valid environment variable name"),
            )
            .label(
                "names start with a letter and use letters, digits and `_`, at least 2 characters",
            );
            let d = match valid_name_like(key).filter(|n| !f.env.contains_key(n)) {
                Some(name) => d.help(format!("rename the variable, e.g. `{name}`")).fix(
                    format!("rename to {name}"),
                    span,
                    name,
                ),
                None => d.help("rename the variable"),
            };
            out.push(d);
        }
    }
}

fn size(f: &Function, out: &mut Vec<Diagnostic>) {
    // FN-08: Σ len(key) + len(value) ≤ 4096 bytes.
    let mut total = 0usize;
    let mut crossing: Option<(&String, Span)> = None;
    let mut has_references = false;
    for (key, value) in &f.env {
        let n = known_len(&value.value);
        if !matches!(
            value.value,
            Value::Str(_) | Value::Number(_) | Value::Bool(_)
        ) {
            has_references = true;
        }
        total = total.saturating_add(key.len()).saturating_add(n);
        if total > MAX_ENV_BYTES && crossing.is_none() {
            crossing = Some((key, value.span));
        }
    }
    let Some((key, span)) = crossing else { return };
    let biggest = f
        .env
        .iter()
        .max_by_key(|(k, v)| k.len() + known_len(&v.value))
        .filter(|(k, _)| *k != key);
    let at_least = if has_references { "at least " } else { "" };
    let mut d = Diagnostic::new(
        Code::E0404,
        span,
        format!("environment variables take {at_least}{total} bytes, over the 4 KB limit"),
    )
    .label(format!(
        "`{key}` takes the total past {MAX_ENV_BYTES} bytes"
    ))
    .secondary(f.name.span, "in this function")
    .help("move large values to SSM Parameter Store or S3 and read them at start-up");
    if let Some((k, v)) = biggest {
        d = d.secondary(v.span, format!("`{k}` is the largest value"));
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{Attr, Kind, ResRef, S};

    fn set(kit: &mut Kit, f: &mut Function, key: &str, value: Value) -> (Span, S<Value>) {
        let ks = kit.span(key);
        let v = kit.s("\"…\"", value);
        f.env.insert(key.to_string(), v.clone());
        f.env_key_spans.insert(key.to_string(), ks);
        (ks, v)
    }

    #[test]
    fn size_boundary() {
        // key "BIG" (3) + value 4093 = 4096: allowed.
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        set(&mut kit, &mut f, "BIG", Value::Str("x".repeat(4093)));
        none(&kit.run(&model(vec![f])), Code::E0404);

        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let (_, v) = set(&mut kit, &mut f, "BIG", Value::Str("x".repeat(4094)));
        let d = one(&kit.run(&model(vec![f])), Code::E0404);
        assert_eq!(d.primary.span, v.span);
    }

    #[test]
    fn references_count_as_unknown() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        set(&mut kit, &mut f, "BIG", Value::Str("x".repeat(4090)));
        let target = ResRef {
            kind: Kind::Bucket,
            name: "b".into(),
        };
        set(
            &mut kit,
            &mut f,
            "NAME",
            Value::Attr {
                target,
                attr: Attr::Name,
            },
        );
        // 3 + 4090 + 4 (key only) = 4097 > 4096: certain even without the reference.
        let d = one(&kit.run(&model(vec![f])), Code::E0404);
        assert!(d.message.contains("at least"));
    }

    #[test]
    fn reserved_and_invalid_keys() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let (reserved, _) = set(&mut kit, &mut f, "AWS_REGION", Value::Str("x".into()));
        let (bad, _) = set(&mut kit, &mut f, "my-var", Value::Str("x".into()));
        let (short, _) = set(&mut kit, &mut f, "A", Value::Str("x".into()));
        set(&mut kit, &mut f, "A1", Value::Str("x".into()));
        let diags = kit.run(&model(vec![f]));
        assert_eq!(one(&diags, Code::E0405).primary.span, reserved);
        let found = with_code(&diags, Code::E0438);
        let spans: Vec<Span> = found.iter().map(|d| d.primary.span).collect();
        assert_eq!(spans, vec![short, bad], "{diags:#?}");
        let fix = found
            .iter()
            .find(|d| d.primary.span == bad)
            .map(|d| d.fixes[0].replacement.clone());
        assert_eq!(fix.as_deref(), Some("my_var"));
    }

    #[test]
    fn an_invalid_key_is_answered_with_a_valid_one_near_it() {
        assert_eq!(valid_name_like("_DEBUG").as_deref(), Some("DEBUG"));
        assert_eq!(valid_name_like("1st-try").as_deref(), Some("st_try"));
        assert_eq!(valid_name_like("my.var").as_deref(), Some("my_var"));
        assert_eq!(valid_name_like("_A"), None);
        assert_eq!(valid_name_like("__"), None);
    }
}
