//! An AWS SAM template (`Transform: AWS::Serverless-2016-10-31`) as a lamc program:
//! `Parameters` → `param`, `Globals.Function` → `defaults`, `AWS::Serverless::Function` →
//! `function` with its events as `on …` lines and its policies as `allow` lines, the plain
//! resources lamc has → their declarations, alarms on Lambda metrics → `alarm`, `Outputs` →
//! `output`. Everything else stays as a `# not imported: …` comment where it was.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::companions::{self, Companions};
use super::convert::quoted;
use super::intrinsics::{literal, Scope, Target};
use super::layers;
use super::options;
use super::policies;
use super::resources::{self, is_true, shown, Writer};
use super::settings;
use super::triggers;
use super::wiring::Wiring;
use super::write::{self, snake, Member, Notes};
use crate::model::{Kind, LogRetention, ParamType};
use crate::schema::{LOG_RETENTION, LOG_RETENTION_WORDS, PARAM_TYPE_WORDS};

/// A plain CloudFormation function (read through [`settings::CFN`]).
const PLAIN_FUNCTION: &str = "AWS::Lambda::Function";

use super::apis::{Apis, IMPLICIT_HTTP, IMPLICIT_REST};

/// Top-level sections read here; the others are reported.
const SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Transform",
    "Description",
    "Globals",
    "Parameters",
    "Resources",
    "Outputs",
];

/// The program for the SAM template `doc`.
pub fn import(
    doc: &Map<String, Value>,
    app: &str,
    today: NaiveDate,
    notes: &mut Notes,
) -> Vec<Member> {
    let empty = Map::new();
    let resources = doc
        .get("Resources")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut scope = Scope::default();
    let mut out = Vec::new();
    out.push(app_block(app, doc.get("Description"), &scope));
    for key in doc.keys().filter(|k| !SECTIONS.contains(&k.as_str())) {
        notes.skip(
            &mut out,
            format!("{key} (a template section lamc does not read)"),
        );
    }
    params(doc.get("Parameters"), &mut scope, notes, &mut out);
    declare_resources(resources, &mut scope);
    let existing = declare_existing(resources, &mut scope);
    out.extend(existing);
    let globals = doc.get("Globals").and_then(Value::as_object);
    let apis = Apis::find(resources, globals, &mut scope);
    let companions = Companions::find(resources, &scope);
    function_roles(resources, &companions, &mut scope);
    out.extend(existing_grants(resources, &companions, &mut scope));
    let global_dead_letter = globals
        .and_then(|g| g.get("Function"))
        .and_then(|f| f.get("DeadLetterQueue"))
        .and_then(|d| d.get("TargetArn"));
    out.extend(global_dead_letter.and_then(|arn| resources::existing(&mut scope, arn)));
    if let Some(g) = globals {
        global_sections(g, &scope, &apis, notes, &mut out, today);
    }
    let ctx = Ctx {
        companions,
        wiring: Wiring::find(resources, &scope),
        scope: &scope,
        today,
        apis,
        global_code: globals
            .and_then(|g| g.get("Function"))
            .and_then(Value::as_object)
            .is_some_and(|f| {
                ["CodeUri", "InlineCode", "ImageUri"]
                    .iter()
                    .any(|k| f.contains_key(*k))
            }),
        resources,
    };
    implicit_apis(&ctx, notes, &mut out);
    for (id, res) in resources {
        out.push(Member::Blank);
        resource(&ctx, id, res, notes, &mut out);
    }
    outputs(doc.get("Outputs"), "Outputs", &scope, notes, &mut out);
    out
}

struct Ctx<'a> {
    scope: &'a Scope,
    companions: Companions,
    /// What connects a plain CloudFormation function to its triggers.
    wiring: Wiring,
    today: NaiveDate,
    apis: Apis,
    /// Whether `Globals.Function` gives every function its code.
    global_code: bool,
    resources: &'a Map<String, Value>,
}

fn app_block(app: &str, description: Option<&Value>, scope: &Scope) -> Member {
    let mut body = Vec::new();
    if let Some(d) = description.and_then(|d| scope.expr(d).ok()) {
        body.push(Member::Line(format!("description = {d}")));
    }
    Member::Block(format!("app {app}"), body)
}

// ---- parameters ----------------------------------------------------------------------------

/// `param NAME: string = "…" { allowed = […], description = "…", secret = true }`.
pub fn params(v: Option<&Value>, scope: &mut Scope, notes: &mut Notes, out: &mut Vec<Member>) {
    let Some(params) = v.and_then(Value::as_object) else {
        return;
    };
    for (id, p) in params {
        let cfn = p.get("Type").and_then(Value::as_str);
        let found = PARAM_TYPE_WORDS.iter().find(|(_, t)| Some(t.cfn()) == cfn);
        let Some(&(ty, param_type)) = found else {
            notes.skip(
                out,
                format!("Parameters.{id} (type {})", cfn.unwrap_or("?")),
            );
            continue;
        };
        let name = scope.declare_param(id, &snake(id));
        let mut line = format!("param {name}: {ty}");
        if let Some(d) = p.get("Default").and_then(literal) {
            line.push_str(&format!(" = {}", param_value(param_type, &d)));
        }
        let mut opts = Vec::new();
        if let Some(Value::Array(allowed)) = p.get("AllowedValues") {
            let values: Vec<String> = allowed
                .iter()
                .filter_map(literal)
                .map(|a| param_value(param_type, &a))
                .collect();
            opts.push(format!("allowed = [{}]", values.join(", ")));
        }
        if let Some(d) = p.get("Description").and_then(Value::as_str) {
            opts.push(format!("description = {}", write::string(d)));
        }
        if p.get("NoEcho").is_some_and(is_true) {
            opts.push("secret = true".into());
        }
        if !opts.is_empty() {
            line.push_str(&format!(" {{ {} }}", opts.join(", ")));
        }
        out.push(Member::Line(line));
        let known = ["Type", "Default", "AllowedValues", "Description", "NoEcho"];
        for k in p.as_object().into_iter().flat_map(|m| m.keys()) {
            if !known.contains(&k.as_str()) {
                notes.skip(out, format!("Parameters.{id}.{k}"));
            }
        }
    }
}

