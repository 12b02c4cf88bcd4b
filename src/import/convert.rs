//! The conversions of [`super::settings`] that one row cannot say: a code location, a
//! runtime that may have been retired, groups of keys that become one block
//! (`concurrency`, `async`, `url`, `logging`), and the references lamc checks
//! (`dead_letter`). Each reads a value of the original and writes lamc lines, or a
//! `# not imported:` comment, into the [`Writer`].

use serde_json::Value;

use super::intrinsics::{literal, number};
use super::resources::{self, is_true, shown, Writer};
use super::settings::Input;
use super::triggers;
use super::write::{self, Member};
use crate::check::rules::runtimes::{self, Lifecycle};
use crate::check::rules::versions::alias_name_problem;
use crate::model::{Kind, Tracing, UpdateMode};
use crate::schema::limits::fmt_seconds;
use crate::schema::{
    DEFAULT_ALIAS, INVOKE_MODE_BUFFERED, INVOKE_MODE_STREAM, LOG_FORMAT, LOG_LEVEL,
    RUNTIME_UPDATES, RUNTIME_UPDATE_MODES, SYSTEM_LOG_LEVEL, TRACING, TRACING_MODES,
};

/// A conversion: the value of the row's key (`Null` when only a key read with it is
/// there), and what else it may read.
pub type Convert = fn(&mut Writer, &Value, &Input);

/// An expression where lamc takes a string: a lone path as `"${path}"`.
pub fn quoted(e: &str) -> String {
    if e.starts_with('"') {
        e.to_string()
    } else {
        format!("\"${{{e}}}\"")
    }
}

/// `runtime = …`; a runtime that can no longer be created becomes its family's successor,
/// with a comment saying so.
pub fn runtime(w: &mut Writer, r: &Value, input: &Input) {
    let Some(id) = r.as_str() else {
        return w.skip(format!("{} ({})", input.key, shown(r)));
    };
    let Some(info) = runtimes::lookup(id) else {
        return w.skip(format!("{} {id} (not a runtime lamc knows)", input.key));
    };
    match (info.lifecycle(input.today), info.successor) {
        (Lifecycle::CreateBlocked(since) | Lifecycle::UpdateBlocked(since), Some(next)) => {
            w.body.push(Member::Comment(format!(
                "Runtime {id}: Lambda no longer creates functions on it (since {since}); {next} instead"
            )));
            w.line(format!("runtime = {next}"));
        }
        _ => w.line(format!("runtime = {id}")),
    }
}

/// `code = inline("""…""")`, in the plain form unless the text holds what it cannot.
fn inline(w: &mut Writer, c: &str) {
    let call = if c.contains("\"\"\"")
        || c.chars()
            .any(|ch| ch.is_control() && ch != '\n' && ch != '\t')
    {
        format!("inline({})", write::string(c))
    } else {
        format!("inline(\"\"\"{c}\"\"\")")
    };
    w.line(format!("code = {call}"));
}

fn image_uri(w: &mut Writer, key: &str, i: &Value) {
    match w.scope.expr(i) {
        Ok(e) => w.line(format!("code = image({})", quoted(&e))),
        Err(why) => w.skip(format!("{key} ({why})")),
    }
}

fn s3_object(w: &mut Writer, key: &str, bucket: &Value, object: &Value) {
    match (w.scope.expr(bucket), w.scope.expr(object)) {
        (Ok(b), Ok(k)) => w.line(format!("code = s3({}, {})", quoted(&b), quoted(&k))),
        _ => w.skip(format!("{key} ({}, {})", shown(bucket), shown(object))),
    }
}

/// SAM's `InlineCode`, `ImageUri` or `CodeUri` (a folder, `s3://b/k` or `{Bucket, Key}`).
pub fn sam_code(w: &mut Writer, _: &Value, input: &Input) {
    let props = input.props;
    if let Some(c) = props.get("InlineCode").and_then(Value::as_str) {
        return inline(w, c);
    }
    if let Some(i) = props.get("ImageUri") {
        return image_uri(w, "ImageUri", i);
    }
    let Some(c) = props.get("CodeUri") else {
        return;
    };
    match c {
        Value::String(s) => match s.strip_prefix("s3://").and_then(|r| r.split_once('/')) {
            Some((bucket, key)) => w.line(format!(
                "code = s3({}, {})",
                write::string(bucket),
                write::string(key)
            )),
            None => {
                let path = s.trim_end_matches('/');
                let path = if path.is_empty() { "." } else { path };
                w.line(format!("code = {}", write::string(path)));
            }
        },
        Value::Object(m) if m.contains_key("Bucket") && m.contains_key("Key") => {
            s3_object(w, "CodeUri", &m["Bucket"], &m["Key"])
        }
        other => w.skip(format!("CodeUri ({})", shown(other))),
    }
}

