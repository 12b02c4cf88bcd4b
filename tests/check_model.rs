//! What the checker builds: the language.md §1 example, precedence of inherited
//! attributes, `use`, `let`, triggers, alarms and schedules.

use crate::check_support;

use check_support::*;
use lamc::diag::Code;
use lamc::model::*;
use lamc::syntax::ast::CmpOp;

const EXAMPLE: &str = r#"# Resize images on upload; nightly cleanup; alarms page the on-call topic.
app thumbnails {
  description = "Image thumbnails"
  tags = { team = "media" }
}

use std.alarms                      # templates from the standard library

param stage: string = "dev" { allowed = ["dev", "prod"] }

defaults {                          # applies to every function in this file
  runtime      = python3.12
  architecture = arm64
  memory       = 512MB
  timeout      = 30s
  log_retention = 30d
}

bucket uploads {}
bucket thumbs {}
queue  dead_letters { retention = 14d }
topic  oncall { email = ["oncall@example.com"] }

function resize extends standard_alarms {
  handler = "resize.handler"
  code    = "src/resize"            # a local folder, zipped by lamc
  memory  = 2GB
  timeout = 2m
  env { THUMBS = bucket.thumbs.name, STAGE = "${param.stage}" }
  allow ["s3:PutObject"] on bucket.thumbs

  on s3 bucket.uploads { events = [created], prefix = "images/", suffix = ".jpg" }

  concurrency { reserved = 100, provisioned = 5..50 at 70% }
  async { retries = 1, on_failure = queue.dead_letters }

  alarm errors >= 5 over 5m notify topic.oncall
  alarm duration.p99 > 90s over 5m for 3 of 5 notify topic.oncall
}

function cleanup {
  handler = "cleanup.handler"
  code    = "src/cleanup"
  on schedule cron("0 3 * * ? *") { timezone = "Europe/Berlin" }
}

output thumbs_bucket = bucket.thumbs.name
"#;

fn model(c: &lamc::driver::Compilation) -> &Model {
    c.model.as_ref().expect("a model")
}

fn checker_errors(c: &lamc::driver::Compilation) -> Vec<String> {
    // Codes the checker owns (the rules' E04xx depend on the machine, e.g. code folders).
    c.diagnostics
        .iter()
        .filter(|d| d.is_error() && (d.code.as_str() < "E0400"))
        .map(|d| format!("{} line {}: {}", d.code, line_of(c, d), d.message))
        .collect()
}

fn r(kind: Kind, name: &str) -> ResRef {
    ResRef {
        kind,
        name: name.into(),
    }
}