fn param_value(ty: ParamType, v: &str) -> String {
    if ty.is_list() {
        // CloudFormation's text for a list; lamc writes the items.
        let items: Vec<String> = v.split(',').map(|i| write::string(i.trim())).collect();
        format!("[{}]", items.join(", "))
    } else if ty == ParamType::Number && v.parse::<f64>().is_ok() {
        v.to_string()
    } else {
        write::string(v)
    }
}

// ---- names ---------------------------------------------------------------------------------

/// A function's lamc name: its logical ID without the usual `Function` suffix.
pub fn function_name(id: &str) -> String {
    let name = snake(id);
    match name.strip_suffix("_function") {
        Some(base) if !base.is_empty() => base.to_string(),
        _ => name,
    }
}

/// A layer's lamc name: its logical ID without the usual `Layer` suffix.
pub fn layer_name(id: &str) -> String {
    let name = snake(id);
    match name.strip_suffix("_layer") {
        Some(base) if !base.is_empty() => base.to_string(),
        _ => name,
    }
}

fn declare_resources(resources: &Map<String, Value>, scope: &mut Scope) {
    let mut implicit_rest = false;
    let mut implicit_http = false;
    for (id, res) in resources {
        let ty = res.get("Type").and_then(Value::as_str).unwrap_or("");
        let Some(kind) = resources::declared_kind(res, scope) else {
            continue;
        };
        let base = match kind {
            Kind::Function => function_name(id),
            Kind::Layer => layer_name(id),
            _ => snake(id),
        };
        let mut target = scope.declare(id, kind, &base);
        if ty == "AWS::Serverless::Api" {
            target.rest = true;
            scope.decls.insert(id.clone(), target);
        }
        for ev in events(res) {
            match ev.get("Type").and_then(Value::as_str) {
                Some("Api") if prop(ev, "RestApiId").is_none() => implicit_rest = true,
                Some("HttpApi") if prop(ev, "ApiId").is_none() => implicit_http = true,
                _ => {}
            }
        }
    }
    // The URL SAM creates for a function's `FunctionUrlConfig` is `{Function}Url`, whose
    // `FunctionUrl` outputs name: the function's `url`.
    for (id, res) in resources {
        let url = format!("{id}Url");
        let has_url = res
            .get("Properties")
            .is_some_and(|p| p.get("FunctionUrlConfig").is_some());
        if has_url && !resources.contains_key(&url) {
            if let Some(t) = scope.decls.get(id).filter(|t| t.kind == Kind::Function) {
                let t = t.clone();
                scope.decls.insert(url, t);
            }
        }
    }
    if implicit_rest {
        let mut t = Target::new(Kind::Api, "default");
        t.rest = true;
        scope.decls.insert(IMPLICIT_REST.into(), t);
    }
    if implicit_http {
        scope
            .decls
            .insert(IMPLICIT_HTTP.into(), Target::new(Kind::Api, "default"));
    }
    scope.physical = resources::physical_names(resources, scope);
}

/// The roles lamc writes as a function's own (see [`Scope::roles`]): SAM's implicit
/// `{Function}Role` of a function without `Role`, when the template declares no resource
/// of that name; a role of the template that exactly one function names (its statements
/// become that function's `allow` lines, see [`Companions`]).
fn function_roles(resources: &Map<String, Value>, companions: &Companions, scope: &mut Scope) {
    for (id, res) in resources {
        let sam = res.get("Type").and_then(Value::as_str) == Some("AWS::Serverless::Function");
        let own_role = res.get("Properties").and_then(|p| p.get("Role")).is_some();
        let implicit = format!("{id}Role");
        if !sam || own_role || resources.contains_key(&implicit) {
            continue;
        }
        if let Some(t) = scope.decls.get(id).filter(|t| t.kind == Kind::Function) {
            let t = t.clone();
            scope.roles.insert(implicit, t);
        }
    }
    for (role, fns) in &companions.roles {
        if let [f] = fns.as_slice() {
            if let Some(t) = scope.decls.get(f).cloned() {
                scope.roles.insert(role.clone(), t);
            }
        }
    }
}

/// Existing resources that events and dead-letter settings name by ARN: `queue NAME from
/// "arn:…"`.
fn declare_existing(resources: &Map<String, Value>, scope: &mut Scope) -> Vec<Member> {
    let mut out = Vec::new();
    for res in resources.values() {
        for bus in event_buses(res) {
            out.extend(resources::existing_bus(scope, bus));
        }
        for ev in events(res) {
            let key = match ev.get("Type").and_then(Value::as_str) {
                Some("SQS") => "Queue",
                Some("SNS") => "Topic",
                Some("Kinesis") => "Stream",
                _ => continue,
            };
            if let Some(v) = prop(ev, key) {
                out.extend(resources::existing(scope, v));
            }
        }
        for ev in events(res) {
            if ev.get("Type").and_then(Value::as_str) == Some("MSK") {
                super::kafka::sam_existing(ev, scope, &mut out);
            }
        }
        if let Some(arn) = dead_letter_arn(res) {
            out.extend(resources::existing(scope, arn));
        }
        if res.get("Type").and_then(Value::as_str) == Some("AWS::Lambda::EventSourceMapping") {
            let props = res.get("Properties");
            let kafka = props.and_then(|p| p.get("Topics")).is_some();
            match props {
                Some(p) if kafka => super::kafka::mapping_existing(p, scope, &mut out),
                _ => {
                    let arn = props.and_then(|p| p.get("EventSourceArn"));
                    out.extend(arn.and_then(|a| resources::existing(scope, a)));
                }
            }
        }
    }
    out
}

/// The secrets, parameters and keys the functions' policies and roles name, declared by
/// their ARN (see [`super::grants`]).
fn existing_grants(
    resources: &Map<String, Value>,
    companions: &Companions,
    scope: &mut Scope,
) -> Vec<Member> {
    let mut out = Vec::new();
    for res in resources.values() {
        let is_function = matches!(
            res.get("Type").and_then(Value::as_str),
            Some("AWS::Serverless::Function")
        );
        let policies = res.get("Properties").and_then(|p| p.get("Policies"));
        if let Some(p) = policies.filter(|_| is_function) {
            super::grants::declare_in_policies(p, scope, &mut out);
        }
    }
    super::grants::declare_in_roles(resources, companions.roles.keys(), scope, &mut out);
    out
}

