//! A Serverless Framework (v3/v4) `serverless.yml` as a lamc program: `service` → `app`,
//! `provider` → `defaults` (and a template with the provider's IAM statements), `functions`
//! → `function` with their events as `on …` lines, `resources.Resources` → declarations,
//! variables → parameters or constants ([`super::variables`]).

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::intrinsics::{Scope, Target};
use super::options;
use super::policies;
use super::resources::{self, is_true, shown, Writer};
use super::settings::{self, Row};
use super::triggers;
use super::variables;
use super::write::{self, snake, Member, Notes};
use crate::model::Kind;

/// SLS-01: what the Framework gives a function that sets no memory or timeout.
const FRAMEWORK_MEMORY_MB: u64 = 1024;
const FRAMEWORK_TIMEOUT_S: u64 = 6;

/// The template that carries `provider.iam.role.statements` to every function.
const PROVIDER_TEMPLATE: &str = "provider_iam";

/// Top-level keys read here (`custom` through variables); the others are reported.
const SECTIONS: &[&str] = &[
    "service",
    "provider",
    "functions",
    "resources",
    "custom",
    "frameworkVersion",
    "configValidationMode",
    "variablesResolutionMode",
    "org",
    "app",
    "layers",
];

/// Provider keys read here besides the function settings it shares (`name` must be
/// `aws`; `stage` and `region` are read through variables).
const PROVIDER_KEYS: &[&str] = &[
    "name",
    "stage",
    "region",
    "iam",
    "iamRoleStatements",
    "versionFunctions",
    "httpApi",
    "logs",
];

/// Whether `key` of `provider` is read: its own keys and the shared function settings.
fn provider_key(key: &str) -> bool {
    PROVIDER_KEYS.contains(&key)
        || settings::SERVERLESS
            .iter()
            .any(|r| r.key == key && !r.function_only)
}

/// The program for the serverless.yml `config`.
pub fn import(config: &Map<String, Value>, today: NaiveDate, notes: &mut Notes) -> Vec<Member> {
    let (resolved, params) = variables::resolve(&Value::Object(config.clone()));
    let config = resolved.as_object().cloned().unwrap_or_default();
    let empty = Map::new();
    let section = |v| section(v, &empty);
    let provider = section(config.get("provider"));
    let functions = section(config.get("functions"));
    let cfn = section(config.get("resources").and_then(|r| r.get("Resources")));

    let mut scope = Scope::default();
    let mut out = head(&config, &params, &mut scope, notes);
    declare_names(
        &config, provider, functions, cfn, &mut scope, notes, &mut out,
    );
    let api = super::sls_apis::serverless(provider, routes(functions), &mut scope);
    let extends = provider_members(provider, api.as_ref(), &scope, notes, today, &mut out);
    for (id, res) in cfn {
        out.push(Member::Blank);
        resource(id, res, &scope, notes, &mut out);
    }
    let api = api.as_ref();
    function_members(functions, &scope, notes, today, extends, api, &mut out);
    super::sam::outputs(
        config.get("resources").and_then(|r| r.get("Outputs")),
        "resources.Outputs",
        &scope,
        notes,
        &mut out,
    );
    out
}

/// Everything a name can refer to, in scope before any member that uses it is written:
/// layers, the declared resources, and what the IAM statements grant access to.
fn declare_names(
    config: &Map<String, Value>,
    provider: &Map<String, Value>,
    functions: &Map<String, Value>,
    cfn: &Map<String, Value>,
    scope: &mut Scope,
    notes: &mut Notes,
    out: &mut Vec<Member>,
) {
    if let Some(l) = config.get("layers").and_then(Value::as_object) {
        super::layers::serverless(l, scope, notes, out);
    }
    declare(cfn, functions, scope, out);
    let function_statements = functions
        .values()
        .filter_map(|f| f.get("iamRoleStatements"));
    for s in provider_statements(provider)
        .into_iter()
        .chain(function_statements)
    {
        super::grants::declare_in_statements(s, scope, out);
    }
}

/// What the provider section becomes: the defaults, log settings, the implicit HTTP API,
/// the shared IAM template (whether there is one) and a note for each key left out.
fn provider_members(
    provider: &Map<String, Value>,
    api: Option<&super::apis::Api>,
    scope: &Scope,
    notes: &mut Notes,
    today: NaiveDate,
    out: &mut Vec<Member>,
) -> bool {
    out.push(Member::Blank);
    out.push(defaults(provider, scope, notes, today));
    logs(provider, notes, out);
    if let Some(api) = api {
        implicit_api(api, scope, notes, out);
    }
    let extends = provider_template(provider, scope, notes, out);
    for (key, v) in provider.iter().filter(|(k, _)| !provider_key(k)) {
        notes.skip(out, format!("provider.{key}: {}", short(v)));
    }
    extends
}

