//! One function → `AWS::Lambda::Function`, its log group, and the statements its role needs
//! for logging, tracing and `allow` lines. Concurrency, URL and async settings are lowered
//! by their own modules from here.

use super::ctx::Ctx;
use super::iam::Statement;
use super::tree::{Node, Props};
use super::values::join;
use super::{Resource, ARTIFACTS_BUCKET};
use crate::model::{Architecture, CodeSource, Function, Kind, ResRef, Tracing};
use crate::schema;

pub fn lower<'m>(cx: &mut Ctx<'m>, f: &'m Function) {
    let name = f.name.value.as_str();
    let Some(ids) = cx.fn_ids(name).cloned() else {
        return;
    };
    cx.current = Some(name);
    lower_owned(cx, f, &ids);
    cx.current = None;
}

fn lower_owned(cx: &mut Ctx, f: &Function, ids: &super::ctx::FnIds) {
    log_group(cx, f, &ids.log_group);
    role_statements(cx, f, ids);
    super::layer::check_size(cx, f);
    let props = properties(cx, f, &ids.role, &ids.log_group);
    // Only functions with an alias publish versions; formatting every function's
    // properties for nothing cost a tenth of planning. The seed is the template's own
    // text of the properties, so that the Version's ID changes when, and only when, what
    // CloudFormation sees changes (not when lamc's internal types do).
    let version_seed = if f.has_alias() {
        crate::template::props_json(&props.0)
    } else {
        String::new()
    };
    cx.add(&ids.function, Resource::new("AWS::Lambda::Function", props));

    super::concurrency::lower(cx, f, &version_seed);
    super::url::lower(cx, f);
    super::async_config::lower(cx, f);
}

/// The function's log group, with its retention and the stack's tags.
fn log_group(cx: &mut Ctx, f: &Function, id: &str) {
    // The log group exists before the function so that nothing else creates it; it is
    // named by `logging { group }`, else only when the function is named, which avoids a
    // function ↔ log group cycle.
    let group_name = match f.logging.as_ref().and_then(|l| l.group.as_ref()) {
        Some(group) => Some(cx.text(&group.value)),
        None => f
            .function_name
            .as_ref()
            .map(|n| join(vec![Node::str("/aws/lambda/"), cx.text(&n.value)])),
    };
    let log_group = Props::new()
        .opt("LogGroupName", group_name)
        // Secure by default: a retention unless `log_retention = never` (LOG-01).
        .opt("RetentionInDays", f.log_retention_days().map(Node::int))
        .opt("Tags", cx.tags(&Default::default()));
    cx.add(id, Resource::new("AWS::Logs::LogGroup", log_group));
}