/// The buses a resource's EventBridge rules name: its `EventBridgeRule` and
/// `CloudWatchEvent` events' `EventBusName`, or an `AWS::Events::Rule`'s.
fn event_buses(res: &Value) -> Vec<&Value> {
    if res.get("Type").and_then(Value::as_str) == Some("AWS::Events::Rule") {
        return res
            .get("Properties")
            .and_then(|p| p.get("EventBusName"))
            .into_iter()
            .collect();
    }
    events(res)
        .into_iter()
        .filter(|ev| {
            matches!(
                ev.get("Type").and_then(Value::as_str),
                Some("EventBridgeRule" | "CloudWatchEvent")
            )
        })
        .filter_map(|ev| prop(ev, "EventBusName"))
        .collect()
}

/// The target of a function's `DeadLetterQueue` (SAM) or `DeadLetterConfig`.
pub(super) fn dead_letter_arn(res: &Value) -> Option<&Value> {
    let props = res.get("Properties")?;
    props
        .get("DeadLetterQueue")
        .or_else(|| props.get("DeadLetterConfig"))?
        .get("TargetArn")
}

fn events(res: &Value) -> Vec<&Map<String, Value>> {
    res.get("Properties")
        .and_then(|p| p.get("Events"))
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|e| e.values())
        .filter_map(Value::as_object)
        .collect()
}

pub(super) fn prop<'v>(ev: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    ev.get("Properties").and_then(|p| p.get(key))
}

// ---- Globals -------------------------------------------------------------------------------

fn global_sections(
    g: &Map<String, Value>,
    scope: &Scope,
    apis: &Apis,
    notes: &mut Notes,
    out: &mut Vec<Member>,
    today: NaiveDate,
) {
    for (section, v) in g {
        if section == "Function" {
            let Some(props) = v.as_object() else { continue };
            let mut w = Writer::new(scope, notes);
            settings::apply(settings::SAM, &mut w, props, today);
            w.rest(props, "no such attribute in lamc yet");
            out.push(Member::Blank);
            out.push(Member::Block("defaults".into(), w.body));
        } else if section == "Api" || section == "HttpApi" {
            // Read under each API of its kind (see `Apis::find`).
            if !apis.any(section == "Api") {
                notes.skip(
                    out,
                    format!("Globals.{section} (the template has no API of this kind)"),
                );
            }
        } else {
            notes.skip(out, format!("Globals.{section}"));
        }
    }
}

// ---- functions -----------------------------------------------------------------------------

/// The function's own role and log group, declared beside it in the original.
fn companion_settings(
    ctx: &Ctx,
    id: &str,
    props: &Map<String, Value>,
    given: &policies::Given,
    w: &mut Writer,
) {
    if let Some((group, days)) = ctx.companions.log_group_of(id) {
        let never = || LOG_RETENTION.word_of(LOG_RETENTION_WORDS, &LogRetention::Never);
        let value = days.map_or_else(|| never().to_string(), |d| format!("{d}d"));
        w.body
            .push(Member::Comment(format!("log_retention: Resources.{group}")));
        w.line(format!("log_retention = {value}"));
    }
    let role = ctx
        .companions
        .roles
        .iter()
        .find(|(_, fns)| fns.iter().any(|f| f == id))
        .map(|(r, _)| r.clone());
    w.took("Role");
    if let (None, Some(r)) = (&role, props.get("Role")) {
        w.skip(format!(
            "Role {} (lamc writes each function's role)",
            shown(r)
        ));
    }
    if let Some(role) = role {
        let mut lines = Vec::new();
        let res = &ctx.resources[&role];
        companions::role_lines(&role, res, ctx.scope, given, w.notes, &mut lines);
        let allows = lines.iter().any(|m| matches!(m, Member::Line(_)));
        let tail = if allows {
            "; its statements are the allow lines below"
        } else {
            ""
        };
        w.body.push(Member::Comment(format!(
            "Role {role}: lamc writes the function's own role{tail}"
        )));
        w.body.extend(lines);
    }
}

fn function(
    ctx: &Ctx,
    id: &str,
    target: &Target,
    props: &Map<String, Value>,
    notes: &mut Notes,
) -> Member {
    let mut w = Writer::new(ctx.scope, notes);
    let plain = ctx.resources[id].get("Type").and_then(Value::as_str) == Some(PLAIN_FUNCTION);
    let table = if plain { settings::CFN } else { settings::SAM };
    settings::apply(table, &mut w, props, ctx.today);
    let has_code = |m: &Map<String, Value>| {
        ["CodeUri", "InlineCode", "ImageUri"]
            .iter()
            .any(|k| m.contains_key(*k))
    };
    if !plain && !has_code(props) && !ctx.global_code {
        w.body.push(Member::Comment(
            "no CodeUri: SAM packs the template's folder".into(),
        ));
        w.line("code = \".\"".into());
    }
    // The triggers first, apart: the managed policies they give are said so.
    let (own, wired) = (own_triggers(ctx, props), wired_triggers(ctx, id));
    let given = policies::Given::of(own.0.iter().chain(&wired.0));
    companion_settings(ctx, id, props, &given, &mut w);
    w.took("Policies");
    if let Some(p) = props.get("Policies") {
        let mut lines = Vec::new();
        policies::sam_policies(p, ctx.scope, &given, w.notes, &mut lines);
        w.body.extend(lines);
    }
    w.took("Events");
    w.body.extend(own.0);
    w.notes.skipped.extend(own.1.skipped);
    wired_url(ctx, id, props, &mut w);
    w.body.extend(wired.0);
    w.notes.skipped.extend(wired.1.skipped);
    w.rest(props, "no such attribute in lamc yet");
    Member::Block(format!("function {}", target.name), w.body)
}

/// The `on …` lines of the function's own `Events`, with what did not come across.
fn own_triggers(ctx: &Ctx, props: &Map<String, Value>) -> (Vec<Member>, Notes) {
    let mut notes = Notes::default();
    let mut w = Writer::new(ctx.scope, &mut notes);
    if let Some(Value::Object(events)) = props.get("Events") {
        for (name, ev) in events {
            let Some(ev) = ev.as_object() else { continue };
            event(ctx, &mut w, name, ev);
        }
    }
    (w.body, notes)
}