fn function_members(
    functions: &Map<String, Value>,
    scope: &Scope,
    notes: &mut Notes,
    today: NaiveDate,
    extends: bool,
    api: Option<&super::apis::Api>,
    out: &mut Vec<Member>,
) {
    for (name, f) in functions {
        out.push(Member::Blank);
        let Some(f) = f.as_object() else { continue };
        out.push(function(name, f, scope, notes, today, extends, api));
    }
}

/// A mapping of the file, or `empty`.
fn section<'a>(v: Option<&'a Value>, empty: &'a Map<String, Value>) -> &'a Map<String, Value> {
    v.and_then(Value::as_object).unwrap_or(empty)
}

/// The `app` block, the sections lamc does not read, and the parameters variables became.
fn head(
    config: &Map<String, Value>,
    params: &variables::Params,
    scope: &mut Scope,
    notes: &mut Notes,
) -> Vec<Member> {
    let mut out = vec![Member::Block(
        format!("app {}", app_name(config)),
        Vec::new(),
    )];
    for key in config.keys().filter(|k| !SECTIONS.contains(&k.as_str())) {
        notes.skip(
            &mut out,
            format!("{key} (a serverless.yml section lamc does not read)"),
        );
    }
    for (name, default) in params {
        scope.params.insert(name.clone(), name.clone());
        let line = match default {
            Some(d) => format!("param {name}: string = {}", write::string(d)),
            None => format!("param {name}: string"),
        };
        out.push(Member::Line(line));
    }
    out
}

/// `provider.iam.role.statements` (or the older `provider.iamRoleStatements`).
fn provider_statements(provider: &Map<String, Value>) -> Option<&Value> {
    provider
        .get("iam")
        .and_then(|i| i.get("role"))
        .and_then(|r| r.get("statements"))
        .or_else(|| provider.get("iamRoleStatements"))
}

/// `template provider_iam { allow … }` with the provider's statements, which every function
/// extends; whether there is one. A role given by name stays a comment.
fn provider_template(
    provider: &Map<String, Value>,
    scope: &Scope,
    notes: &mut Notes,
    out: &mut Vec<Member>,
) -> bool {
    let mut shared = Vec::new();
    if let Some(s) = provider_statements(provider) {
        policies::statements(s, "provider.iam.role.statements", scope, notes, &mut shared);
    }
    if let Some(role) = provider
        .get("iam")
        .and_then(|i| i.get("role"))
        .filter(|r| r.is_string())
    {
        notes.skip(
            out,
            format!(
                "provider.iam.role {} (lamc writes each function's role)",
                shown(role)
            ),
        );
    }
    if shared.is_empty() {
        return false;
    }
    out.push(Member::Blank);
    out.push(Member::Block(
        format!("template {PROVIDER_TEMPLATE}"),
        shared,
    ));
    true
}

/// The service's routes: whether there are `http` (REST) events, and the methods of the
/// `httpApi` events in order (`ANY` for `*`), which its CORS rule lists.
fn routes(functions: &Map<String, Value>) -> super::sls_apis::SlsRoutes {
    let events: Vec<(String, Value)> = functions.values().flat_map(events).collect();
    let methods = events
        .iter()
        .filter(|(k, _)| k == "httpApi")
        .map(|(_, spec)| {
            let method = match spec {
                Value::String(s) => s.split_whitespace().next().unwrap_or("*").to_string(),
                other => other
                    .get("method")
                    .and_then(Value::as_str)
                    .unwrap_or("*")
                    .to_string(),
            };
            if method == "*" {
                "ANY".to_string()
            } else {
                method.to_ascii_uppercase()
            }
        })
        .collect();
    super::sls_apis::SlsRoutes {
        rest: events.iter().any(|(k, _)| k == "http"),
        methods,
    }
}

