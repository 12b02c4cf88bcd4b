//! `on …` lines, as SAM events and serverless.yml events both become them.

use serde_json::Value;

use super::intrinsics::number;
use super::resources::Writer;
use super::write::{self, Member};
use crate::schema::limits::fmt_seconds;

/// `on HEAD` with its options in one block (`on sqs queue.jobs { batch = 10 }`).
pub fn line(head: &str, opts: &[String]) -> Member {
    if opts.is_empty() {
        Member::Line(format!("on {head}"))
    } else {
        Member::Line(format!("on {head} {{ {} }}", opts.join(", ")))
    }
}

/// `http "METHOD /path"` for a route of the original (`rest`: of a REST API), with comments
/// for what changes: a REST route becomes an HTTP API route, a route without a path (the
/// API's `$default`) every path. `None` (and a comment) for a method lamc has no word for.
pub fn http_head(
    w: &mut Writer,
    at: &str,
    method: &str,
    path: Option<&str>,
    rest: bool,
) -> Option<String> {
    if !known_method(method) {
        w.skip(format!("{at}: method {method}"));
        return None;
    }
    if rest {
        w.body.push(Member::Comment(format!(
            "{at}: a REST API route in the original, an HTTP API route here: usage plans, API keys, request validation and models do not come across"
        )));
    }
    let path = path.unwrap_or_else(|| {
        w.body.push(Member::Comment(format!(
            "{at}: the API's `$default` route in the original, every path here"
        )));
        "/{proxy+}"
    });
    Some(format!("http {}", route(method, path)))
}

/// `"METHOD /path"` of an http trigger: the method upper-cased (`any` and `*` are `ANY`),
/// the path with a leading `/` and API Gateway's `{param}` for `:param`.
pub fn route(method: &str, path: &str) -> String {
    let method = match method.trim() {
        "*" | "" => "ANY".to_string(),
        m => m.to_ascii_uppercase(),
    };
    let path = path.trim();
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    let path = crate::spelling::route_parameters(&path).unwrap_or(path);
    write::string(&format!("{method} {path}"))
}

/// Whether lamc takes the method (`GET`, …, `ANY`).
pub fn known_method(method: &str) -> bool {
    let m = method.trim().to_ascii_uppercase();
    m == "*" || crate::schema::METHODS.contains(&m.as_str())
}

/// A schedule as SAM and serverless.yml write it (`rate(5 minutes)`, `cron(0 12 * * ? *)`)
/// in lamc's spelling.
pub fn schedule(expr: &str) -> Option<String> {
    crate::spelling::schedule_expression(expr)
}

/// S3 event names as lamc writes them: a family's word (`created`) or S3's own name.
pub fn s3_events(v: &Value) -> Vec<String> {
    let names: Vec<String> = match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    names
        .iter()
        .map(|n| match crate::schema::S3_EVENT.word_for(n) {
            Some(w) => w.to_string(),
            None => write::string(n),
        })
        .collect()
}

/// `start = latest` from `LATEST`.
pub fn start(cfn: &str) -> Option<String> {
    crate::schema::START_POSITION
        .word_for(cfn)
        .map(|w| format!("start = {w}"))
}

/// `KEY = Ns` (as the largest exact unit) for a number of seconds.
pub fn seconds(key: &str, v: &Value) -> Option<String> {
    number(v).map(|n| format!("{key} = {}", fmt_seconds(n)))
}