#[test]
fn language_example_lowers() {
    let c = check(EXAMPLE);
    assert_eq!(checker_errors(&c), Vec::<String>::new());
    assert!(with_code(&c, Code::W0506).is_empty(), "{}", render(&c));
    let m = model(&c);
    let app = m.app.as_ref().expect("app");
    assert_eq!(app.name.value, "thumbnails");
    assert_eq!(
        app.tags.get("team").and_then(|t| t.value.as_literal()),
        Some("media")
    );
    assert_eq!(m.params.len(), 1);
    assert_eq!(
        m.params[0].default.as_ref().map(|d| d.value.as_str()),
        Some("dev")
    );
    assert_eq!(m.params[0].allowed.len(), 2);
    assert_eq!(m.resources.len(), 4);
    let dlq = m.resource(&r(Kind::Queue, "dead_letters")).expect("queue");
    match &dlq.origin {
        Origin::Created(Spec::Queue(q)) => {
            assert_eq!(q.retention.as_ref().map(|v| v.value), Some(14 * 86_400))
        }
        o => panic!("{o:?}"),
    }

    let f = m.function("resize").expect("resize");
    assert_eq!(f.memory.as_ref().map(|v| v.value), Some(2048));
    assert_eq!(f.timeout.as_ref().map(|v| v.value), Some(120));
    assert_eq!(
        f.runtime.as_ref().map(|v| v.value.as_str()),
        Some("python3.12")
    );
    assert_eq!(
        f.architecture.as_ref().map(|v| v.value),
        Some(Architecture::Arm64)
    );
    assert_eq!(
        f.log_retention.as_ref().map(|v| v.value),
        Some(LogRetention::Days(30))
    );
    assert_eq!(
        f.templates
            .iter()
            .map(|t| t.value.as_str())
            .collect::<Vec<_>>(),
        ["standard_alarms"]
    );
    assert!(
        matches!(&f.code.as_ref().expect("code").value, CodeSource::Local { written, .. } if written == "src/resize")
    );
    assert_eq!(
        f.env.get("THUMBS").map(|v| &v.value),
        Some(&Value::Attr {
            target: r(Kind::Bucket, "thumbs"),
            attr: Attr::Name
        })
    );
    assert_eq!(
        f.env.get("STAGE").map(|v| &v.value),
        Some(&Value::Param("stage".into())),
        "a string of only a parameter is the parameter itself"
    );
    assert_eq!(f.allows.len(), 1);
    assert_eq!(f.allows[0].res_ref(), Some(&r(Kind::Bucket, "thumbs")));

    let conc = f.concurrency.as_ref().expect("concurrency");
    assert_eq!(conc.reserved.as_ref().map(|v| v.value), Some(100));
    assert_eq!(
        conc.provisioned.as_ref().map(|p| &p.value),
        Some(&Provisioned::Auto {
            min: 5,
            max: 50,
            target_percent: 70.0
        })
    );
    let asy = f.async_config.as_ref().expect("async");
    assert_eq!(asy.retries.as_ref().map(|v| v.value), Some(1));
    assert_eq!(
        asy.on_failure.as_ref().map(|v| &v.value),
        Some(&r(Kind::Queue, "dead_letters"))
    );

    assert_eq!(f.triggers.len(), 1);
    match &f.triggers[0].kind {
        TriggerKind::S3 {
            bucket,
            events,
            prefix,
            suffix,
            ..
        } => {
            assert_eq!(bucket.value, r(Kind::Bucket, "uploads"));
            assert_eq!(
                events.iter().map(|e| e.value).collect::<Vec<_>>(),
                [S3Event::Created]
            );
            fn text(t: &Option<S<DeployStr>>) -> Option<&str> {
                t.as_ref().and_then(|t| t.value.as_literal())
            }
            assert_eq!(text(prefix), Some("images/"));
            assert_eq!(text(suffix), Some(".jpg"));
        }
        t => panic!("{t:?}"),
    }

    // Template alarms first (errors, throttles), then the function's own two.
    let metrics: Vec<&str> = f
        .alarms
        .iter()
        .map(|a| match &a.metric.value {
            Metric::Function { metric, function } => {
                assert_eq!(function, "resize");
                metric.as_str()
            }
            m => panic!("{m:?}"),
        })
        .collect();
    assert_eq!(metrics, ["errors", "throttles", "errors", "duration"]);
    let template_alarm = &f.alarms[0];
    assert_eq!(c.sources.get(template_alarm.span.file).name, "<std.alarms>");
    let p99 = &f.alarms[3];
    assert_eq!(p99.stat.value, Stat::Percentile("p99".into()));
    assert_eq!(p99.op.value, CmpOp::Gt);
    assert_eq!(p99.threshold.value, 90_000.0);
    assert_eq!(p99.period.value, 300);
    assert_eq!((p99.datapoints.value, p99.evaluation_periods.value), (3, 5));
    assert_eq!(
        p99.notify
            .iter()
            .map(|n| n.value.clone())
            .collect::<Vec<_>>(),
        [r(Kind::Topic, "oncall")]
    );
    let errors = &f.alarms[2];
    assert_eq!(errors.stat.value, Stat::Sum);
    assert_eq!(errors.threshold.value, 5.0);
    assert_eq!(
        (errors.datapoints.value, errors.evaluation_periods.value),
        (1, 1)
    );

    let g = m.function("cleanup").expect("cleanup");
    assert_eq!(g.memory.as_ref().map(|v| v.value), Some(512));
    assert_eq!(g.timeout.as_ref().map(|v| v.value), Some(30));
    match &g.triggers[0].kind {
        TriggerKind::Schedule { expr, timezone, .. } => {
            assert_eq!(expr.value, Schedule::Cron("0 3 * * ? *".into()));
            assert_eq!(
                timezone.as_ref().map(|t| t.value.as_str()),
                Some("Europe/Berlin")
            );
        }
        t => panic!("{t:?}"),
    }
    assert_eq!(m.outputs.len(), 1);
    assert_eq!(
        m.outputs[0].value.value,
        Value::Attr {
            target: r(Kind::Bucket, "thumbs"),
            attr: Attr::Name
        }
    );
}