/// `provider.logs`: `httpApi` is the API's `access_log` (see [`super::sls_apis::serverless`]);
/// the others (`lambda`, `restApi`, `websocket`, …) stay comments.
fn logs(provider: &Map<String, Value>, notes: &mut Notes, out: &mut Vec<Member>) {
    let Some(logs) = provider.get("logs") else {
        return;
    };
    let Some(m) = logs.as_object() else {
        return notes.skip(out, format!("provider.logs: {}", short(logs)));
    };
    for (k, v) in m.iter().filter(|(k, _)| k.as_str() != "httpApi") {
        notes.skip(out, format!("provider.logs.{k}: {}", short(v)));
    }
}

/// The authorizers and `api default { … }` block of the service's API, when they say
/// something.
fn implicit_api(api: &super::apis::Api, scope: &Scope, notes: &mut Notes, out: &mut Vec<Member>) {
    let mut w = Writer::new(scope, notes);
    let auths = api.declarations(&mut w);
    resources::api(&mut w, &api.props, "AWS::Serverless::HttpApi");
    api.settings(&mut w);
    w.rest(&api.props, "no such attribute in lamc yet");
    for a in auths {
        out.push(Member::Blank);
        out.push(a);
    }
    if !w.body.is_empty() {
        out.push(Member::Blank);
        out.push(Member::Block("api default".into(), w.body));
    }
}

fn app_name(config: &Map<String, Value>) -> String {
    let service = config.get("service");
    let name = service
        .and_then(Value::as_str)
        .or_else(|| service.and_then(|s| s.get("name")).and_then(Value::as_str))
        .unwrap_or("app");
    snake(name)
}

/// A value in a comment, cut short.
pub(super) fn short(v: &Value) -> String {
    let s = shown(v);
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

/// The Framework's logical ID of a function (`get-user` → `GetDashuserLambdaFunction`).
pub(super) fn function_logical_id(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        match c {
            '-' => out.push_str("Dash"),
            '_' => out.push_str("Underscore"),
            c if i == 0 => out.extend(c.to_uppercase()),
            c => out.push(c),
        }
    }
    format!("{out}LambdaFunction")
}

// ---- declarations --------------------------------------------------------------------------

/// Every declaration the program will hold, before anything is written: the resources of
/// `resources.Resources`, the functions, and the topics and buckets events create or name.
fn declare(
    cfn: &Map<String, Value>,
    functions: &Map<String, Value>,
    scope: &mut Scope,
    out: &mut Vec<Member>,
) {
    for (id, res) in cfn {
        if let Some(kind) =
            resources::declared_kind(res, scope).filter(|k| *k != Kind::Function && *k != Kind::Api)
        {
            scope.declare(id, kind, &snake(id));
        }
    }
    let mut http = false;
    for name in functions.keys() {
        scope.declare(&function_logical_id(name), Kind::Function, &snake(name));
    }
    for f in functions.values() {
        if let Some(arn) = f.get("onError") {
            out.extend(resources::existing(scope, arn));
        }
        for (kind, spec) in events(f) {
            match kind.as_str() {
                "http" | "httpApi" => http = true,
                "sns" => created(scope, out, &spec, Kind::Topic),
                "s3" => created(scope, out, &spec, Kind::Bucket),
                "sqs" | "stream" => existing(scope, out, &spec),
                "eventBridge" => bus(scope, out, &spec),
                "msk" => super::kafka::sls_existing(scope, out, &spec),
                _ => {}
            }
        }
    }
    if http {
        let mut rest = Target::new(Kind::Api, "default");
        rest.rest = true;
        scope.decls.insert("ApiGatewayRestApi".into(), rest);
        scope
            .decls
            .insert("HttpApi".into(), Target::new(Kind::Api, "default"));
    }
    let physical = resources::physical_names(cfn, scope);
    scope.physical.extend(physical);
}

/// A function's events as `(kind, spec)`.
fn events(f: &Value) -> Vec<(String, Value)> {
    f.get("events")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let m = e.as_object()?;
            let (k, v) = m.iter().next()?;
            (m.len() == 1).then(|| (k.clone(), v.clone()))
        })
        .collect()
}

/// The topic an `sns` event creates by naming it, or the bucket an `s3` event creates.
fn created(scope: &mut Scope, out: &mut Vec<Member>, spec: &Value, kind: Kind) {
    let key = if kind == Kind::Topic {
        "topicName"
    } else {
        "bucket"
    };
    let named = match spec {
        Value::String(s) => Some(s.clone()),
        Value::Object(m)
            if m.get("arn").is_none() && m.get("existing").is_none_or(|e| !is_true(e)) =>
        {
            m.get(key).and_then(Value::as_str).map(str::to_string)
        }
        _ => None,
    };
    match named {
        Some(name) if !name.starts_with("arn:") => {
            let id = format!("#{}:{name}", kind.as_str());
            if !scope.decls.contains_key(&id) {
                let t = scope.declare(&id, kind, &snake(&name));
                out.push(Member::Comment(format!(
                    "the {} `{name}` an event creates (lamc names it)",
                    kind.as_str()
                )));
                out.push(Member::Line(format!("{} {} {{}}", kind.as_str(), t.name)));
                scope.physical.push((name, t));
            }
        }
        _ => existing(scope, out, spec),
    }
}