/// The triggers that other resources of a plain CloudFormation template give the function
/// (see [`Wiring`]).
fn wired_triggers(ctx: &Ctx, id: &str) -> (Vec<Member>, Notes) {
    let mut notes = Notes::default();
    let mut w = Writer::new(ctx.scope, &mut notes);
    for (name, ev) in ctx.wiring.events.get(id).into_iter().flatten() {
        event(ctx, &mut w, name, ev);
    }
    (w.body, notes)
}

/// The URL that an `AWS::Lambda::Url` of a plain CloudFormation template gives the function.
fn wired_url(ctx: &Ctx, id: &str, props: &Map<String, Value>, w: &mut Writer) {
    if let Some(u) = ctx.wiring.urls.get(id) {
        let input = settings::Input {
            props,
            today: ctx.today,
            key: "FunctionUrlConfig",
        };
        super::convert::url(w, u, &input);
    }
}

// ---- events --------------------------------------------------------------------------------

fn event(ctx: &Ctx, w: &mut Writer, name: &str, ev: &Map<String, Value>) {
    let ty = ev.get("Type").and_then(Value::as_str).unwrap_or("?");
    let empty = Map::new();
    let p = ev
        .get("Properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let at = format!("Events.{name} ({ty})");
    match ty {
        "Api" | "HttpApi" => http(ctx, w, &at, ty, p),
        "EventBridgeRule" | "CloudWatchEvent" => event_bridge(w, &at, p),
        "SQS" => sqs(w, &at, p),
        "SNS" => sns(w, &at, p),
        "S3" => s3(w, &at, p),
        "DynamoDB" | "Kinesis" => stream(w, &at, ty, p),
        "MSK" => super::kafka::sam_event(ctx.resources, w, &at, p),
        "Schedule" | "ScheduleV2" => schedule(w, &at, ty, p),
        _ => w.skip(at),
    }
}

/// Comments for the properties of an event that were not read.
pub(super) fn rest_of(w: &mut Writer, at: &str, p: &Map<String, Value>, read: &[&str]) {
    for k in p.keys().filter(|k| !read.contains(&k.as_str())) {
        w.skip(format!("{at}: {k}"));
    }
}

fn http(ctx: &Ctx, w: &mut Writer, at: &str, ty: &str, p: &Map<String, Value>) {
    let api_key = if ty == "Api" { "RestApiId" } else { "ApiId" };
    let api = match p.get(api_key) {
        Some(v) => match w.scope.target(v).filter(|t| t.kind == Kind::Api) {
            Some(t) => Some(t),
            None => return w.skip(format!("{at}: an API outside the program")),
        },
        None => None,
    };
    let method = p.get("Method").and_then(Value::as_str).unwrap_or("ANY");
    let path = p.get("Path").and_then(Value::as_str);
    let Some(mut head) = triggers::http_head(w, at, method, path, ty == "Api") else {
        return;
    };

    if let Some(api) = api.as_ref().filter(|a| a.name != "default") {
        head.push_str(&format!(" via {}", api.path()));
    }
    let api_id = match p.get(api_key) {
        Some(v) => v.get("Ref").and_then(Value::as_str).unwrap_or_default(),
        None if ty == "Api" => IMPLICIT_REST,
        None => IMPLICIT_HTTP,
    };
    let opts = match ctx.apis.get(api_id) {
        Some(api) => api.route(w, at, p),
        None => vec!["public = true".to_string()],
    };
    for k in [
        "RequestParameters",
        "RequestModel",
        "RouteSettings",
        "TimeoutInMillis",
    ] {
        if p.contains_key(k) {
            w.skip(format!("{at}: {k}"));
        }
    }
    w.body.push(triggers::line(&head, &opts));
}

/// The APIs SAM creates for events that name none, when their globals or their kind (a
/// REST API's payload format) give `api default` something to say.
fn implicit_apis(ctx: &Ctx, notes: &mut Notes, out: &mut Vec<Member>) {
    let both = ctx.apis.get(IMPLICIT_HTTP).is_some() && ctx.apis.get(IMPLICIT_REST).is_some();
    for (id, ty) in [
        (IMPLICIT_HTTP, "AWS::Serverless::HttpApi"),
        (IMPLICIT_REST, "AWS::Serverless::Api"),
    ] {
        if ctx.apis.get(id).is_none() {
            continue;
        }
        if both && id == IMPLICIT_REST {
            notes.skip(
                out,
                "ServerlessRestApi's settings (its routes share api.default with the HttpApi events)",
            );
            continue;
        }
        let mut block = Vec::new();
        api_block(
            ctx,
            id,
            ty,
            &Target::new(Kind::Api, "default"),
            notes,
            &mut block,
        );
        let said = block.iter().any(|m| match m {
            Member::Block(head, body) => head.starts_with("auth ") || !body.is_empty(),
            _ => true,
        });
        if said {
            out.push(Member::Blank);
            out.extend(block);
        }
    }
}

/// An API's authorizers and its block, `api NAME { … }`, from its properties over the
/// globals of its kind.
fn api_block(
    ctx: &Ctx,
    id: &str,
    ty: &str,
    target: &Target,
    notes: &mut Notes,
    out: &mut Vec<Member>,
) {
    let Some(api) = ctx.apis.get(id) else { return };
    let mut w = Writer::new(ctx.scope, notes);
    let auths = api.declarations(&mut w);
    resources::api(&mut w, &api.props, ty);
    api.settings(&mut w);
    w.rest(&api.props, "no such attribute in lamc yet");
    out.extend(auths);
    out.push(Member::Block(
        format!("{} {}", target.kind.as_str(), target.name),
        w.body,
    ));
}

pub(super) fn source(w: &mut Writer, at: &str, v: Option<&Value>, kind: Kind) -> Option<Target> {
    let found = v.and_then(|v| w.scope.source(v)).filter(|t| t.kind == kind);
    if found.is_none() {
        w.skip(format!(
            "{at}: a {} outside the program ({})",
            kind.as_str(),
            v.map(shown).unwrap_or_default()
        ));
    }
    found
}

/// An EventBridge rule (`on event`), on the default bus or `on event bus.NAME`.
fn event_bridge(w: &mut Writer, at: &str, p: &Map<String, Value>) {
    let bus = match p.get("EventBusName") {
        None => None,
        Some(v) if v.as_str() == Some("default") => None,
        Some(v) => match w.scope.named(v).or_else(|| w.scope.source(v)) {
            Some(t) if t.kind == Kind::Bus => Some(t.path()),
            _ => return w.skip(format!("{at}: a rule on the bus {}", shown(v))),
        },
    };
    let disabled = p.get("Enabled").is_some_and(|v| !is_true(v))
        || p.get("State").and_then(Value::as_str) == Some("DISABLED");
    match triggers::event_rule(p.get("Pattern"), p.get("Input"), !disabled) {
        Ok(line) => {
            rest_of(
                w,
                at,
                p,
                &["Pattern", "Input", "Enabled", "State", "EventBusName"],
            );
            w.body.push(match bus {
                Some(b) => triggers::on_bus(line, &b),
                None => line,
            });
        }
        Err(why) => w.skip(format!("{at}: {why}")),
    }
}

fn sqs(w: &mut Writer, at: &str, p: &Map<String, Value>) {
    let Some(t) = source(w, at, p.get("Queue"), Kind::Queue) else {
        return;
    };
    let opts = settings::options(options::SAM_SQS, w, p, at);
    rest_of(w, at, p, &options::read(options::SAM_SQS, &["Queue"]));
    w.body
        .push(triggers::line(&format!("sqs {}", t.path()), &opts));
}

fn sns(w: &mut Writer, at: &str, p: &Map<String, Value>) {
    let Some(t) = source(w, at, p.get("Topic"), Kind::Topic) else {
        return;
    };
    let mut opts = Vec::new();
    if let Some(f) = p.get("FilterPolicy") {
        match filter(f) {
            Some(f) => opts.push(format!("filter = {f}")),
            None => w.skip(format!("{at}: FilterPolicy ({})", shown(f))),
        }
    }
    rest_of(w, at, p, &["Topic", "FilterPolicy"]);
    w.body
        .push(triggers::line(&format!("sns {}", t.path()), &opts));
}

/// An SNS filter policy of exact string matches (`{ kind = ["a", "b"] }`).
pub fn filter(f: &Value) -> Option<String> {
    let mut entries = Vec::new();
    for (k, v) in f.as_object()? {
        let values: Vec<String> = match v {
            Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map(write::string))
                .collect::<Option<_>>()?,
            Value::String(s) => vec![write::string(s)],
            _ => return None,
        };
        entries.push(format!(
            "{} = [{}]",
            triggers::map_key(k),
            values.join(", ")
        ));
    }
    Some(format!("{{ {} }}", entries.join(", ")))
}