/// CloudFormation's `Code`: `ZipFile`, `S3Bucket` + `S3Key`, or `ImageUri`.
pub fn cfn_code(w: &mut Writer, c: &Value, _: &Input) {
    if let Some(z) = c.get("ZipFile").and_then(Value::as_str) {
        inline(w, z);
    } else if let (Some(b), Some(k)) = (c.get("S3Bucket"), c.get("S3Key")) {
        s3_object(w, "Code", b, k);
    } else if let Some(i) = c.get("ImageUri") {
        image_uri(w, "Code.ImageUri", i);
    } else {
        w.skip(format!("Code ({})", shown(c)));
    }
    for k in ["S3ObjectVersion", "SourceKMSKeyArn"] {
        if c.get(k).is_some() {
            w.skip(format!("Code.{k}"));
        }
    }
}

/// serverless.yml's `image`: a URI (or `{uri}`); one the Framework builds stays a comment.
pub fn image(w: &mut Writer, image: &Value, _: &Input) {
    match image
        .as_str()
        .or_else(|| image.get("uri").and_then(Value::as_str))
    {
        Some(uri) => w.line(format!("code = image({})", write::string(uri))),
        None => w.skip(format!(
            "image ({}: the Framework builds it; give its URI as code = image(\"…\"))",
            shown(image)
        )),
    }
}

pub fn layers(w: &mut Writer, l: &Value, input: &Input) {
    let mut list = Vec::new();
    for layer in l.as_array().into_iter().flatten() {
        // A layer of the template is listed as itself, not by its ARN.
        if let Some(t) = w.scope.target(layer).filter(|t| t.kind == Kind::Layer) {
            list.push(t.path());
            continue;
        }
        match w.scope.expr(layer) {
            Ok(e) => list.push(quoted(&e)),
            Err(why) => w.skip(format!(
                "{}: {why} (a layer lamc cannot declare)",
                input.key
            )),
        }
    }
    if !list.is_empty() {
        w.line(format!("layers = [{}]", list.join(", ")));
    }
}

/// SAM's and CloudFormation's `Environment.Variables`.
pub fn environment(w: &mut Writer, e: &Value, input: &Input) {
    variables(w, e.get("Variables").unwrap_or(&Value::Null), input);
}

/// `env { NAME = … }` from a mapping of variables.
pub fn variables(w: &mut Writer, vars: &Value, input: &Input) {
    let Some(vars) = vars.as_object() else { return };
    let mut body = Vec::new();
    for (k, v) in vars {
        match w.scope.expr(v) {
            Ok(e) => body.push(Member::Line(format!("{} = {e}", triggers::map_key(k)))),
            Err(why) => w
                .notes
                .skip(&mut body, format!("{}.Variables.{k} ({why})", input.key)),
        }
    }
    if !body.is_empty() {
        w.body.push(Member::Block("env".into(), body));
    }
}

pub(super) fn tags<'v>(
    w: &mut Writer,
    entries: impl Iterator<Item = (String, &'v Value)>,
    key: &str,
) {
    let mut out = Vec::new();
    for (k, v) in entries {
        match w.scope.expr(v) {
            Ok(e) => out.push(format!("{} = {e}", triggers::map_key(&k))),
            Err(why) => w.skip(format!("{key}.{k} ({why})")),
        }
    }
    if !out.is_empty() {
        w.line(format!("tags = {{ {} }}", out.join(", ")));
    }
}

/// `Tags: {k: v}` (SAM, serverless.yml).
pub fn tag_map(w: &mut Writer, t: &Value, input: &Input) {
    let Some(m) = t.as_object() else {
        return w.skip(format!("{} ({})", input.key, shown(t)));
    };
    tags(w, m.iter().map(|(k, v)| (k.clone(), v)), input.key);
}

/// `Tags: [{Key, Value}]` (CloudFormation).
pub fn tag_list(w: &mut Writer, t: &Value, input: &Input) {
    tag_pairs(w, t, input.key);
}