/// The bus an `eventBridge` event names: by a name, a bus the Framework creates
/// (`bus NAME {}`); by an ARN, an existing one (`bus NAME from "arn:…"`).
fn bus(scope: &mut Scope, out: &mut Vec<Member>, spec: &Value) {
    let Some(bus) = spec.get("eventBus") else {
        return;
    };
    match bus.as_str() {
        Some("default") => {}
        Some(name) if !name.starts_with("arn:") => {
            let id = format!("#bus:{name}");
            if !scope.decls.contains_key(&id) && scope.named(bus).is_none() {
                let t = scope.declare(&id, Kind::Bus, &snake(name));
                out.push(Member::Comment(format!(
                    "the bus `{name}` an event creates (lamc names it)"
                )));
                out.push(Member::Line(format!("bus {} {{}}", t.name)));
                scope.physical.push((name.to_string(), t));
            }
        }
        _ => out.extend(resources::existing_bus(scope, bus)),
    }
}

/// An existing queue, topic or stream that an event names by ARN: `queue NAME from "arn:…"`.
fn existing(scope: &mut Scope, out: &mut Vec<Member>, spec: &Value) {
    let arn = match spec {
        Value::Object(m) => m.get("arn"),
        other => Some(other),
    };
    out.extend(arn.and_then(|a| resources::existing(scope, a)));
}

/// The declaration an event's `topicName`/`bucket`/`arn` names.
fn event_target(scope: &Scope, spec: &Value, key: &str, kind: Kind) -> Option<Target> {
    let v = match spec {
        Value::Object(m) => m.get("arn").or_else(|| m.get(key))?.clone(),
        other => other.clone(),
    };
    if let Some(name) = v.as_str().filter(|s| !s.starts_with("arn:")) {
        return scope
            .decls
            .get(&format!("#{}:{name}", kind.as_str()))
            .cloned();
    }
    scope.source(&v).filter(|t| t.kind == kind)
}

// ---- provider and functions ----------------------------------------------------------------

fn defaults(
    provider: &Map<String, Value>,
    scope: &Scope,
    notes: &mut Notes,
    today: NaiveDate,
) -> Member {
    let mut w = Writer::new(scope, notes);
    let rows: Vec<Row> = settings::SERVERLESS
        .iter()
        .filter(|r| !r.function_only)
        .copied()
        .collect();
    settings::apply(&rows, &mut w, provider, today);
    let mut framework = Vec::new();
    if provider.get("memorySize").is_none() {
        w.line(format!("memory = {FRAMEWORK_MEMORY_MB}MB"));
        framework.push(format!("{FRAMEWORK_MEMORY_MB} MB"));
    }
    if provider.get("timeout").is_none() {
        w.line(format!("timeout = {FRAMEWORK_TIMEOUT_S}s"));
        framework.push(format!("{FRAMEWORK_TIMEOUT_S} s"));
    }
    // The Framework packages the whole service folder for every function.
    w.line("code = \".\"".into());
    framework.push("the service folder as the code".into());
    w.body.insert(
        0,
        Member::Comment(format!(
            "the Framework's defaults: {}",
            framework.join(", ")
        )),
    );
    Member::Block("defaults".into(), w.body)
}

/// Keys of a function read besides its settings.
const FUNCTION_KEYS: &[&str] = &["events", "iamRoleStatements"];