#[test]
fn precedence_function_over_template_over_defaults() {
    let src = r#"
defaults {
  memory = 256MB
  timeout = 10s
  storage = 1GB
  env { A = "defaults", B = "defaults", C = "defaults" }
}
template t1 extends t2 {
  memory = 1GB
  env { B = "t1" }
}
template t2 {
  memory = 2GB
  timeout = 20s
  env { A = "t2" }
  on schedule rate(5m)
}
function f extends t1 {
  runtime = python3.12
  handler = "a.b"
  code = "src"
  memory = 4GB
  env { C = "f" }
  on schedule rate(1h)
}
function g extends t1 {
  runtime = python3.12
  handler = "a.b"
  code = "src"
}
"#;
    let c = check(src);
    assert_eq!(checker_errors(&c), Vec::<String>::new());
    let m = model(&c);
    let f = m.function("f").expect("f");
    assert_eq!(
        f.memory.as_ref().map(|v| v.value),
        Some(4096),
        "function wins"
    );
    assert_eq!(
        f.timeout.as_ref().map(|v| v.value),
        Some(20),
        "template over defaults"
    );
    assert_eq!(
        f.storage().map(|v| v.value),
        Some(1024),
        "defaults fill the rest"
    );
    let env = |k: &str| f.env.get(k).map(|v| v.value.clone());
    assert_eq!(env("A"), Some(Value::Str("t2".into())));
    assert_eq!(env("B"), Some(Value::Str("t1".into())));
    assert_eq!(env("C"), Some(Value::Str("f".into())));
    assert_eq!(
        f.templates
            .iter()
            .map(|t| t.value.as_str())
            .collect::<Vec<_>>(),
        ["t1", "t2"]
    );
    let rates: Vec<&Schedule> = f
        .triggers
        .iter()
        .map(|t| match &t.kind {
            TriggerKind::Schedule { expr, .. } => &expr.value,
            k => panic!("{k:?}"),
        })
        .collect();
    assert_eq!(
        rates,
        [&Schedule::Rate(300), &Schedule::Rate(3600)],
        "template triggers first"
    );
    let g = m.function("g").expect("g");
    assert_eq!(
        g.memory.as_ref().map(|v| v.value),
        Some(1024),
        "first template wins over its parent"
    );
}

#[test]
fn defaults_apply_only_to_their_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("lib.lam"),
        "defaults { memory = 1GB }\nfunction lib_fn {\n  runtime = python3.12\n  handler = \"a.b\"\n  code = \"src\"\n}\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("main.lam"),
        "use \"lib.lam\"\nuse \"lib.lam\"\nfunction main_fn {\n  runtime = python3.12\n  handler = \"a.b\"\n  code = \"src\"\n}\n",
    )
    .expect("write");
    let c = check_file(&dir.path().join("main.lam"));
    assert_eq!(checker_errors(&c), Vec::<String>::new());
    let m = model(&c);
    assert_eq!(m.functions.len(), 2, "lib.lam loaded once");
    assert_eq!(
        m.function("lib_fn")
            .and_then(|f| f.memory.as_ref())
            .map(|v| v.value),
        Some(1024)
    );
    assert_eq!(m.function("main_fn").and_then(|f| f.memory.as_ref()), None);
    // `code` resolves against the declaring file's directory.
    let code = &m
        .function("lib_fn")
        .and_then(|f| f.code.as_ref())
        .expect("code")
        .value;
    match code {
        CodeSource::Local { path, .. } => {
            assert!(path.starts_with(std::fs::canonicalize(dir.path()).expect("dir")))
        }
        c => panic!("{c:?}"),
    }
}