fn s3(w: &mut Writer, at: &str, p: &Map<String, Value>) {
    let Some(t) = source(w, at, p.get("Bucket"), Kind::Bucket) else {
        return;
    };
    let mut opts = Vec::new();
    let events = p.get("Events").map(triggers::s3_events).unwrap_or_default();
    if !events.is_empty() && events != ["created"] {
        opts.push(format!("events = [{}]", events.join(", ")));
    }
    let rules = p
        .get("Filter")
        .and_then(|f| f.get("S3Key"))
        .and_then(|k| k.get("Rules"))
        .and_then(Value::as_array);
    for r in rules.into_iter().flatten() {
        let name = r
            .get("Name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase();
        match (name.as_str(), r.get("Value").map(|v| w.scope.expr(v))) {
            ("prefix" | "suffix", Some(Ok(v))) => opts.push(format!("{name} = {}", quoted(&v))),
            _ => w.skip(format!("{at}: filter rule {}", shown(r))),
        }
    }
    rest_of(w, at, p, &["Bucket", "Events", "Filter"]);
    w.body
        .push(triggers::line(&format!("s3 {}", t.path()), &opts));
}

fn stream(w: &mut Writer, at: &str, ty: &str, p: &Map<String, Value>) {
    let (kind, word) = if ty == "DynamoDB" {
        (Kind::Table, "dynamodb")
    } else {
        (Kind::Stream, "kinesis")
    };
    let Some(t) = source(w, at, p.get("Stream"), kind) else {
        return;
    };
    let opts = settings::options(options::SAM_STREAM, w, p, at);
    rest_of(w, at, p, &options::read(options::SAM_STREAM, &["Stream"]));
    w.body
        .push(triggers::line(&format!("{word} {}", t.path()), &opts));
}

fn schedule(w: &mut Writer, at: &str, ty: &str, p: &Map<String, Value>) {
    let key = if ty == "Schedule" {
        "Schedule"
    } else {
        "ScheduleExpression"
    };
    let Some(expr) = p.get(key).and_then(Value::as_str) else {
        return w.skip(format!("{at}: a schedule lamc must know"));
    };
    let Some(ours) = triggers::schedule(expr) else {
        return w.skip(format!("{at}: schedule {expr}"));
    };
    let mut opts = Vec::new();
    if ty == "ScheduleV2" {
        // A time zone is how lamc chooses the EventBridge Scheduler, as ScheduleV2 does.
        let tz = p
            .get("ScheduleExpressionTimezone")
            .and_then(Value::as_str)
            .unwrap_or("UTC");
        opts.push(format!("timezone = {}", write::string(tz)));
    }
    if let Some(input) = p.get("Input") {
        let parsed = input
            .as_str()
            .and_then(|s| serde_json::from_str::<Value>(s).ok());
        match parsed
            .as_ref()
            .filter(|v| v.is_object())
            .and_then(triggers::map_literal)
        {
            Some(m) => opts.push(format!("input = {m}")),
            None => w.skip(format!("{at}: Input ({})", shown(input))),
        }
    }
    let disabled = p.get("Enabled").is_some_and(|v| !is_true(v))
        || p.get("State").and_then(Value::as_str) == Some("DISABLED");
    if disabled {
        opts.push("enabled = false".into());
    }
    let read = [
        key,
        "ScheduleExpressionTimezone",
        "Input",
        "Enabled",
        "State",
        "Description",
    ];
    rest_of(w, at, p, &read);
    w.body
        .push(triggers::line(&format!("schedule {ours}"), &opts));
}

// ---- resources and outputs -----------------------------------------------------------------

fn resource(ctx: &Ctx, id: &str, res: &Value, notes: &mut Notes, out: &mut Vec<Member>) {
    let ty = res.get("Type").and_then(Value::as_str).unwrap_or("?");
    let empty = Map::new();
    let props = res
        .get("Properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut comments = Vec::new();
    resources::attributes(res, &format!("Resources.{id}"), notes, &mut comments);
    if ty == "AWS::CloudWatch::Alarm" {
        match resources::alarm(props, ctx.scope) {
            Ok(line) => {
                out.extend(comments);
                out.push(line);
            }
            Err(why) => notes.skip(out, format!("Resources.{id} ({ty}: {why})")),
        }
        return;
    }
    if let Some(what) = ctx.wiring.absorbed.get(id) {
        out.extend(comments);
        out.push(Member::Comment(what.clone()));
        return;
    }
    if let Some(comment) = ctx.companions.place(id, ctx.scope) {
        out.extend(comments);
        out.push(comment);
        return;
    }
    let Some(target) = ctx.scope.decls.get(id) else {
        let why = if layers::is_layer(ty) {
            ": its code is not a folder or an S3 object lamc can name"
        } else {
            ""
        };
        notes.skip(out, format!("Resources.{id} ({ty}){why}"));
        return;
    };
    out.extend(comments);
    let retain = super::stateful::retained(res);
    if target.kind == Kind::Function {
        out.push(function(ctx, id, target, props, notes));
    } else if target.kind == Kind::Api {
        api_block(ctx, id, ty, target, notes, out);
    } else if ctx.wiring.notified_buckets.iter().any(|b| b == id) {
        // Its notifications are the `on s3` lines of the functions they invoke.
        let mut props = props.clone();
        props.remove("NotificationConfiguration");
        out.push(resources::declare(
            ty, target, &props, ctx.scope, notes, retain,
        ));
    } else {
        out.push(resources::declare(
            ty, target, props, ctx.scope, notes, retain,
        ));
    }
}

/// `Outputs` (`at` names the section in comments) → `output name = …`.
pub(super) fn outputs(
    v: Option<&Value>,
    at: &str,
    scope: &Scope,
    notes: &mut Notes,
    out: &mut Vec<Member>,
) {
    let Some(outputs) = v.and_then(Value::as_object) else {
        return;
    };
    out.push(Member::Blank);
    for (id, o) in outputs {
        let Some(value) = o.get("Value") else {
            continue;
        };
        let value = api_url(value, scope).unwrap_or_else(|| value.clone());
        match scope.expr(&value) {
            Ok(e) => out.push(Member::Line(format!("output {} = {e}", snake(id)))),
            Err(why) => notes.skip(out, format!("{at}.{id} ({why})")),
        }
        if o.get("Export").is_some() {
            notes.skip(
                out,
                format!("{at}.{id}.Export (lamc's outputs are not exported)"),
            );
        }
    }
}

/// An API's URL as SAM's examples write it (`https://${ServerlessRestApi}.execute-api.
/// ${AWS::Region}.amazonaws.com/Prod/hello/`) as the lamc API's URL and the same path (the
/// REST stage dropped: lamc's API serves `$default`).
fn api_url(v: &Value, scope: &Scope) -> Option<Value> {
    let text = v.get("Fn::Sub")?.as_str()?;
    let rest = text.strip_prefix("https://${")?;
    let (id, after) = rest.split_once('}')?;
    let target = scope.decls.get(id).filter(|t| t.kind == Kind::Api)?;
    let after = after.strip_prefix(".execute-api.${AWS::Region}.")?;
    let after = after
        .strip_prefix("amazonaws.com")
        .or_else(|| after.strip_prefix("${AWS::URLSuffix}"))?;
    let path = if target.rest {
        let stage = after.strip_prefix('/')?;
        stage.find('/').map_or("", |i| &stage[i..])
    } else {
        after
    };
    let mut m = Map::new();
    m.insert(
        "Fn::Sub".into(),
        Value::String(format!("${{{id}.ApiEndpoint}}{path}")),
    );
    Some(Value::Object(m))
}

#[cfg(test)]
mod tests {
    use crate::import::testkit::{holds, program};

    #[test]
    fn a_function_with_its_events_and_policies() {
        let (text, skipped) = program(
            r#"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
    Default: subnet-0123456789abcdef0,subnet-0fedcba9876543210
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 180
  WorkerFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      MemorySize: 512
      Environment:
        Variables:
          QUEUE: !Ref Jobs
      Policies:
        - SQSSendMessagePolicy:
            QueueName: !GetAtt Jobs.QueueName
      VpcConfig:
        SubnetIds: !Ref Subnets
        SecurityGroupIds: [sg-0123456789abcdef0]
        Ipv6AllowedForDualStack: true
      Events:
        Get:
          Type: Api
          Properties:
            Path: /items/{id}
            Method: get
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            BatchSize: 5
        Nightly:
          Type: Schedule
          Properties:
            Schedule: cron(0 3 * * ? *)
Outputs:
  Api:
    Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/items/"
"#,
        );
        holds(&text, &[
            "defaults {\n  runtime = python3.12\n  timeout = 30s\n}",
            "queue jobs { visibility = 3m }",
            "function worker {",
            "code    = \"src\"",
            "env { QUEUE = queue.jobs.url }",
            "allow [\"sqs:SendMessage*\"] on queue.jobs",
            "param subnets: subnets = [\"subnet-0123456789abcdef0\", \"subnet-0fedcba9876543210\"]",
            "vpc { subnets = param.subnets, security_groups = [\"sg-0123456789abcdef0\"], ipv6 = true }",
            "on http \"GET /items/{id}\" { public = true }",
            "on sqs queue.jobs { batch = 5 }",
            "on schedule cron(\"0 3 * * ? *\")",
            "output api = \"${api.default.url}/items/\"",
        ]);
        assert!(skipped.is_empty(), "{skipped:?}");
    }

    #[test]
    fn parameters_blocked_runtimes_and_unknown_resources() {
        let (text, skipped) = program(
            r#"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  Subnets:
    Type: AWS::SSM::Parameter::Value<String>
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Flow:
    Type: AWS::StepFunctions::StateMachine
  Old:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs12.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => 1;"
      Environment:
        Variables:
          STAGE: !Sub "${Stage}"
          PICK: !If [IsProd, a, b]
"#,
        );
        assert!(
            text.contains("param stage: string = \"dev\" { allowed = [\"dev\", \"prod\"] }"),
            "{text}"
        );
        assert!(
            text.contains("# not imported: Resources.Flow (AWS::StepFunctions::StateMachine)"),
            "{text}"
        );
        assert!(text.contains("runtime = nodejs"), "{text}");
        assert!(
            text.contains("Lambda no longer creates functions on it"),
            "{text}"
        );
        assert!(text.contains("STAGE = param.stage"), "{text}");
        assert!(
            text.contains("# not imported: Environment.Variables.PICK (Fn::If)"),
            "{text}"
        );
        assert_eq!(skipped.len(), 4, "{skipped:?}");
    }

    #[test]
    fn streams_buckets_schedules_urls_and_async() {
        let (text, skipped) = program(
            r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
  Uploads:
    Type: AWS::S3::Bucket
  Failed:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      CodeUri: .
      Architectures: [arm64]
      ReservedConcurrentExecutions: 10
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig: {ProvisionedConcurrentExecutions: 2}
      EventInvokeConfig:
        MaximumRetryAttempts: 1
        DestinationConfig:
          OnFailure: {Type: SQS, Destination: !GetAtt Failed.Arn}
      FunctionUrlConfig: {AuthType: AWS_IAM}
      Events:
        Changes:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Orders.StreamArn
            StartingPosition: TRIM_HORIZON
            BatchSize: 50
            BisectBatchOnFunctionError: true
            FilterCriteria: {Filters: [{Pattern: '{"eventName": ["INSERT"]}'}]}
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
            Filter: {S3Key: {Rules: [{Name: prefix, Value: in/}, {Name: suffix, Value: .csv}]}}
        Nightly:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: cron(0 3 * * ? *)
            ScheduleExpressionTimezone: Europe/Paris
        Partner:
          Type: SQS
          Properties:
            Queue: arn:aws:sqs:us-east-1:123456789012:partner-jobs
        Bus:
          Type: EventBridgeRule
          Properties: {Pattern: {source: [shop]}}
        Other:
          Type: EventBridgeRule
          Properties: {EventBusName: orders, Pattern: {source: [shop]}}
"#,
        );
        holds(&text, &[
            "table orders { key = { id = string }, stream = new_and_old }",
            "queue partner_jobs from \"arn:aws:sqs:us-east-1:123456789012:partner-jobs\"",
            "architecture = arm64",
            "concurrency { reserved = 10, provisioned = 2 }",
            "async { retries = 1, on_failure = queue.failed }",
            "url { auth = iam }",
            "on dynamodb table.orders {\n    start  = trim_horizon\n    batch  = 50\n    bisect = true\n    filter = { eventName = [\"INSERT\"] }\n  }",
            "on s3 bucket.uploads { prefix = \"in/\", suffix = \".csv\" }",
            "on schedule cron(\"0 3 * * ? *\") { timezone = \"Europe/Paris\" }",
            "on sqs queue.partner_jobs",
            "on event { pattern = { source = [\"shop\"] } }",
            "bus   orders       from \"arn:aws:events:${aws.region}:${aws.account_id}:event-bus/orders\"",
            "on event bus.orders { pattern = { source = [\"shop\"] } }",
        ]);
        assert!(skipped.is_empty(), "{skipped:?}");
    }

    #[test]
    fn language_v2_function_settings() {
        let (text, skipped) = program(
            r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    LoggingConfig: {LogFormat: JSON, ApplicationLogLevel: INFO, SystemLogLevel: WARN, LogGroup: /teams/orders}
Resources:
  Java:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: java21
      Handler: app.Handler::handle
      CodeUri: java/
      SnapStart: {ApplyOn: PublishedVersions}
      AutoPublishAlias: prod
      RecursiveLoop: Allow
      RuntimeManagementConfig:
        UpdateRuntimeOn: Manual
        RuntimeVersionArn: arn:aws:lambda:us-east-1::runtime:0123456789abcdef
      CodeSigningConfigArn: arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0
      TenancyConfig: {TenantIsolationMode: PER_TENANT}
      DeadLetterQueue: {Type: SNS, TargetArn: arn:aws:sns:us-east-1:123456789012:failed-orders}
  Py:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      AutoPublishAlias: live
      RuntimeManagementConfig: {UpdateRuntimeOn: FunctionUpdate}
      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Failed.Arn}
  Warm:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      AutoPublishAlias: warm
      ProvisionedConcurrencyConfig: {ProvisionedConcurrentExecutions: 2}
      SnapStart: {ApplyOn: None}
  Failed:
    Type: AWS::SQS::Queue
"#,
        );
        holds(&text, &[
            "defaults {\n  logging {\n    format       = json\n    level        = info\n    system_level = warn\n    group        = \"/teams/orders\"\n  }\n}",
            "topic failed_orders from \"arn:aws:sns:us-east-1:123456789012:failed-orders\"",
            "# AutoPublishAlias prod: snap_start publishes the version in lamc",
            "alias           = \"prod\"",
            "snap_start      = true",
            "recursion       = allow",
            "runtime_updates = manual(\"arn:aws:lambda:us-east-1::runtime:0123456789abcdef\")",
            "code_signing    = \"arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-0123456789abcdef0\"",
            "tenancy         = per_tenant",
            "dead_letter     = topic.failed_orders",
            "publish         = true",
            "runtime_updates = on_deploy",
            "dead_letter     = queue.failed",
            "concurrency { provisioned = 2 }",
            "# AutoPublishAlias warm: provisioned concurrency publishes the version in lamc",
            "alias      = \"warm\"",
            "snap_start = false",
        ]);
        // `live` is lamc's own alias name: nothing to write.
        assert!(!text.contains("alias           = \"live\""), "{text}");
        assert!(skipped.is_empty(), "{skipped:?}");
    }

    #[test]
    fn layers_of_the_template_are_declared_and_listed_by_name() {
        let (text, skipped) = program(
            r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  DepsLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: deps/
      CompatibleRuntimes: [python3.13]
      CompatibleArchitectures: [arm64]
      LicenseInfo: MIT
  Shared:
    Type: AWS::Lambda::LayerVersion
    Properties:
      Content: {S3Bucket: artifacts, S3Key: layers/shared.zip}
  Picked:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: !If [IsProd, a/, b/]
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Architectures: [arm64]
      Layers: [!Ref DepsLayer, !Ref Shared, !Ref Picked, "arn:aws:lambda:us-east-1:123456789012:layer:x:2"]
"#,
        );
        holds(&text, &[
            "layer deps {\n  code          = \"deps\"\n  runtimes      = [python3.13]\n  architectures = [arm64]\n  license       = \"MIT\"\n}",
            "layer shared { code = s3(\"artifacts\", \"layers/shared.zip\") }",
            "layers       = [layer.deps, layer.shared, \"arn:aws:lambda:us-east-1:123456789012:layer:x:2\"]",
        ]);
        assert_eq!(
            skipped,
            [
                "Resources.Picked (AWS::Serverless::LayerVersion): its code is not a folder or an S3 object lamc can name",
                "Layers: Picked (a layer lamc cannot declare)"
            ]
        );
    }

    #[test]
    fn stateful_resources_keep_name_retention_recovery_keys_and_tags() {
        let (text, skipped) = program(
            r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      TableName: orders
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
      SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: alias/orders}
      Tags: [{Key: team, Value: shop}]
  Jobs:
    Type: AWS::SQS::Queue
    DeletionPolicy: Delete
    Properties:
      KmsMasterKeyId: alias/jobs
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Environment: {Variables: {TABLE: orders}}
"#,
        );
        holds(&text, &[
            "table orders {\n  name   = \"orders\"\n  retain = true\n  kms    = \"alias/orders\"\n  pitr   = true\n  tags   = { team = \"shop\" }\n  key    = { id = string }\n}",
            "# not imported: Resources.Jobs.DeletionPolicy: Delete",
            "queue jobs { kms = \"alias/jobs\" }",
            "env { TABLE = table.orders.name }",
        ]);
        assert_eq!(skipped, ["Resources.Jobs.DeletionPolicy: Delete"]);
    }

    #[test]
    fn rules_on_buses_of_the_template_and_outside_it() {
        let (text, skipped) = program(
            r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Events::EventBus
    Properties: {Name: orders-bus}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.h
      Events:
        Mine: {Type: EventBridgeRule, Properties: {EventBusName: !Ref Orders, Pattern: {source: [a]}}}
        Named: {Type: EventBridgeRule, Properties: {EventBusName: orders-bus, Pattern: {source: [b]}}}
        Audit: {Type: CloudWatchEvent, Properties: {EventBusName: "arn:aws:events:us-east-1:123456789012:event-bus/audit", Pattern: {source: [c]}}}
        Default: {Type: EventBridgeRule, Properties: {EventBusName: default, Pattern: {source: [d]}}}
"#,
        );
        holds(
            &text,
            &[
                "bus audit from \"arn:aws:events:us-east-1:123456789012:event-bus/audit\"",
                "bus orders {\n  # not imported: Name: \"orders-bus\"",
                "on event bus.orders { pattern = { source = [\"a\"] } }",
                "on event bus.orders { pattern = { source = [\"b\"] } }",
                "on event bus.audit { pattern = { source = [\"c\"] } }",
                "on event { pattern = { source = [\"d\"] } }",
            ],
        );
        assert_eq!(skipped.len(), 1, "{skipped:?}");
    }

    #[test]
    fn plain_cloudformation_functions_take_their_triggers_from_the_wiring() {
        let (text, skipped) = program(
            r#"
Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Code: {ZipFile: "def handler(e, c): pass"}
      TracingConfig: {Mode: Active}
      Tags: [{Key: team, Value: orders}]
      DeadLetterConfig: {TargetArn: !GetAtt Failed.Arn}
  Jobs:
    Type: AWS::SQS::Queue
  Failed:
    Type: AWS::SQS::Queue
  Alerts:
    Type: AWS::SNS::Topic
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Jobs.Arn, FunctionName: !Ref Worker, BatchSize: 5}
  Sub:
    Type: AWS::SNS::Subscription
    Properties: {Protocol: lambda, Endpoint: !GetAtt Worker.Arn, TopicArn: !Ref Alerts}
  Nightly:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 day)
      Targets: [{Id: w, Arn: !GetAtt Worker.Arn}]
  NightlyPermission:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !Ref Worker, Action: lambda:InvokeFunction, Principal: events.amazonaws.com}
  Url:
    Type: AWS::Lambda::Url
    Properties: {TargetFunctionArn: !Ref Worker, AuthType: AWS_IAM}
  Other:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !Ref Worker, Action: lambda:InvokeFunction, Principal: iot.amazonaws.com}