/// `Tags: [{Key, Value}]` under the key `key` (a function's or a resource's).
pub fn tag_pairs(w: &mut Writer, t: &Value, key: &str) {
    let mut entries = Vec::new();
    for item in t.as_array().into_iter().flatten() {
        match (item.get("Key").and_then(literal), item.get("Value")) {
            (Some(k), Some(v)) => entries.push((k, v)),
            _ => w.skip(format!("{key} ({})", shown(item))),
        }
    }
    tags(w, entries.into_iter(), key);
}

fn concurrency_line(w: &mut Writer, reserved: Option<u64>, provisioned: Option<u64>) {
    let mut opts = Vec::new();
    if let Some(n) = reserved {
        opts.push(format!("reserved = {n}"));
    }
    if let Some(n) = provisioned {
        opts.push(format!("provisioned = {n}"));
    }
    if !opts.is_empty() {
        w.line(format!("concurrency {{ {} }}", opts.join(", ")));
    }
}

/// `ReservedConcurrentExecutions` and SAM's `ProvisionedConcurrencyConfig`.
pub fn sam_concurrency(w: &mut Writer, _: &Value, input: &Input) {
    let p = input.props;
    let provisioned = p
        .get("ProvisionedConcurrencyConfig")
        .and_then(|p| p.get("ProvisionedConcurrentExecutions"))
        .and_then(number);
    let reserved = p.get("ReservedConcurrentExecutions").and_then(number);
    concurrency_line(w, reserved, provisioned);
}

/// serverless.yml's `reservedConcurrency` and `provisionedConcurrency`.
pub fn serverless_concurrency(w: &mut Writer, _: &Value, input: &Input) {
    let p = input.props;
    let reserved = p.get("reservedConcurrency").and_then(number);
    concurrency_line(
        w,
        reserved,
        p.get("provisionedConcurrency").and_then(number),
    );
}

/// SAM's `AutoPublishAlias`: `publish = true` (unless provisioned concurrency or SnapStart
/// publish the version already) and `alias = "NAME"` unless it is lamc's `live`.
pub fn publish(w: &mut Writer, v: &Value, input: &Input) {
    let name = v.as_str().filter(|n| alias_name(n));
    let Some(name) = name else {
        return w.skip(format!(
            "AutoPublishAlias ({}: lamc's alias is a literal name)",
            shown(v)
        ));
    };
    let p = input.props;
    let snap = p
        .get("SnapStart")
        .and_then(|s| s.get("ApplyOn"))
        .and_then(Value::as_str)
        == Some("PublishedVersions");
    if p.contains_key("ProvisionedConcurrencyConfig") || snap {
        let by = if snap {
            "snap_start"
        } else {
            "provisioned concurrency"
        };
        w.body.push(Member::Comment(format!(
            "AutoPublishAlias {name}: {by} publishes the version in lamc"
        )));
    } else {
        w.line("publish = true".into());
    }
    if name != DEFAULT_ALIAS {
        w.line(format!("alias = {}", write::string(name)));
    }
}

/// An alias name lamc accepts (VA-03, E0468).
fn alias_name(n: &str) -> bool {
    alias_name_problem(n).is_none()
}

/// `EventInvokeConfig` → `async { retries, max_age, on_success, on_failure }`.
pub fn event_invoke(w: &mut Writer, c: &Value, _: &Input) {
    let mut opts = Vec::new();
    if let Some(n) = c.get("MaximumRetryAttempts").and_then(number) {
        opts.push(format!("retries = {n}"));
    }
    if let Some(s) = c
        .get("MaximumEventAgeInSeconds")
        .and_then(|v| triggers::seconds("max_age", v))
    {
        opts.push(s);
    }
    for (key, ours) in [("OnSuccess", "on_success"), ("OnFailure", "on_failure")] {
        let Some(d) = c.get("DestinationConfig").and_then(|d| d.get(key)) else {
            continue;
        };
        match d.get("Destination").and_then(|v| w.scope.target(v)) {
            Some(t) if t.kind != Kind::Api => opts.push(format!("{ours} = {}", t.path())),
            _ => w.skip(format!(
                "EventInvokeConfig.DestinationConfig.{key} ({})",
                shown(d)
            )),
        }
    }
    if !opts.is_empty() {
        w.line(format!("async {{ {} }}", opts.join(", ")));
    }
}