fn function(
    name: &str,
    f: &Map<String, Value>,
    scope: &Scope,
    notes: &mut Notes,
    today: NaiveDate,
    extends: bool,
    api: Option<&super::apis::Api>,
) -> Member {
    let target = scope
        .decls
        .get(&function_logical_id(name))
        .cloned()
        .unwrap_or_else(|| Target::new(Kind::Function, snake(name)));
    let mut w = Writer::new(scope, notes);
    settings::apply(settings::SERVERLESS, &mut w, f, today);
    if let Some(s) = f.get("iamRoleStatements") {
        let mut lines = Vec::new();
        policies::statements(s, "iamRoleStatements", w.scope, w.notes, &mut lines);
        w.body.extend(lines);
    }
    for (i, (kind, spec)) in events(&Value::Object(f.clone())).into_iter().enumerate() {
        event(&mut w, i, &kind, &spec, api);
    }
    let known = |k: &str| {
        FUNCTION_KEYS.contains(&k) || settings::keys(settings::SERVERLESS).any(|r| r == k)
    };
    for k in f.keys().filter(|k| !known(k)) {
        w.skip(format!("{k}: {}", short(&f[k.as_str()])));
    }
    let head = if extends {
        format!("function {} extends {PROVIDER_TEMPLATE}", target.name)
    } else {
        format!("function {}", target.name)
    };
    Member::Block(head, w.body)
}

// ---- events --------------------------------------------------------------------------------

fn event(w: &mut Writer, i: usize, kind: &str, spec: &Value, api: Option<&super::apis::Api>) {
    let at = format!("events[{i}] ({kind})");
    match kind {
        "http" | "httpApi" => http(w, &at, kind, spec, api),
        "sqs" => sqs(w, &at, spec),
        "sns" => sns(w, &at, spec),
        "s3" => s3(w, &at, spec),
        "stream" => stream(w, &at, spec),
        "msk" => super::kafka::sls_event(w, &at, spec),
        "schedule" => schedule(w, &at, spec),
        "eventBridge" | "cloudwatchEvent" => event_bridge(w, &at, kind, spec),
        _ => w.skip(format!("{at}: {}", short(spec))),
    }
}

pub(super) fn unread(w: &mut Writer, at: &str, spec: &Value, read: &[&str]) {
    for k in spec.as_object().into_iter().flat_map(|m| m.keys()) {
        if !read.contains(&k.as_str()) {
            w.skip(format!("{at}: {k}"));
        }
    }
}

fn http(w: &mut Writer, at: &str, kind: &str, spec: &Value, api: Option<&super::apis::Api>) {
    let (method, path) = match spec {
        Value::String(s) if s.trim() == "*" => ("ANY".to_string(), None),
        Value::String(s) => match s.split_once(' ') {
            Some((m, p)) => (m.to_string(), Some(p.trim().to_string())),
            None => return w.skip(format!("{at}: {s}")),
        },
        Value::Object(m) => (
            m.get("method")
                .and_then(Value::as_str)
                .unwrap_or("ANY")
                .to_string(),
            m.get("path").and_then(Value::as_str).map(str::to_string),
        ),
        _ => return w.skip(format!("{at}: {}", short(spec))),
    };
    let Some(head) = triggers::http_head(w, at, &method, path.as_deref(), kind == "http") else {
        return;
    };
    let mut opts = Vec::new();
    match spec.get("authorizer") {
        _ if kind == "httpApi" && api.is_some() => {
            let p = super::sls_apis::sls_route(spec);
            opts = api.map(|a| a.route(w, at, &p)).unwrap_or_default();
        }
        None => opts.push("public = true".to_string()),
        Some(a)
            if a.as_str() == Some("aws_iam")
                || a.get("type").and_then(Value::as_str) == Some("aws_iam") =>
        {
            opts.push("auth = iam".into())
        }
        Some(a) => w.skip(format!(
            "{at}: authorizer {} (a REST API's authorizer: a Lambda authorizer answering with an IAM policy, or a Cognito user pool; the route is not marked public)",
            short(a)
        )),
    }
    if let Some(c) = spec.get("cors") {
        w.skip(format!(
            "{at}: cors {} (write `api default {{ cors {{ … }} }}` for the API's CORS rule)",
            short(c)
        ));
    }
    unread(w, at, spec, &["method", "path", "authorizer", "cors"]);
    w.body.push(triggers::line(&head, &opts));
}

/// An EventBridge rule (`on event`), on the default bus or `on event bus.NAME`.
fn event_bridge(w: &mut Writer, at: &str, kind: &str, spec: &Value) {
    let bus = match spec.get("eventBus") {
        None => None,
        Some(b) if b.as_str() == Some("default") => None,
        Some(b) => match w.scope.named(b).or_else(|| w.scope.source(b)) {
            Some(t) if t.kind == Kind::Bus => Some(t.path()),
            _ => return w.skip(format!("{at}: a rule on the bus {}", short(b))),
        },
    };
    let pattern_key = if kind == "eventBridge" {
        "pattern"
    } else {
        "event"
    };
    let enabled = spec.get("enabled").is_none_or(is_true);
    match triggers::event_rule(spec.get(pattern_key), spec.get("input"), enabled) {
        Ok(line) => {
            unread(w, at, spec, &[pattern_key, "input", "enabled", "eventBus"]);
            w.body.push(match bus {
                Some(b) => triggers::on_bus(line, &b),
                None => line,
            });
        }
        Err(why) => w.skip(format!("{at}: {why}")),
    }
}