"#,
        );
        holds(&text, &[
            "function worker {",
            "code        = inline(\"\"\"def handler(e, c): pass\"\"\")",
            "tracing     = active",
            "tags        = { team = \"orders\" }",
            "dead_letter = queue.failed",
            "url { auth = iam }",
            "on sqs queue.jobs { batch = 5 }",
            "on sns topic.alerts",
            "on schedule rate(1d)",
            "# Resources.Mapping (AWS::Lambda::EventSourceMapping): the `on sqs` line of function worker",
            "# Resources.NightlyPermission (AWS::Lambda::Permission): lamc writes the permission of function worker's trigger",
            "# not imported: Resources.Other (AWS::Lambda::Permission)",
        ]);
        assert_eq!(skipped, ["Resources.Other (AWS::Lambda::Permission)"]);
    }

    #[test]
    fn a_dead_letter_queue_of_the_globals_outside_the_template_is_declared() {
        let (text, skipped) = program(
            r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    DeadLetterQueue: {Type: SQS, TargetArn: arn:aws:sqs:us-east-1:123456789012:failed}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: src/}
"#,
        );
        assert!(
            text.contains("queue failed from \"arn:aws:sqs:us-east-1:123456789012:failed\""),
            "{text}"
        );
        assert!(
            text.contains("defaults {\n  dead_letter = queue.failed\n}"),
            "{text}"
        );
        assert!(skipped.is_empty(), "{skipped:?}");
    }
}