/// serverless.yml's `maximumRetryAttempts`, `maximumEventAge` and `destinations`.
pub fn serverless_async(w: &mut Writer, _: &Value, input: &Input) {
    let f = input.props;
    let mut opts = Vec::new();
    if let Some(n) = f.get("maximumRetryAttempts").and_then(number) {
        opts.push(format!("retries = {n}"));
    }
    if let Some(n) = f.get("maximumEventAge").and_then(number) {
        opts.push(format!("max_age = {}", fmt_seconds(n)));
    }
    for (key, ours) in [("onSuccess", "on_success"), ("onFailure", "on_failure")] {
        let Some(d) = f.get("destinations").and_then(|d| d.get(key)) else {
            continue;
        };
        let target = match d {
            Value::String(name) if !name.starts_with("arn:") => {
                let id = super::serverless::function_logical_id(name);
                w.scope.decls.get(&id).cloned()
            }
            Value::Object(m) => m.get("arn").and_then(|a| w.scope.target(a)),
            other => w.scope.target(other),
        };
        match target {
            Some(t) => opts.push(format!("{ours} = {}", t.path())),
            None => w.skip(format!("destinations.{key} ({})", shown(d))),
        }
    }
    if !opts.is_empty() {
        w.line(format!("async {{ {} }}", opts.join(", ")));
    }
}

/// SAM's `FunctionUrlConfig` → `url { auth, public, cors, stream }`.
pub fn url(w: &mut Writer, c: &Value, _: &Input) {
    let iam = c.get("AuthType").and_then(Value::as_str) == Some("AWS_IAM");
    let mut body = url_auth(iam);
    if let Some(cors) = c.get("Cors") {
        match resources::cors(cors, w.scope) {
            Some(block) => body.push(block),
            None => w.skip(format!("FunctionUrlConfig.Cors ({})", shown(cors))),
        }
    }
    match c.get("InvokeMode") {
        None => {}
        Some(m) => match invoke_mode(m) {
            Some(line) => body.extend(line),
            None => w.skip(format!("FunctionUrlConfig.InvokeMode {}", shown(m))),
        },
    }
    w.body.push(Member::Block("url".into(), body));
}

/// A URL's `InvokeMode`: `RESPONSE_STREAM` is `stream = true`, `BUFFERED` lamc's default;
/// `None` for a value lamc does not know.
fn invoke_mode(m: &Value) -> Option<Option<Member>> {
    match m.as_str()? {
        INVOKE_MODE_BUFFERED => Some(None),
        INVOKE_MODE_STREAM => Some(Some(Member::Line("stream = true".into()))),
        _ => None,
    }
}

/// `auth = iam`, or `auth = none` with `public = true` (anyone may call it, as the
/// original said).
pub fn url_auth(iam: bool) -> Vec<Member> {
    if iam {
        vec![Member::Line("auth = iam".into())]
    } else {
        vec![
            Member::Line("auth = none".into()),
            Member::Line("public = true".into()),
        ]
    }
}

/// serverless.yml's `url: true` or `url: { authorizer: aws_iam, cors, invokeMode }`.
pub fn serverless_url(w: &mut Writer, u: &Value, _: &Input) {
    if !is_true(u) && !u.is_object() {
        return;
    }
    let iam = u.get("authorizer").and_then(Value::as_str) == Some("aws_iam");
    let mut body = url_auth(iam);
    if let Some(c) = u.get("cors") {
        if is_true(c) {
            body.push(Member::Line("cors { origins = [\"*\"] }".into()));
        } else {
            w.skip(format!("url.cors ({})", shown(c)));
        }
    }
    if let Some(m) = u.get("invokeMode") {
        match invoke_mode(m) {
            Some(line) => body.extend(line),
            None => w.skip(format!("url.invokeMode ({})", shown(m))),
        }
    }
    w.body.push(Member::Block("url".into(), body));
}

/// serverless.yml's `tracing` (a provider's `{ lambda: … }` or a function's value).
pub fn serverless_tracing(w: &mut Writer, t: &Value, _: &Input) {
    let v = t.get("lambda").unwrap_or(t);
    if t.is_object() && t.get("lambda").is_none() {
        return;
    }
    // `true` is serverless.yml's own spelling of active tracing.
    let word = if is_true(v) {
        Some(TRACING.word_of(TRACING_MODES, &Tracing::Active))
    } else {
        v.as_str().and_then(|s| TRACING.word_for(s))
    };
    match word {
        Some(word) => w.line(format!("tracing = {word}")),
        None if matches!(v, Value::Bool(false)) => {}
        None => w.skip(format!("tracing ({})", shown(t))),
    }
}