#[test]
fn cyclic_use_loads_each_file_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("a.lam"),
        "use \"b.lam\"\nqueue qa {}\noutput o = queue.qb.url\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("b.lam"),
        "use \"a.lam\"\nqueue qb {}\noutput p = queue.qa.url\n",
    )
    .expect("write");
    let c = check_file(&dir.path().join("a.lam"));
    assert_eq!(checker_errors(&c), Vec::<String>::new());
    assert_eq!(c.sources.files().len(), 2);
    assert_eq!(model(&c).resources.len(), 2);
}

#[test]
fn stdlib_templates() {
    let src =
        "use std.python\nfunction f extends python {\n  handler = \"a.b\"\n  code = \"src\"\n}\n";
    let c = check(src);
    assert_eq!(checker_errors(&c), Vec::<String>::new());
    let f = model(&c).function("f").expect("f");
    assert_eq!(
        f.runtime.as_ref().map(|v| v.value.as_str()),
        Some("python3.13")
    );
    assert_eq!(f.memory.as_ref().map(|v| v.value), Some(256));
}

#[test]
fn every_stdlib_module_checks_cleanly() {
    for name in lamc::stdlib::names() {
        let c = check(&format!("use std.{name}\n"));
        assert_eq!(checker_errors(&c), Vec::<String>::new(), "std.{name}");
    }
}

#[test]
fn lets_are_substituted() {
    let src = r#"
let mem = 1GB
let prefix = "svc"
let m2 = mem
function f {
  runtime = python3.12
  handler = "a.b"
  code = "src"
  memory = m2
  name = "${prefix}-f"
  env { P = "${prefix}" }
}
"#;
    let c = check(src);
    assert_eq!(checker_errors(&c), Vec::<String>::new());
    let f = model(&c).function("f").expect("f");
    assert_eq!(f.memory.as_ref().map(|v| v.value), Some(1024));
    assert_eq!(
        f.function_name.as_ref().and_then(|v| v.value.as_literal()),
        Some("svc-f")
    );
    assert_eq!(
        f.env.get("P").map(|v| v.value.clone()),
        Some(Value::Str("svc".into()))
    );
}