/// What the function's role allows: writing its logs, tracing, its `allow` lines (and
/// the keys of what they write), a durable function's own checkpoints.
fn role_statements(cx: &mut Ctx, f: &Function, ids: &super::ctx::FnIds) {
    let name = f.name.value.as_str();
    // IP-01: the stack creates the group, so only stream creation and writes are needed;
    // the group's Arn attribute ends in `:*`, which covers its streams.
    cx.statement(
        name,
        Statement::new(
            &["logs:CreateLogStream", "logs:PutLogEvents"],
            vec![Node::get_att(&ids.log_group, "Arn")],
        ),
    );
    if f.tracing().is_some_and(|t| t.value == Tracing::Active) {
        // IP-08: X-Ray's write actions do not support resource-level permissions.
        cx.statement(
            name,
            Statement::new(
                &["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                vec![Node::str("*")],
            ),
        );
    }
    for rule in &f.allows {
        for st in super::allow::statements(cx, rule) {
            cx.statement(name, st);
        }
        if let Some(target) = rule.res_ref() {
            super::kms::writer(cx, name, target);
        }
    }
    if let Some(st) = super::network::durable_statement(f, &ids.function) {
        cx.statement(name, st);
    }
}

fn properties(cx: &mut Ctx, f: &Function, role: &str, log_group: &str) -> Props {
    let mut p = Props::new().opt("FunctionName", function_name(cx, f));
    code(cx, f, &mut p);
    p = p
        .set("MemorySize", Node::int(f.memory_mb()))
        .set("Timeout", Node::int(f.timeout_seconds()))
        .opt(
            "Architectures",
            f.architecture.as_ref().map(|a| architectures(a.value)),
        );
    if !f.env.is_empty() {
        let vars = f
            .env
            .iter()
            .map(|(k, v)| (k.clone().into(), cx.string_value(&v.value)))
            .collect();
        p.put(
            "Environment",
            Props::new().set("Variables", Node::Map(vars)).node(),
        );
    }
    if !f.layers.is_empty() {
        p.put("Layers", cx.text_list(f.layers.iter().map(|l| &l.value)));
    }
    p = p
        .opt(
            "ReservedConcurrentExecutions",
            f.concurrency
                .as_ref()
                .and_then(|c| c.reserved.as_ref())
                .map(|r| Node::int(r.value)),
        )
        .set(
            "LoggingConfig",
            Props::new().set("LogGroup", Node::ref_(log_group)).node(),
        )
        .set("Role", Node::get_att(role, "Arn"))
        .opt("Tags", cx.tags(&f.tags));
    super::settings::write(cx, &mut p, &schema::FUNCTION, &f.settings);
    hand_lowered(cx, f, &mut p);
    if let Some(logging) = &f.logging {
        super::settings::write(cx, &mut p, &schema::LOGGING, &logging.settings);
    }
    super::capacity::properties(cx, f, &mut p);
    super::network::properties(cx, f, &mut p);
    super::settings::order(&mut p, PROPERTY_ORDER);
    p
}

/// `FunctionName`: the one written, or, for a function that would close a cycle, a name
/// known in advance (see `known`).
fn function_name(cx: &mut Ctx, f: &Function) -> Option<Node> {
    let name = f.name.value.as_str();
    let given = f.function_name.as_ref().map(|n| cx.text(&n.value));
    let me = ResRef {
        kind: Kind::Function,
        name: name.to_string(),
    };
    if cx.is_known(&me) {
        Some(super::known::function_name(name, given))
    } else {
        given
    }
}

/// `Code`, with `PackageType` for an image and `Runtime` and `Handler` for the others.
fn code(cx: &mut Ctx, f: &Function, p: &mut Props) {
    if let Some(CodeSource::Image(uri)) = f.code.as_ref().map(|c| &c.value) {
        // FN-03/FN-04: image functions take neither runtime nor handler.
        p.put("PackageType", Node::str("Image"));
        p.put("Code", Props::new().set("ImageUri", cx.text(uri)).node());
        return;
    }
    if let Some(r) = &f.runtime {
        p.put("Runtime", Node::str(r.value.clone()));
    }
    p.put("Handler", Node::str(handler_or_default(f).to_string()));
    let code = match f.code.as_ref().map(|c| &c.value) {
        Some(CodeSource::Inline(src)) => Props::new().set("ZipFile", Node::str(src.clone())),
        Some(CodeSource::S3 { bucket, key }) => Props::new()
            .set("S3Bucket", cx.text(bucket))
            .set("S3Key", cx.text(key)),
        Some(CodeSource::Local { .. }) => match cx.code_key(&f.name.value) {
            Some(key) => Props::new()
                .set("S3Bucket", Node::ref_(ARTIFACTS_BUCKET))
                .set("S3Key", Node::str(key)),
            None => Props::new(),
        },
        // The checker requires `code`; keep the template well-formed regardless.
        _ => Props::new(),
    };
    p.put("Code", code.node());
}

fn architectures(a: Architecture) -> Node {
    Node::list_of_str([schema::architecture_cfn(a)])
}

/// The settings the schema's `.cfn` paths cannot write: the dead-letter target (which
/// the role may send to), runtime management and SnapStart.
fn hand_lowered(cx: &mut Ctx, f: &Function, p: &mut Props) {
    if let Some(target) = &f.dead_letter {
        // AI-06: the role may send to exactly this queue or topic.
        let arn = super::async_config::destination(cx, &f.name.value, &target.value);
        p.put(
            "DeadLetterConfig",
            Props::new().set("TargetArn", arn).node(),
        );
    }
    if let Some(updates) = &f.runtime_updates {
        let mode = schema::RUNTIME_UPDATES
            .cfn_of(schema::RUNTIME_UPDATE_MODES, &updates.value.mode)
            .unwrap_or("Auto");
        let config = Props::new().set("UpdateRuntimeOn", Node::str(mode)).opt(
            "RuntimeVersionArn",
            updates.value.version.as_ref().map(|v| cx.text(&v.value)),
        );
        p.put("RuntimeManagementConfig", config.node());
    }
    if f.flag("snap_start").is_some_and(|s| s.value) {
        // SS-02: snapshots are taken when a version is published (the alias's version).
        p.put(
            "SnapStart",
            Props::new()
                .set("ApplyOn", Node::str("PublishedVersions"))
                .node(),
        );
    }
}

/// The order of a function's properties in the template, the hand-lowered ones and those
/// written from the schema alike (templates keep their bytes whichever lowers them).
/// Properties not listed follow these, in schema order.
const PROPERTY_ORDER: &[&str] = &[
    "FunctionName",
    "Description",
    "PackageType",
    "Runtime",
    "Handler",
    "Code",
    "MemorySize",
    "Timeout",
    "EphemeralStorage",
    "Architectures",
    "Environment",
    "Layers",
    "TracingConfig",
    "ReservedConcurrentExecutions",
    "LoggingConfig",
    "Role",
    "Tags",
];

/// The handler to emit. OS-only runtimes (`provided.*`) run the package's `bootstrap`
/// executable and ignore the handler, but a zip function must still name one (FN-03), so
/// the conventional `bootstrap` stands in when none is written.
fn handler_or_default(f: &Function) -> &str {
    match &f.handler {
        Some(h) => &h.value,
        None => "bootstrap",
    }
}