/// `RuntimeManagementConfig` (`UpdateRuntimeOn`, `RuntimeVersionArn`) → `runtime_updates`.
pub fn runtime_updates(w: &mut Writer, c: &Value, input: &Input) {
    let mode = c.get("UpdateRuntimeOn").and_then(Value::as_str);
    let word = mode.and_then(|m| RUNTIME_UPDATES.word_for(m));
    updates_line(w, word, c.get("RuntimeVersionArn"), c, input.key);
}

/// serverless.yml's `runtimeManagement`: `auto`, `onFunctionUpdate`, or `{ mode: manual,
/// arn }`.
pub fn serverless_runtime_updates(w: &mut Writer, v: &Value, input: &Input) {
    let mode = v.as_str().or_else(|| v.get("mode").and_then(Value::as_str));
    // serverless.yml's modes, in CloudFormation's spelling (`UpdateRuntimeOn`).
    let cfn = match mode {
        Some("auto") => Some("Auto"),
        Some("onFunctionUpdate") => Some("FunctionUpdate"),
        Some("manual") => Some("Manual"),
        _ => None,
    };
    let word = cfn.and_then(|m| RUNTIME_UPDATES.word_for(m));
    updates_line(w, word, v.get("arn"), v, input.key);
}

fn updates_line(w: &mut Writer, word: Option<&str>, arn: Option<&Value>, v: &Value, key: &str) {
    let manual = RUNTIME_UPDATES.word_of(RUNTIME_UPDATE_MODES, &UpdateMode::Manual);
    match (word, arn.map(|a| w.scope.expr(a))) {
        (Some(word), Some(Ok(a))) if word == manual => {
            w.line(format!("runtime_updates = {manual}({})", quoted(&a)))
        }
        (Some(word), _) if word != manual => w.line(format!("runtime_updates = {word}")),
        _ => w.skip(format!("{key} ({})", shown(v))),
    }
}

/// SAM's `DeadLetterQueue` / CloudFormation's `DeadLetterConfig` (`TargetArn`).
pub fn dead_letter(w: &mut Writer, c: &Value, input: &Input) {
    match c.get("TargetArn") {
        Some(arn) => dead_letter_to(w, arn, input.key),
        None => w.skip(format!("{} ({})", input.key, shown(c))),
    }
}

/// serverless.yml's `onError`: the dead-letter queue's or topic's ARN.
pub fn dead_letter_arn(w: &mut Writer, arn: &Value, input: &Input) {
    dead_letter_to(w, arn, input.key);
}

fn dead_letter_to(w: &mut Writer, arn: &Value, key: &str) {
    let target = w
        .scope
        .source(arn)
        .filter(|t| matches!(t.kind, Kind::Queue | Kind::Topic));
    match target {
        Some(t) => w.line(format!("dead_letter = {}", t.path())),
        None => w.skip(format!(
            "{key} (a queue or topic lamc cannot name: {})",
            shown(arn)
        )),
    }
}

/// `LoggingConfig` → `logging { format, level, system_level, group }`.
pub fn logging(w: &mut Writer, c: &Value, input: &Input) {
    let Some(m) = c.as_object() else {
        return w.skip(format!("{} ({})", input.key, shown(c)));
    };
    let mut opts = Vec::new();
    for (k, v) in m {
        let words = match k.as_str() {
            "LogFormat" => Some(("format", &LOG_FORMAT)),
            "ApplicationLogLevel" => Some(("level", &LOG_LEVEL)),
            "SystemLogLevel" => Some(("system_level", &SYSTEM_LOG_LEVEL)),
            _ => None,
        };
        let line = match (k.as_str(), words) {
            (_, Some((ours, words))) => v
                .as_str()
                .and_then(|s| words.word_for(s))
                .map(|word| format!("{ours} = {word}")),
            ("LogGroup", _) => w
                .scope
                .expr(v)
                .ok()
                .map(|g| format!("group = {}", quoted(&g))),
            _ => None,
        };
        match line {
            Some(l) => opts.push(l),
            None => w.skip(format!("{}.{k} ({})", input.key, shown(v))),
        }
    }
    if !opts.is_empty() {
        w.line(format!("logging {{ {} }}", opts.join(", ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_names_lamc_accepts() {
        assert!(alias_name("live"));
        assert!(alias_name("prod-2"));
        assert!(!alias_name("12"));
        assert!(!alias_name(""));
        assert!(!alias_name("a.b"));
    }
}