fn sqs(w: &mut Writer, at: &str, spec: &Value) {
    let Some(t) = event_target(w.scope, spec, "arn", Kind::Queue) else {
        return w.skip(format!("{at}: a queue lamc cannot name ({})", short(spec)));
    };
    let opts = settings::options(options::SERVERLESS_SQS, w, &fields(spec), at);
    unread(
        w,
        at,
        spec,
        &options::read(options::SERVERLESS_SQS, &["arn"]),
    );
    w.body
        .push(triggers::line(&format!("sqs {}", t.path()), &opts));
}

/// An event's keys (none when it is written as one value, `sqs: arn:…`).
pub(super) fn fields(spec: &Value) -> Map<String, Value> {
    spec.as_object().cloned().unwrap_or_default()
}

fn sns(w: &mut Writer, at: &str, spec: &Value) {
    let Some(t) = event_target(w.scope, spec, "topicName", Kind::Topic) else {
        return w.skip(format!("{at}: a topic lamc cannot name ({})", short(spec)));
    };
    let mut opts = Vec::new();
    if let Some(f) = spec.get("filterPolicy") {
        match super::sam::filter(f) {
            Some(f) => opts.push(format!("filter = {f}")),
            None => w.skip(format!("{at}: filterPolicy ({})", short(f))),
        }
    }
    unread(w, at, spec, &["arn", "topicName", "filterPolicy"]);
    w.body
        .push(triggers::line(&format!("sns {}", t.path()), &opts));
}

fn s3(w: &mut Writer, at: &str, spec: &Value) {
    if spec.get("existing").is_some_and(is_true) {
        return w.skip(format!("{at}: an existing bucket ({})", short(spec)));
    }
    let Some(t) = event_target(w.scope, spec, "bucket", Kind::Bucket) else {
        return w.skip(format!("{at}: a bucket lamc cannot name ({})", short(spec)));
    };
    let mut opts = Vec::new();
    if let Some(e) = spec.get("event") {
        let events = triggers::s3_events(e);
        if events != ["created"] {
            opts.push(format!("events = [{}]", events.join(", ")));
        }
    }
    for rule in spec
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for key in ["prefix", "suffix"] {
            if let Some(v) = rule.get(key).and_then(Value::as_str) {
                opts.push(format!("{key} = {}", write::string(v)));
            }
        }
    }
    unread(w, at, spec, &["bucket", "event", "rules", "existing"]);
    w.body
        .push(triggers::line(&format!("s3 {}", t.path()), &opts));
}

fn stream(w: &mut Writer, at: &str, spec: &Value) {
    let arn = match spec {
        Value::Object(m) => m.get("arn").cloned(),
        other => Some(other.clone()),
    };
    let target = arn.as_ref().and_then(|a| w.scope.source(a));
    let Some(t) = target.filter(|t| matches!(t.kind, Kind::Table | Kind::Stream)) else {
        return w.skip(format!("{at}: a stream lamc cannot name ({})", short(spec)));
    };
    let mut opts = settings::options(options::SERVERLESS_STREAM, w, &fields(spec), at);
    if spec.get("startingPosition").is_none() {
        // The Framework starts stream events at TRIM_HORIZON unless told otherwise.
        opts.insert(0, "start = trim_horizon".into());
    }
    unread(
        w,
        at,
        spec,
        &options::read(options::SERVERLESS_STREAM, &["arn", "type"]),
    );
    let word = if t.kind == Kind::Table {
        "dynamodb"
    } else {
        "kinesis"
    };
    w.body
        .push(triggers::line(&format!("{word} {}", t.path()), &opts));
}