#[test]
fn triggers_of_every_kind() {
    let src = r#"
queue q { fifo = true, visibility = 2m, dead_letter = queue.dlq }
queue dlq {}
topic t {}
table tb { key = { id = string }, sort = { ts = number }, stream = new_and_old }
stream s { shards = 2, retention = 48h }
api pub { auth = none }
function f {
  runtime = python3.12
  handler = "a.b"
  code = "src"
  on http "get /users/{id}"
  on http "POST /x" via api.pub { auth = iam }
  on sqs queue.q { batch = 10, window = 5s, report_failures = true }
  on sns topic.t { filter = { type = ["order"] } }
  on dynamodb table.tb { start = trim_horizon, on_failure = queue.dlq }
  on kinesis stream.s { batch = 100 }
  on schedule at("2026-12-31T23:00:00")
}
"#;
    let c = check(src);
    assert_eq!(checker_errors(&c), Vec::<String>::new());
    let m = model(&c);
    let api = m.resource(&r(Kind::Api, "default")).expect("implicit api");
    assert!(matches!(&api.origin, Origin::Created(Spec::Api(a)) if a.implicit));
    let f = m.function("f").expect("f");
    assert_eq!(f.triggers.len(), 7);
    match &f.triggers[0].kind {
        TriggerKind::Http {
            method, path, api, ..
        } => {
            assert_eq!(
                (
                    method.value.as_str(),
                    path.value.as_str(),
                    api.value.as_str()
                ),
                ("GET", "/users/{id}", "default")
            );
        }
        k => panic!("{k:?}"),
    }
    match &f.triggers[1].kind {
        TriggerKind::Http { api, auth, .. } => {
            assert_eq!(api.value, "pub");
            assert_eq!(auth.as_ref().map(|a| a.value.clone()), Some(RouteAuth::Iam));
        }
        k => panic!("{k:?}"),
    }
    match &f.triggers[2].kind {
        TriggerKind::Sqs { batch, window, .. } => {
            assert_eq!(batch.as_ref().map(|v| v.value), Some(10));
            assert_eq!(window.as_ref().map(|v| v.value), Some(5));
        }
        k => panic!("{k:?}"),
    }
    match &f.triggers[4].kind {
        TriggerKind::DynamoDb { options, .. } => {
            assert_eq!(
                options.start.as_ref().map(|v| v.value),
                Some(StartPosition::TrimHorizon)
            );
            assert_eq!(
                options.on_failure.as_ref().map(|v| v.value.clone()),
                Some(r(Kind::Queue, "dlq"))
            );
        }
        k => panic!("{k:?}"),
    }
    match &f.triggers[5].kind {
        TriggerKind::Kinesis { options, .. } => assert_eq!(
            options.start.as_ref().map(|v| v.value),
            Some(StartPosition::Latest)
        ),
        k => panic!("{k:?}"),
    }
    assert!(
        matches!(&f.triggers[6].kind, TriggerKind::Schedule { expr, .. } if expr.value == Schedule::At("2026-12-31T23:00:00".into()))
    );
    let s = m.resource(&r(Kind::Stream, "s")).expect("stream");
    assert!(
        matches!(&s.origin, Origin::Created(Spec::Stream(s)) if s.retention_hours.as_ref().map(|v| v.value) == Some(48))
    );
    let tb = m.resource(&r(Kind::Table, "tb")).expect("table");
    assert!(
        matches!(&tb.origin, Origin::Created(Spec::Table(t)) if t.key.value == ("id".to_string(), KeyType::String))
    );
}

#[test]
fn rate_needs_a_duration() {
    let src = "function f {\n  runtime = python3.12\n  handler = \"a.b\"\n  code = \"src\"\n  on schedule rate(5)\n}\n";
    let c = check(src);
    expect_at(&c, Code::E0301, 5);
}

#[test]
fn stack_alarms() {
    let src = r#"
topic oncall {}
queue dlq {}
function f {
  runtime = python3.12
  handler = "a.b"
  code = "src"
}
alarm queue.dlq.visible > 0 over 5m notify topic.oncall
alarm slow {
  metric = function.f.duration.p90
  op = ">="
  threshold = 2s
  evaluations = 3
  missing = not_breaching
}
"#;
    let c = check(src);
    assert_eq!(checker_errors(&c), Vec::<String>::new());
    let m = model(&c);
    assert_eq!(m.alarms.len(), 2);
    assert_eq!(
        m.alarms[0].metric.value,
        Metric::QueueVisible {
            queue: r(Kind::Queue, "dlq")
        }
    );
    assert_eq!(m.alarms[0].period.value, 300);
    let slow = &m.alarms[1];
    assert_eq!(slow.name.as_ref().map(|n| n.value.as_str()), Some("slow"));
    assert_eq!(
        slow.metric.value,
        Metric::Function {
            function: "f".into(),
            metric: FnMetric::Duration
        }
    );
    assert_eq!(slow.stat.value, Stat::Percentile("p90".into()));
    assert_eq!(slow.threshold.value, 2000.0);
    assert_eq!(
        (slow.datapoints.value, slow.evaluation_periods.value),
        (3, 3)
    );
    assert_eq!(
        slow.missing.as_ref().map(|v| v.value),
        Some(MissingData::NotBreaching)
    );
}