/// `on event { pattern = { … }, input = { … }, enabled = false }`: an EventBridge rule on
/// the default bus. `pattern` and `input` must be literal JSON (an object; `input` may be
/// JSON text, as SAM writes it); `Err` says what does not come across.
pub fn event_rule(
    pattern: Option<&Value>,
    input: Option<&Value>,
    enabled: bool,
) -> Result<Member, String> {
    let pattern = pattern
        .filter(|p| p.as_object().is_some_and(|m| !m.is_empty()))
        .ok_or("no event pattern lamc can read")?;
    let pattern = map_literal(pattern).ok_or("a pattern with values lamc must know")?;
    let mut opts = vec![format!("pattern = {pattern}")];
    if let Some(i) = input {
        let parsed = match i {
            Value::String(text) => serde_json::from_str::<Value>(text).ok(),
            other => Some(other.clone()),
        };
        let input = parsed
            .filter(Value::is_object)
            .as_ref()
            .and_then(map_literal)
            .ok_or("an input lamc cannot read")?;
        opts.push(format!("input = {input}"));
    }
    if !enabled {
        opts.push("enabled = false".into());
    }
    Ok(line("event", &opts))
}

/// An [`event_rule`] line moved onto the bus `bus` (`bus.orders`): `on event bus.orders …`.
pub fn on_bus(rule: Member, bus: &str) -> Member {
    match rule {
        Member::Line(l) => match l.strip_prefix("on event") {
            Some(rest) => Member::Line(format!("on event {bus}{rest}")),
            None => Member::Line(l),
        },
        other => other,
    }
}

/// Whether `v` is an intrinsic function (`{"Ref": …}`, `{"Fn::Sub": …}`).
fn is_intrinsic(v: &serde_json::Map<String, Value>) -> bool {
    v.len() == 1
        && v.keys().all(|k| {
            k == "Ref"
                || k == "Condition"
                || k.starts_with("Fn::")
                || k.starts_with("serverless variable")
        })
}

/// A JSON object (a schedule's `Input`, which SAM writes as JSON text) as a lamc map;
/// `None` when it holds an intrinsic or a null.
pub fn map_literal(v: &Value) -> Option<String> {
    match v {
        Value::Object(m) if is_intrinsic(m) => None,
        Value::Object(m) => {
            let mut entries = Vec::new();
            for (k, v) in m {
                entries.push(format!("{} = {}", map_key(k), map_literal(v)?));
            }
            Some(format!("{{ {} }}", entries.join(", ")))
        }
        Value::Array(items) => {
            let items: Option<Vec<String>> = items.iter().map(map_literal).collect();
            Some(format!("[{}]", items?.join(", ")))
        }
        Value::String(s) => Some(write::string(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => None,
    }
}

/// A map key: a lamc name as it is, anything else quoted.
pub fn map_key(k: &str) -> String {
    let plain = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        k.to_string()
    } else {
        write::string(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn event_rules() {
        let pattern = json!({"source": ["shop"], "detail-type": ["order"]});
        assert_eq!(
            event_rule(Some(&pattern), Some(&json!("{\"k\": 1}")), false),
            Ok(Member::Line("on event { pattern = { source = [\"shop\"], \"detail-type\" = [\"order\"] }, input = { k = 1 }, enabled = false }".into()))
        );
        assert!(event_rule(Some(&json!({})), None, true).is_err());
        assert!(event_rule(None, None, true).is_err());
        assert!(event_rule(
            Some(&json!({"detail": {"bucket": {"Ref": "B"}}})),
            None,
            true
        )
        .is_err());
    }

    #[test]
    fn routes_schedules_and_events() {
        assert_eq!(route("get", "/hello"), "\"GET /hello\"");
        assert_eq!(route("any", "users/:id"), "\"ANY /users/{id}\"");
        assert_eq!(route("*", "/{proxy+}"), "\"ANY /{proxy+}\"");
        assert!(known_method("post") && !known_method("CONNECT"));
        assert_eq!(schedule("rate(1 hour)").as_deref(), Some("rate(1h)"));
        assert_eq!(
            s3_events(&json!(["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"])),
            ["created", "\"s3:ObjectRemoved:Delete\""]
        );
        assert_eq!(
            start("TRIM_HORIZON").as_deref(),
            Some("start = trim_horizon")
        );
        assert_eq!(
            map_literal(&json!({"a": 1, "b c": ["x"]})).as_deref(),
            Some("{ a = 1, \"b c\" = [\"x\"] }")
        );
    }
}