fn schedule(w: &mut Writer, at: &str, spec: &Value) {
    let rates: Vec<String> = match spec {
        Value::String(s) => vec![s.clone()],
        Value::Object(m) => policies::strings(m.get("rate")),
        _ => Vec::new(),
    };
    if rates.is_empty() {
        return w.skip(format!("{at}: {}", short(spec)));
    }
    let mut opts = Vec::new();
    if spec.get("enabled").is_some_and(|e| !is_true(e)) {
        opts.push("enabled = false".to_string());
    }
    if let Some(i) = spec.get("input") {
        match triggers::map_literal(i).filter(|_| i.is_object()) {
            Some(m) => opts.push(format!("input = {m}")),
            None => w.skip(format!("{at}: input ({})", short(i))),
        }
    }
    unread(
        w,
        at,
        spec,
        &["rate", "enabled", "input", "name", "description"],
    );
    for rate in rates {
        match triggers::schedule(&rate) {
            Some(s) => w.body.push(triggers::line(&format!("schedule {s}"), &opts)),
            None => w.skip(format!("{at}: schedule {rate}")),
        }
    }
}

// ---- resources and outputs -----------------------------------------------------------------

fn resource(id: &str, res: &Value, scope: &Scope, notes: &mut Notes, out: &mut Vec<Member>) {
    let ty = res.get("Type").and_then(Value::as_str).unwrap_or("?");
    let empty = Map::new();
    let props = res
        .get("Properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    resources::attributes(res, &format!("resources.Resources.{id}"), notes, out);
    if ty == "AWS::CloudWatch::Alarm" {
        match resources::alarm(props, scope) {
            Ok(line) => out.push(line),
            Err(why) => notes.skip(out, format!("resources.Resources.{id} ({ty}: {why})")),
        }
        return;
    }
    match scope.decls.get(id) {
        Some(target) => out.push(resources::declare(
            ty,
            target,
            props,
            scope,
            notes,
            super::stateful::retained(res),
        )),
        None => notes.skip(out, format!("resources.Resources.{id} ({ty})")),
    }
}

#[cfg(test)]
mod tests {
    use crate::import::testkit::{holds, program};

    #[test]
    fn provider_functions_events_and_variables() {
        let (text, skipped) = program(
            r#"
service: todo-api
provider:
  name: aws
  runtime: python3.12
  stage: ${opt:stage, 'dev'}
  environment:
    TABLE: ${self:service}-${sls:stage}
  iam:
    role:
      statements:
        - Effect: Allow
          Action: [dynamodb:GetItem, dynamodb:PutItem]
          Resource: "arn:aws:dynamodb:${aws:region}:*:table/${self:provider.environment.TABLE}"
plugins:
  - serverless-python-requirements
functions:
  create:
    handler: todos/create.create
    events:
      - http:
          path: todos
          method: post
          cors: true
  notify:
    handler: notify.handler
    events:
      - sns: alerts
      - schedule: rate(10 minutes)
      - eventBridge:
          pattern:
            source: [shop]
      - eventBridge:
          eventBus: orders
          pattern:
            source: [shop]
resources:
  Resources:
    TodosTable:
      Type: AWS::DynamoDB::Table
      Properties:
        TableName: ${self:provider.environment.TABLE}
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions:
          - AttributeName: id
            AttributeType: S
        KeySchema:
          - AttributeName: id
            KeyType: HASH
"#,
        );
        holds(&text, &[
            "app todo_api {}",
            "param stage: string = \"dev\"",
            "env { TABLE = table.todos_table.name }",
            "template provider_iam {\n  allow [\"dynamodb:GetItem\", \"dynamodb:PutItem\"] on table.todos_table\n}",
            "function create extends provider_iam {",
            "on http \"POST /todos\" { public = true }",
            "on sns topic.alerts",
            "on schedule rate(10m)",
            "on event { pattern = { source = [\"shop\"] } }",
            "bus orders {}",
            "on event bus.orders { pattern = { source = [\"shop\"] } }",
            "# not imported: plugins (a serverless.yml section lamc does not read)",
            "memory  = 1024MB",
        ]);
        assert!(
            text.contains(
                "table todos_table { name = \"todo-api-${param.stage}\", key = { id = string } }"
            ),
            "{text}"
        );
        assert!(
            !skipped.iter().any(|s| s.starts_with("TableName")),
            "{skipped:?}"
        );
    }

    #[test]
    fn queues_streams_buckets_schedules_and_urls() {
        let (text, skipped) = program(
            r#"
service: jobs
provider:
  name: aws
  runtime: nodejs22.x
  memorySize: 512
  timeout: 20
functions:
  worker:
    handler: worker.handler
    reservedConcurrency: 5
    url:
      authorizer: aws_iam
    destinations:
      onFailure: reporter
    events:
      - sqs:
          arn: !GetAtt Jobs.Arn
          batchSize: 5
          functionResponseType: ReportBatchItemFailures
      - stream:
          type: kinesis
          arn: !GetAtt Clicks.Arn
          batchSize: 100
      - s3:
          bucket: photos
          event: s3:ObjectRemoved:*
          rules:
            - prefix: raw/
      - schedule:
          rate: [rate(1 hour), cron(0 8 * * ? *)]
          enabled: false
  reporter:
    handler: reporter.handler
resources:
  Resources:
    Jobs:
      Type: AWS::SQS::Queue
      Properties: {VisibilityTimeout: 120}
    Clicks:
      Type: AWS::Kinesis::Stream
      Properties: {ShardCount: 1}
"#,
        );
        holds(
            &text,
            &[
                "bucket photos {}",
                "memory  = 512MB",
                "timeout = 20s",
                "concurrency { reserved = 5 }",
                "async { on_failure = function.reporter }",
                "url { auth = iam }",
                "on sqs queue.jobs { batch = 5, report_failures = true }",
                "on kinesis stream.clicks { start = trim_horizon, batch = 100 }",
                "on s3 bucket.photos { events = [removed], prefix = \"raw/\" }",
                "on schedule rate(1h) { enabled = false }",
                "on schedule cron(\"0 8 * * ? *\") { enabled = false }",
            ],
        );
        assert!(!text.contains("memory  = 1024MB"), "{text}");
        assert!(skipped.is_empty(), "{skipped:?}");
    }

    #[test]
    fn snap_start_dead_letters_and_runtime_updates() {
        let (text, skipped) = program(
            r#"
service: orders
provider:
  name: aws
  runtime: java21
  runtimeManagement: onFunctionUpdate
functions:
  place:
    handler: orders.Place::handle
    snapStart: true
    onError: arn:aws:sns:us-east-1:123456789012:failed-orders
  audit:
    handler: orders.Audit::handle
    onError: !GetAtt Failed.Arn
    runtimeManagement:
      mode: manual
      arn: arn:aws:lambda:us-east-1::runtime:0123456789abcdef
resources:
  Resources:
    Failed:
      Type: AWS::SQS::Queue
"#,
        );
        holds(
            &text,
            &[
                "topic failed_orders from \"arn:aws:sns:us-east-1:123456789012:failed-orders\"",
                "runtime_updates = on_deploy",
                "snap_start  = true",
                "dead_letter = topic.failed_orders",
                "dead_letter     = queue.failed",
                "runtime_updates = manual(\"arn:aws:lambda:us-east-1::runtime:0123456789abcdef\")",
            ],
        );
        assert!(skipped.is_empty(), "{skipped:?}");
    }

    #[test]
    fn vpc_and_file_systems() {
        let (text, skipped) = program(
            r#"
service: net
provider:
  name: aws
  runtime: python3.12
  vpc:
    securityGroupIds: [sg-0123456789abcdef0]
    subnetIds: [subnet-0123456789abcdef0]
    endpoints: x
functions:
  reports:
    handler: handler.h
    events:
      - sqs:
          arn: arn:aws:sqs:us-east-1:123456789012:jobs
          filterPatterns:
            - body: {kind: [order]}
            - body: {kind: [refund]}
    fileSystemConfig:
      localMountPath: /mnt/reports
      arn: arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0
"#,
        );
        holds(&text, &[
            "vpc { subnets = [\"subnet-0123456789abcdef0\"], security_groups = [\"sg-0123456789abcdef0\"] }",
            "filter = [{ body = { kind = [\"order\"] } }, { body = { kind = [\"refund\"] } }]",
            "files {\n    \"/mnt/reports\" = \"arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0\"\n  }",
        ]);
        assert_eq!(skipped, ["vpc.endpoints"]);
    }

    #[test]
    fn layers_of_the_file_are_declared_and_referenced_by_name() {
        let (text, skipped) = program(
            r#"
service: lay
provider:
  name: aws
  runtime: python3.12
layers:
  shared-deps:
    path: layer
    compatibleRuntimes: [python3.12]
  nopath:
    description: x
functions:
  hello:
    handler: handler.h
    layers:
      - { Ref: SharedDashdepsLambdaLayer }
"#,
        );
        holds(
            &text,
            &[
                "layer shared_deps { code = \"layer\", runtimes = [python3.12] }",
                "layers  = [layer.shared_deps]",
            ],
        );
        assert_eq!(skipped, ["layers.nopath (a layer without a path)"]);
    }
}
